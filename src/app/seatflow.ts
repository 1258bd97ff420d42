import * as E from 'fp-ts/Either'
import { describeError, SeatflowError } from '../domain/errors'
import { CopiedEmailAddressesKey } from '../domain/events'
import { defaultProviderIds } from '../domain/ids'
import { ProviderId, SubscriptionId } from '../domain/values'
import { allProjections, allViews, viewsCheckpoint } from '../projections/all'
import { catalogRows, ProviderRow, SettingRow, SubscriptionRow } from '../projections/catalog'
import { digestMainViews } from '../projections/digest'
import { LicenseChangeRow, licenseChangeLog } from '../projections/licenseChangeLog'
import { viewRows } from '../projections/projection'
import { applyBatch } from '../projections/runner'
import { ProviderSubscriptionState } from '../providers/gateway'
import { DueReminder } from '../providers/manual'
import { Drift } from '../providers/sync'
import { openStorage } from '../store/open'
import { CatchUpSubscription } from '../store/port'
import { Storage } from '../store/storage'
import { replay, ReplayReport } from './audit/replay'
import * as C from './commands'
import { defaultConflictPolicy, Writer } from './commands/handler'
import { createLane } from './commands/lane'
import { InvalidOptionsError, SeatflowOptions, Settings, settingsOf } from './options'
import { claimantName } from './processes/claimant'
import { dueReminders, OutboxReport, sendDueReminders } from './processes/outbox'
import { createProcessor, ProcessReport } from './processes/processor'
import { currentDrift, ProviderReadings, readProviderStates, SyncResult, syncFromProvider } from './processes/sync'
import { createAggregateCache } from './state/cache'

export type { SeatflowOptions } from './options'
export type { ProcessReport } from './processes/processor'

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

/** The parts a seatflow is made of: its settings and storage, the writer every write goes through, and the processes. */
const compose = (settings: Settings, storage: Storage) => {
  const reader = { store: storage.events, cache: createAggregateCache(storage.views) }
  const writer: Writer = { reader, lane: createLane(), conflicts: defaultConflictPolicy, withinCommit: (events) => processor.withinCommit(events), afterCommit: (done) => processor.afterCommit(done) }
  const commands: C.CommandContext = { writer, clock: settings.clock, actor: settings.actor }
  const outbox = {
    writer, views: storage.views, mailer: settings.mailer, claims: storage.claims, owner: claimantName(),
    leaseMs: settings.mailLeaseMs, wallClock: Date.now, inFlight: new Set<string>(),
  }
  const provisioning = { writer, views: storage.views, clock: settings.clock, gateways: settings.gateways, retry: settings.retry }
  const processor = createProcessor({
    viewsFollowCommits: settings.autoProcess, store: storage.events, views: storage.views,
    ...(storage.transactionalViews === undefined ? {} : { transactionalViews: storage.transactionalViews }),
    writer, outbox, provisioning, clock: settings.clock,
  })
  return { settings, storage, commands, outbox, processor, sync: { commands, views: storage.views, gateways: settings.gateways } }
}

type Parts = ReturnType<typeof compose>

const defaultProviders = (manualEmail: string) => [
  { providerId: defaultProviderIds.doNothing, name: 'Do Nothing Provider', kind: 'Do Nothing' },
  { providerId: defaultProviderIds.manual, name: 'Manual Provider', kind: 'Manual', provisioningEmail: manualEmail },
  { providerId: defaultProviderIds.partnerCenter, name: 'Partner Center', kind: 'Automatic', system: 'Partner Center' },
] as const

/** Register the three default providers once: derived ids make a second start, or a concurrent one, write nothing. */
const ensureDefaultProviders = async (parts: Parts): Promise<void> => {
  for (const provider of defaultProviders(parts.settings.manualProvisioningEmail)) {
    const registered = await C.registerProvider(parts.commands, { ...provider, actor: 'seatflow' }, provider.providerId)
    if (E.isLeft(registered) && registered.left._tag !== 'ProviderAlreadyRegistered') {
      throw new Error(`could not register the default provider ${provider.name}: ${describeError(registered.left)}`)
    }
  }
}

/**
 * Compose a seatflow: a store, a mailer, a clock and the gateways of automatic providers. Every
 * option is checked first (InvalidOptionsError names each bad one). The three default providers
 * are there when it resolves.
 */
export const createSeatflow = async (options: SeatflowOptions = {}) => {
  const settings = settingsOf(options)
  const storage = typeof settings.store === 'object' ? settings.store : openStorage(settings.store)
  const parts = compose(settings, storage)
  const { processor, commands } = parts
  if (storage.readOnly === true) return facade(parts, commands, processor)
  await ensureDefaultProviders(parts)
  if (settings.autoProcess) await processor.process()
  return facade(parts, commands, processor)
}

/** A command's answer, after processing what it recorded when autoProcess is on. */
type Answer<A> = Promise<E.Either<SeatflowError, A>>

const facade = (parts: Parts, commands: C.CommandContext, processor: Parts['processor']) => {
  const { settings, storage } = parts
  const views = storage.views
  const processedAfter = async <A>(result: E.Either<SeatflowError, A>): Answer<A> => {
    if (settings.autoProcess && E.isRight(result)) await processor.process()
    return result
  }
  const current = async <A>(read: () => A): Promise<A> => {
    await processor.refreshViews()
    return read()
  }
  return {
    /** Register a provider: `{ name, kind: 'Do Nothing' }`, `{ name, kind: 'Manual', provisioningEmail }` or `{ name, kind: 'Automatic', system, maxAttempts? }`. */
    registerProvider: async (input: unknown): Answer<{ readonly providerId: ProviderId }> =>
      processedAfter(await C.registerProvider(commands, input, C.newId() as ProviderId)),
    /** Change a provider's name or configuration: `{ providerId, name?, provisioningEmail?, system?, maxAttempts? }`. */
    changeProviderConfiguration: async (input: unknown) => processedAfter(await C.changeProviderConfiguration(commands, input)),
    /** Deactivate a provider: `{ providerId }`. */
    deactivateProvider: async (input: unknown) => processedAfter(await C.deactivateProvider(commands, input)),
    /** Set the addresses every Manual provisioning request copies. */
    setCopiedEmailAddresses: async (input: { readonly addresses: ReadonlyArray<string>; readonly actor?: string }) =>
      processedAfter(await C.changeSetting(commands, { key: CopiedEmailAddressesKey, value: input.addresses, ...(input.actor === undefined ? {} : { actor: input.actor }) })),
    /** Change a global setting: `{ key, value }`. */
    changeSetting: async (input: unknown) => processedAfter(await C.changeSetting(commands, input)),
    /** Create a subscription: `{ product, providerId, quantity, billingContractId, contractOwnerEmail, bundle?: { parentId, multiplier } }`. */
    createSubscription: async (input: unknown): Answer<{ readonly subscriptionId: SubscriptionId; readonly licenseChangeId: string | null }> =>
      processedAfter(await C.createSubscription(commands, input)),
    /** Change a subscription's quantity: `{ subscriptionId, quantity }`. */
    changeQuantity: async (input: unknown) => processedAfter(await C.changeQuantity(commands, input, 'host')),
    /** Record a quantity the provider reports (two-way sync): Not Applicable, nothing to provision. Same quantity: nothing written. */
    recordProviderQuantity: async (input: unknown) => processedAfter(await C.changeQuantity(commands, input, 'provider')),
    /** A person marks a Manual change provisioned: `{ licenseChangeId, by, note? }`. */
    markProvisioned: async (input: unknown) => processedAfter(await C.markProvisioned(commands, input)),
    /** A person re-queues a failed change: `{ licenseChangeId, by, reason }`. */
    requeue: async (input: unknown) => processedAfter(await C.requeue(commands, input)),
    /**
     * Two-way sync of one subscription: `{ subscriptionId, quantity, changedBy?, changedAt? }` as the provider
     * reports it. A different quantity is recorded as a change from the provider (Not Applicable, by
     * `changedBy`); the same quantity, or one an unresolved change explains, writes nothing.
     */
    syncFromProvider: async (input: unknown): Answer<SyncResult> => {
      await processor.refreshViews()
      return processedAfter(await syncFromProvider(parts.sync, input))
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
    /** Run the reactions, the views, the provisioning request emails and the gateways until nothing is left to do. */
    process: (): Promise<ProcessReport> => processor.process(),
    /** Bring the views up to date with the log. */
    refreshViews: (): Promise<void> => processor.refreshViews(),
    /**
     * Process what is pending, then events as they arrive, from where the views stopped, until the
     * answer's `stop()`; its `done` rejects with what broke it.
     */
    follow: (): CatchUpSubscription => {
      const pending = processor.process()
      pending.catch(() => undefined) // the subscription's `done` rejects with it at the first batch
      return storage.events.subscribe({ after: views.checkpoint(viewsCheckpoint) }, async (batch) => {
        await pending
        applyBatch(views, allProjections, viewsCheckpoint, batch)
        await processor.process()
      })
    },
    /** Send and record the reminders due at `now` (default: the clock's now). */
    sendDueReminders: async (now?: Date): Promise<OutboxReport> => {
      await processor.refreshViews()
      const report = await sendDueReminders(parts.outbox, now ?? settings.clock.now(), settings.reminderIntervalHours)
      await processor.refreshViews()
      return report
    },
    /** The reminders due at `now` (default: the clock's now). */
    dueReminders: (now?: Date): Promise<ReadonlyArray<DueReminder>> =>
      current(() => dueReminders(views, now ?? settings.clock.now(), settings.reminderIntervalHours)),
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

/** A composed seatflow. */
export type Seatflow = Awaited<ReturnType<typeof createSeatflow>>

export { InvalidOptionsError }
