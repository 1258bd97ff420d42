import * as E from 'fp-ts/Either'
import { licenseChanges } from '../../domain/licenseChange'
import { LicenseChangeId, NonEmptyString } from '../../domain/values'
import { CommandContext, commandMetadata, Result, validated } from './context'
import { runUnit } from './handler'
import * as I from './inputs'
import { newId } from './newId'

/** What marking a billing run did: the changes it archived now, and those it had archived before (a repeated run). */
export interface Invoiced {
  readonly billingRunId: NonEmptyString
  readonly marked: ReadonlyArray<LicenseChangeId>
  readonly alreadyInRun: ReadonlyArray<LicenseChangeId>
}

/**
 * Mark License Changes invoiced by a billing run, which archives them (status reason Archived):
 * one command, one commit, idempotent per billing run (a change the run already marked records
 * nothing). Refused, writing nothing, when a change does not exist or another run invoiced it.
 */
export const markInvoiced = (context: CommandContext, input: unknown): Result<Invoiced> =>
  validated(I.validate('MarkInvoiced', I.MarkInvoicedInput, input), (valid) => {
    const metadata = commandMetadata(context, valid)
    const ids = [...new Set(valid.licenseChangeIds)]
    return runUnit(context.writer, async (session) => {
      const marked: LicenseChangeId[] = []
      const alreadyInRun: LicenseChangeId[] = []
      for (const licenseChangeId of ids) {
        const decided = await session.decide(licenseChanges, licenseChangeId, { type: 'MarkInvoiced', licenseChangeId, billingRunId: valid.billingRunId }, { eventId: newId, metadata })
        if (E.isLeft(decided)) return decided
        if (decided.right.length > 0) marked.push(licenseChangeId)
        else alreadyInRun.push(licenseChangeId)
      }
      return E.right({ billingRunId: valid.billingRunId, marked, alreadyInRun })
    })
  })
