import * as E from 'fp-ts/Either'
import { inPeriod } from '../app/facadeLifecycle'
import { InvoiceLine, Period, Seatflow } from '../app/seatflow'
import { SeatflowError } from '../domain/errors'
import { answer, withSeatflow } from './answer'
import { csv } from './csv'
import { Flags, Io, isoFlag, json, required, UsageError, uuidFlag, writeOut } from './io'
import { mailOf, storeOf } from './store'

/** The columns of `invoice-export`, in order: what a billing system needs to bill a License Change. */
export const invoiceColumns: ReadonlyArray<keyof InvoiceLine & string> = [
  'licenseChangeId', 'recordedAt', 'billingContractId', 'contractOwnerEmail', 'subscriptionId', 'product', 'providerId', 'provider',
  'providerKind', 'kind', 'previousQuantity', 'newQuantity', 'delta', 'billableDelta', 'origin', 'status', 'statusReason',
]

/** The period of `--from ISO --to ISO` (from inclusive, to exclusive), both required, checked before the store is opened. */
const periodOf = (flags: Flags): { readonly from: Date; readonly to: Date } => {
  const from = isoFlag(required(flags.from, '--from'), '--from') as Date
  const to = isoFlag(required(flags.to, '--to'), '--to') as Date
  if (to.getTime() <= from.getTime()) throw new UsageError(`--to ${flags.to ?? ''} must come after --from ${flags.from ?? ''}`)
  return { from, to }
}

/** `seatflow invoice-export`: the Active (not yet invoiced) License Changes recorded in the period, as CSV (or JSON); reads, never writes. */
export const invoiceExportCommand = (flags: Flags, io: Io): Promise<number> => {
  const period = periodOf(flags)
  return withSeatflow(storeOf(flags), 'read', {}, async (app) => {
    const lines = await app.activeLicenseChanges(period)
    await writeOut(io, flags.json === true ? `${json(lines)}\n` : csv(invoiceColumns, lines))
    return 0
  })
}

/** Which License Changes `invoice-mark` marks: those of a period, or those named. */
type Marking = { readonly period: Period } | { readonly licenseChangeIds: ReadonlyArray<string> }

const markingOf = (flags: Flags): Marking => {
  const named = flags.change ?? []
  const byPeriod = flags.from !== undefined || flags.to !== undefined
  if (byPeriod === (named.length > 0)) throw new UsageError('give the period (--from ISO --to ISO) or the License Changes (--change ID, repeated): one of them')
  if (byPeriod) return { period: periodOf(flags) }
  return { licenseChangeIds: named.map((id) => uuidFlag(id, '--change', 'License Change') as string) }
}

/** What a marking did, as `invoice-mark --json` gives it. */
export interface MarkReport {
  readonly billingRunId: string
  readonly marked: ReadonlyArray<string>
  readonly alreadyInRun: ReadonlyArray<string>
}

/**
 * Mark the Active License Changes of a period invoiced by the run; those of the period the same run
 * marked before are counted as already in it (a repeated run marks nothing new).
 */
const markPeriod = async (app: Seatflow, billingRunId: string, period: Period): Promise<E.Either<SeatflowError, MarkReport>> => {
  const invoiced = await app.invoicePeriod(billingRunId, period)
  if (E.isLeft(invoiced)) return invoiced
  const marked = new Set<string>(invoiced.right.marked)
  const alreadyInRun = (await app.licenseChangeLog()).filter(inPeriod(period))
    .filter((row) => row.billingRunId === invoiced.right.billingRunId && !marked.has(row.licenseChangeId)).map((row) => row.licenseChangeId)
  return E.right({ billingRunId: invoiced.right.billingRunId, marked: invoiced.right.marked, alreadyInRun })
}

/** `seatflow invoice-mark`: mark License Changes invoiced by a billing run (archived); idempotent per run. */
export const invoiceMarkCommand = (flags: Flags, io: Io): Promise<number> => {
  const billingRunId = required(flags.run, '--run')
  const marking = markingOf(flags)
  const store = storeOf(flags)
  return withSeatflow(store, 'write', { mailer: mailOf(store).mailer, autoProcess: true }, async (app) => {
    const result: E.Either<SeatflowError, MarkReport> = 'period' in marking
      ? await markPeriod(app, billingRunId, marking.period)
      : await app.markInvoiced({ billingRunId, licenseChangeIds: marking.licenseChangeIds })
    return answer(io, result, (report) => flags.json === true ? json(report)
      : `billing run ${report.billingRunId}: marked ${report.marked.length} License Change(s) invoiced; ${report.alreadyInRun.length} already invoiced by this run`)
  })
}
