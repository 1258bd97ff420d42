import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { SeatflowError } from '../domain/errors'
import { Name } from '../domain/fields'
import { countedDelta } from '../projections/audit'
import { activeLicenseChangesView, LicenseChangeRow, licenseChangeLog } from '../projections/licenseChangeLog'
import { viewRows } from '../projections/projection'
import * as C from './commands'
import * as I from './commands/inputs'
import { Invoiced } from './commands/invoicing'
import { Moved } from './commands/lifecycle'
import { Parts } from './compose'
import { Drift } from '../providers/sync'
import { currentDrift, ProviderReadings, readProviderStates } from './processes/sync'

/** What a move did, and when asked, how the new provider's quantity compares (shown, never written). */
export interface MoveReport extends Moved {
  /** The new provider's quantity differs: what a sync would record. Null: it agrees, or it was not read. */
  readonly drift: Drift | null
  /** Whether the new provider was read, and why not when it could not be. */
  readonly providerRead: 'read' | 'not asked' | 'cannot read' | { readonly failed: string }
}

/** A period of License Changes by when they were recorded: from (inclusive) to (exclusive); either open. */
export interface Period {
  readonly from?: Date
  readonly to?: Date
}

/** An Active License Change as a billing system takes it: its row, and the seats it bills (a reactivation's are counted already). */
export type InvoiceLine = LicenseChangeRow & { readonly billableDelta: number }

/** Whether a License Change was recorded in the period. */
export const inPeriod = (period: Period) => (row: LicenseChangeRow): boolean => {
  const at = Date.parse(row.recordedAt)
  return (period.from === undefined || at >= period.from.getTime()) && (period.to === undefined || at < period.to.getTime())
}

const readOutcome = (readings: ProviderReadings): MoveReport['providerRead'] => {
  const failed = readings.failed[0]
  if (failed !== undefined) return { failed: failed.reason }
  return readings.states.length > 0 ? 'read' : 'cannot read'
}

/** The life of a subscription beyond seat counts, and invoicing. */
export const lifecycleOf = (parts: Parts) => {
  const { commands, processor, storage } = parts
  const processed = async <A>(result: E.Either<SeatflowError, A>): C.Result<A> => {
    if (parts.settings.autoProcess && E.isRight(result)) await processor.process()
    return result
  }
  const activeIn = async (period: Period): Promise<ReadonlyArray<InvoiceLine>> => {
    await processor.refreshViews()
    return viewRows(storage.views, licenseChangeLog, activeLicenseChangesView).filter(inPeriod(period))
      .sort((a, b) => a.recordedPosition - b.recordedPosition).map((row) => ({ ...row, billableDelta: countedDelta(row) }))
  }
  return {
    /**
     * Move a subscription to another provider: `{ subscriptionId, providerId, withdrawUnresolved? }`.
     * With `{ readProvider: true }` an Automatic provider that can read is asked for its quantity
     * right after, and the drift is answered (a sync records it only when asked to).
     */
    moveSubscription: async (input: unknown, options: { readonly readProvider?: boolean } = {}): C.Result<MoveReport> => {
      const moved = await processed(await C.moveSubscription(commands, input))
      if (E.isLeft(moved)) return moved
      if (options.readProvider !== true) return E.right({ ...moved.right, drift: null, providerRead: 'not asked' })
      await processor.refreshViews()
      const readings = await readProviderStates(parts.sync, moved.right.subscriptionId)
      return E.right({ ...moved.right, drift: currentDrift(parts.sync, readings.states)[0] ?? null, providerRead: readOutcome(readings) })
    },
    /** Suspend a subscription: `{ subscriptionId, reason }`. Its quantity changes are Not Applicable and its reminders stop until reactivated. */
    suspendSubscription: async (input: unknown) => processed(await C.suspendSubscription(commands, input)),
    /** Reactivate a suspended subscription: `{ subscriptionId }`; a License Change brings the provider to today's quantity. */
    reactivateSubscription: async (input: unknown) => processed(await C.reactivateSubscription(commands, input)),
    /** Cancel a subscription: `{ subscriptionId }`; a License Change to zero asks the provider to cancel it. */
    cancelSubscription: async (input: unknown) => processed(await C.cancelSubscription(commands, input)),
    /** Mark License Changes invoiced by a billing run: `{ billingRunId, licenseChangeIds }` (archives them; idempotent per run). */
    markInvoiced: async (input: unknown): C.Result<Invoiced> => processed(await C.markInvoiced(commands, input)),
    /** The Active (not invoiced) License Changes recorded in a period, oldest first: what the next billing run exports. */
    activeLicenseChanges: (period: Period = {}): Promise<ReadonlyArray<InvoiceLine>> => activeIn(period),
    /**
     * Mark every Active License Change of a period invoiced by `billingRunId`, in commands of at most
     * `maxInvoicedPerCommand` changes: a second run of the same billing run marks nothing new.
     * `trace` (actor, correlation id) goes on every event it records.
     */
    invoicePeriod: async (billingRunId: string, period: Period = {}, trace: I.Trace = {}): C.Result<Invoiced> => {
      const run = I.validate('MarkInvoiced', t.type({ billingRunId: Name }), { billingRunId })
      if (E.isLeft(run)) return run
      const ids = (await activeIn(period)).map((line) => line.licenseChangeId)
      const marked: Array<Invoiced['marked'][number]> = []
      for (let start = 0; start < ids.length; start += I.maxInvoicedPerCommand) {
        const done = await C.markInvoiced(commands, { ...trace, billingRunId, licenseChangeIds: ids.slice(start, start + I.maxInvoicedPerCommand) })
        if (E.isLeft(done)) return done
        marked.push(...done.right.marked)
      }
      return processed(E.right({ billingRunId: run.right.billingRunId, marked, alreadyInRun: [] }))
    },
  }
}
