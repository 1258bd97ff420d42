import * as E from 'fp-ts/Either'
import { describeError, SeatflowError } from '../domain/errors'
import { CopiedEmailAddressesKey } from '../domain/events'
import { ProviderId, SubscriptionId } from '../domain/values'
import { allProjections, allViews, viewsCheckpoint } from '../projections/all'
import { catalogRows, ProviderRow, providersView, SettingRow, SubscriptionRow, subscriptionsView } from '../projections/catalog'
import { digestMainViews } from '../projections/digest'
import { LicenseChangeRow, licenseChangeLog, licenseChangesView } from '../projections/licenseChangeLog'
import { viewRows } from '../projections/projection'
import { applyBatch } from '../projections/runner'
import { ProviderSubscriptionState } from '../providers/gateway'
import { DueReminder } from '../providers/manual'
import { Drift } from '../providers/sync'
import { CatchUpSubscription } from '../store/port'
import { auditLog, AuditMoment, AuditReport } from './audit/auditLog'
import { replay, ReplayReport } from './audit/replay'
import { trail, TrailSubject } from './audit/trail'
import { LicenseChangeFilter, LicenseChangePage, licenseChangePage, LicenseChangeSummary, licenseChangeSummary, maxPage, nextDue } from './queries'
import * as C from './commands'
import { Parts } from './compose'
import { dueReminders, OutboxReport, sendDueReminders } from './processes/outbox'
import { ProcessReport } from './processes/processor'
import { sendReminderDigests } from './processes/reminderDigests'
import { currentDrift, ProviderReadings, readProviderStates, SyncResult, syncFromProvider } from './processes/sync'

/** What syncNow did: one result per subscription read, and those that could not be read or synced. */
export interface SyncReport {
  readonly results: ReadonlyArray<SyncResult>
  readonly failed: ReadonlyArray<{ readonly subscriptionId: string; readonly reason: string }>
}

/** The drift report, and the subscriptions whose provider state could not be read. */
export interface DriftReport {
  readonly drift: ReadonlyArray<Drift>
  readonly failed: ProviderReadings['failed']
}

/** A processing run while following the log: its report, and the log position it ran after. */
export interface Processed {
  readonly report: ProcessReport
  readonly position: number
}

type Answer<A> = C.Result<A>

/** A command's answer, after processing what it recorded when autoProcess is on. */
const processedAfter = (parts: Parts) => async <A>(result: E.Either<SeatflowError, A>): Answer<A> => {
  if (parts.settings.autoProcess && E.isRight(result)) await parts.processor.process()
  return result
}

/** The commands a host gives: each validated, refused with a typed error or recorded (then processed). */
export const commandsOf = (parts: Parts) => {
  const commands = parts.commands
  const processed = processedAfter(parts)
  return {
    /** Register a provider: `{ name, kind: 'Do Nothing' }`, `{ name, kind: 'Manual', provisioningEmail }` or `{ name, kind: 'Automatic', system, maxAttempts? }`. */
    registerProvider: async (input: unknown): Answer<{ readonly providerId: ProviderId }> =>
      processed(await C.registerProvider(commands, input, C.newId() as ProviderId)),
    /** Change a provider's name or configuration: `{ providerId, name?, provisioningEmail?, system?, maxAttempts? }`. */
    changeProviderConfiguration: async (input: unknown) => processed(await C.changeProviderConfiguration(commands, input)),
    /** Deactivate a provider: `{ providerId }`. */
    deactivateProvider: async (input: unknown) => processed(await C.deactivateProvider(commands, input)),
    /** Set the addresses every Manual provisioning request copies. */
    setCopiedEmailAddresses: async (input: { readonly addresses: ReadonlyArray<string>; readonly actor?: string }) =>
      processed(await C.changeSetting(commands, { key: CopiedEmailAddressesKey, value: input.addresses, ...(input.actor === undefined ? {} : { actor: input.actor }) })),
    /** Change a global setting: `{ key, value }`. */
    changeSetting: async (input: unknown) => processed(await C.changeSetting(commands, input)),
    /** Create a subscription: `{ product, providerId, quantity, billingContractId, contractOwnerEmail, bundle?: { parentId, multiplier } }`. */
    createSubscription: async (input: unknown): Answer<{ readonly subscriptionId: SubscriptionId; readonly licenseChangeId: string | null }> =>
      processed(await C.createSubscription(commands, input)),
    /** Change a subscription's quantity: `{ subscriptionId, quantity }`. */
    changeQuantity: async (input: unknown) => processed(await C.changeQuantity(commands, input, 'host')),
    /** Record a quantity the provider reports (two-way sync): Not Applicable, nothing to provision. Same quantity: nothing written. */
    recordProviderQuantity: async (input: unknown) => processed(await C.changeQuantity(commands, input, 'provider')),
    /** A person marks a Manual change provisioned: `{ licenseChangeId, by, note? }`. */
    markProvisioned: async (input: unknown) => processed(await C.markProvisioned(commands, input)),
    /** A person re-queues a failed change: `{ licenseChangeId, by, reason }`. */
    requeue: async (input: unknown) => processed(await C.requeue(commands, input)),
  }
}

/** Two-way sync with the automatic providers. */
export const syncOf = (parts: Parts) => {
  const { processor, settings } = parts
  const processed = processedAfter(parts)
  return {
    /**
     * Two-way sync of one subscription: `{ subscriptionId, quantity, changedBy?, changedAt? }` as the provider
     * reports it. A different quantity is recorded as a change from the provider (Not Applicable, by
     * `actor` when given, else `changedBy`); the same quantity, or one an unresolved change explains, writes nothing.
     */
    syncFromProvider: async (input: unknown): Answer<SyncResult> => {
      await processor.refreshViews()
      return processed(await syncFromProvider(parts.sync, input))
    },
    /** Ask every Automatic subscription's gateway that can read (`readSubscription`) and sync each. */
    syncNow: async (): Promise<SyncReport> => {
      await processor.refreshViews()
      const readings = await readProviderStates(parts.sync)
      const failed = [...readings.failed]
      const results: SyncResult[] = []
      for (const state of readings.states) {
        const synced = await syncFromProvider(parts.sync, state)
        if (E.isRight(synced)) results.push(synced.right)
        else failed.push({ subscriptionId: state.subscriptionId, reason: describeError(synced.left) })
      }
      if (settings.autoProcess && results.some((result) => result.outcome === 'recorded')) await processor.process()
      return { results, failed }
    },
    /** Subscriptions whose provider quantity differs and what a sync would record; reads the gateways when no states are given. Writes nothing. */
    driftReport: async (states?: ReadonlyArray<ProviderSubscriptionState>): Promise<DriftReport> => {
      await processor.refreshViews()
      const readings: ProviderReadings = states === undefined ? await readProviderStates(parts.sync) : { states, failed: [] }
      return { drift: currentDrift(parts.sync, readings.states), failed: readings.failed }
    },
  }
}

/** Processing: the reactions, the outbox, the gateways, following the log; and the reminders. */
export const processingOf = (parts: Parts) => {
  const { processor, settings, storage } = parts
  const views = storage.views
  return {
    /** The seatflow's clock now: the time a worker schedules by. */
    now: (): Date => settings.clock.now(),
    /** Run the reactions, the views, the provisioning request emails and the gateways until nothing is left to do. */
    process: (): Promise<ProcessReport> => processor.process(),
    /** Bring the views up to date with the log. */
    refreshViews: (): Promise<void> => processor.refreshViews(),
    /**
     * Process what is pending, then events as they arrive, from where the views stopped, until the
     * answer's `stop()`; its `done` rejects with what broke it. `onProcessed` hears each run's
     * report and the log position it ran after (the first run's: where the views stood).
     */
    follow: (onProcessed?: (processed: Processed) => void | Promise<void>): CatchUpSubscription => {
      const after = views.checkpoint(viewsCheckpoint)
      const pending = processor.process().then((report) => onProcessed?.({ report, position: after }))
      pending.catch(() => undefined) // the subscription's `done` rejects with it at the first batch
      return storage.events.subscribe({ after }, async (batch) => {
        await pending
        applyBatch(views, allProjections, viewsCheckpoint, batch)
        const report = await processor.process()
        await onProcessed?.({ report, position: batch[batch.length - 1]?.position ?? after })
      })
    },
    /** Send and record the reminders due at `now` (default: the clock's now). */
    sendDueReminders: async (now?: Date): Promise<OutboxReport> => {
      await processor.refreshViews()
      const send = settings.reminderDigest ? sendReminderDigests : sendDueReminders
      const report = await send(parts.outbox, now ?? settings.clock.now(), settings.reminderIntervalHours)
      await processor.refreshViews()
      return report
    },
    /** The reminders due at `now` (default: the clock's now). */
    dueReminders: (now?: Date): Promise<ReadonlyArray<DueReminder>> =>
      processor.refreshViews().then(() => dueReminders(views, now ?? settings.clock.now(), settings.reminderIntervalHours)),
  }
}

/** What the views answer, brought up to the log first; the audit; closing. */
export const readsOf = (parts: Parts) => {
  const { processor, storage } = parts
  const views = storage.views
  const current = async <A>(read: () => A): Promise<A> => {
    await processor.refreshViews()
    return read()
  }
  return {
    /** The License Change Log, oldest first. */
    licenseChangeLog: (): Promise<ReadonlyArray<LicenseChangeRow>> =>
      current(() => [...viewRows(views, licenseChangeLog)].sort((a, b) => a.recordedPosition - b.recordedPosition)),
    /** The current subscriptions. */
    subscriptions: (): Promise<ReadonlyArray<SubscriptionRow>> => current(() => catalogRows.subscriptions(views)),
    /** The providers. */
    providers: (): Promise<ReadonlyArray<ProviderRow>> => current(() => catalogRows.providers(views)),
    /** The global settings. */
    settings: (): Promise<ReadonlyArray<SettingRow>> => current(() => catalogRows.settings(views)),
    /** The digest of the live views (equal to a replay's when both have seen the same log). */
    digest: (): Promise<string> => current(() => digestMainViews(views, allProjections, allViews)),
    /** Replay the whole log into fresh views with no side effects, and audit it. */
    audit: (options?: { readonly until?: number }): Promise<ReplayReport> => replay(storage.events, options),
    /** Close the store. */
    close: (): Promise<void> => storage.close(),
  }
}

/** What a service asks of the views and the log besides the host's reads: pages, single rows, trails, audits at a moment. */
export const lookupsOf = (parts: Parts) => {
  const { processor, settings, storage } = parts
  const views = storage.views
  const current = async <A>(read: () => A | Promise<A>): Promise<A> => {
    await processor.refreshViews()
    return read()
  }
  const rowOf = <Row>(view: string, id: string): Promise<Row | null> =>
    current(() => (views.get(view, id.toLowerCase()) as Row | undefined) ?? null)
  /** The summary of the log as it stood at a position: metrics and live pages at one position share one count. */
  let summarized: { readonly at: number; readonly summary: Promise<LicenseChangeSummary> } | null = null
  const summaryNow = async (): Promise<LicenseChangeSummary> => {
    await processor.refreshViews()
    const at = await storage.events.lastPosition()
    if (summarized?.at !== at) {
      const summary = licenseChangeSummary(views)
      summarized = { at, summary }
      summary.catch(() => { if (summarized?.summary === summary) summarized = null })
    }
    return summarized.summary
  }
  return {
    /** A page of the License Change Log: filtered, after a cursor, in a stable order (`maxPage` rows at most). */
    licenseChanges: (filter: LicenseChangeFilter = {}, page: { readonly after?: string | null; readonly limit?: number } = {}): Promise<LicenseChangePage> =>
      current(() => licenseChangePage(views, filter, page.after ?? null, Math.min(maxPage, Math.max(1, page.limit ?? 100)))),
    /** One License Change Log row, or null. */
    licenseChange: (licenseChangeId: string): Promise<LicenseChangeRow | null> => rowOf(licenseChangesView, licenseChangeId),
    /** One subscription, or null. */
    subscription: (subscriptionId: string): Promise<SubscriptionRow | null> => rowOf(subscriptionsView, subscriptionId),
    /** One provider, or null. */
    provider: (providerId: string): Promise<ProviderRow | null> => rowOf(providersView, providerId),
    /** Every event that concerns a subscription or a License Change, with what caused each. */
    trail: (subject: TrailSubject) => trail(storage.events, subject),
    /** The audit of the log as it stood at a moment. */
    auditAt: (moment: AuditMoment): Promise<AuditReport> => auditLog(storage.events, moment),
    /** When the next reminder and the next scheduled attempt fall due (null: none). */
    nextDue: () => current(() => nextDue(views, settings.reminderIntervalHours)),
    /** Where the log ends and where the views stand (their lag is the difference); reads the store, so it also proves it reachable. */
    positions: async (): Promise<{ readonly log: number; readonly views: number }> =>
      ({ log: await storage.events.lastPosition(), views: views.checkpoint(viewsCheckpoint) }),
    /** The License Change Log in numbers (one pass over its rows, once per log position): what a service's metrics show. */
    licenseChangeSummary: summaryNow,
    /** The records a service keeps beside the log (tokens, idempotent answers). */
    records: storage.records,
  }
}
