import * as E from 'fp-ts/Either'
import { describeError, SeatflowError } from '../domain/errors'
import { CopiedEmailAddressesKey } from '../domain/events'
import { defaultProviderIds } from '../domain/ids'
import { ProviderId, SubscriptionId } from '../domain/values'
import { allProjections, allViews, viewsCheckpoint } from '../projections/all'
import { ProviderRow, providersView, SettingRow, settingsView, SubscriptionRow, subscriptionsView } from '../projections/catalog'
import { digestViews } from '../projections/digest'
import { automaticQueueView, LicenseChangeRow, licenseChangesView, requestsDueView } from '../projections/licenseChangeLog'
import { applyBatch, catchUp } from '../projections/runner'
import { Gateways, ProviderSubscriptionState } from '../providers/gateway'
import { Drift } from '../providers/sync'
import { createMemoryMailer, Mailer } from '../providers/mail'
import { DueReminder } from '../providers/manual'
import { defaultRetryPolicy, retryPolicyProblem } from '../domain/retry'
import { openStorage } from '../store/open'
import { Subscription } from '../store/port'
import { Storage } from '../store/storage'
import { aggregateCache } from './aggregateCache'
import { Clock, systemClock } from './clock'
import * as C from './commands'
import { Context, newEventId } from './context'
import { dueReminders, MailFailure, OutboxReport, sendDueReminders, sendProvisioningRequests } from './outbox'
import { provisionAutomatic, ProvisioningReport } from './provisioning'
import { runReactions } from './reactions'
import { replay, ReplayReport } from './replay'
import { currentDrift, ProviderReadings, readProviderStates, syncFromProvider, SyncResult } from './sync'

/** How a seatflow is composed. Every part has a default. */
export interface SeatflowOptions {
  /** A store URL (`sqlite:PATH`, `memory:`, `esdb://host:port?tls=false&views=PATH`) or an open Storage. Default: `sqlite:seatflow.db`. */
  readonly store?: string | Storage
  /** Where mail goes. Default: kept in memory (see `createFileMailer` for a folder of .eml files). */
  readonly mailer?: Mailer
  /** Where time comes from. Default: the system clock. */
  readonly clock?: Clock
  /** Gateways of the automatic providers, by provider id or by system ('Partner Center', 'Synnex', 'TechData'). */
  readonly gateways?: Gateways
  /** Hours between reminders of a Manual change awaiting provisioning. Default: 24. */
  readonly reminderIntervalHours?: number
  /** Seconds an automatic change waits after its first transient failure; doubled after each further one (plus jitter). Default: 30. */
  readonly retryBaseSeconds?: number
  /** The longest such wait, in seconds (a provider's Retry-After may ask for longer). Default: 3600. */
  readonly retryCapSeconds?: number
  /** Who commands are by when they name nobody. Default: 'host'. */
  readonly actor?: string
  /** The provisioning team address of the default "Manual Provider". Default: provisioning@example.com. */
  readonly manualProvisioningEmail?: string
  /** Run reactions, views, mail and gateways after every command. Default: true. */
  readonly autoProcess?: boolean
}

/** What one processing run did. */
export interface ProcessReport {
  /** Events the reactions looked at. */
  readonly reacted: number
  /** Provisioning request emails sent. */
  readonly requestsSent: number
  /** Automatic changes sent to (or checked at) their gateway. */
  readonly changesTried: number
  /** Mails that could not be sent (they are tried again on the next run). */
  readonly mailFailures: ReadonlyArray<MailFailure>
  /** Automatic changes waiting for a gateway that is not configured. */
  readonly unconfigured: ReadonlyArray<string>
  /** Automatic changes held back by an earlier unresolved change of their subscription, and which one. */
  readonly held: ProvisioningReport['held']
  /** Automatic changes whose next attempt (or check) is not due yet, and when it is. */
  readonly scheduled: ProvisioningReport['scheduled']
  /** The earliest instant a scheduled attempt is due (call process() again then), or null. */
  readonly nextAttemptAt: string | null
}

type Result<A> = Promise<E.Either<SeatflowError, A>>

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

const defaultProviders = (manualEmail: string) => [
  { providerId: defaultProviderIds.doNothing, name: 'Do Nothing Provider', kind: 'Do Nothing' },
  { providerId: defaultProviderIds.manual, name: 'Manual Provider', kind: 'Manual', provisioningEmail: manualEmail },
  { providerId: defaultProviderIds.partnerCenter, name: 'Partner Center', kind: 'Automatic', system: 'Partner Center' },
] as const

/** Register the three default providers once: derived ids make a second start, or a concurrent one, write nothing. */
const ensureDefaultProviders = async (context: Context, manualEmail: string): Promise<void> => {
  for (const provider of defaultProviders(manualEmail)) {
    const registered = await C.registerProvider(context, { ...provider, actor: 'seatflow' }, provider.providerId)
    if (E.isLeft(registered) && registered.left._tag !== 'ProviderAlreadyRegistered') {
      throw new Error(`could not register the default provider ${provider.name}: ${registered.left._tag}`)
    }
  }
}

/**
 * Compose a seatflow: a store, a mailer, a clock and the gateways of automatic providers.
 * The three default providers are there when it resolves.
 */
export const createSeatflow = async (options: SeatflowOptions = {}) => {
  const retry = { baseSeconds: options.retryBaseSeconds ?? defaultRetryPolicy.baseSeconds, capSeconds: options.retryCapSeconds ?? defaultRetryPolicy.capSeconds }
  const retryProblem = retryPolicyProblem(retry)
  if (retryProblem !== null) throw new Error(`createSeatflow: ${retryProblem}`)
  const storage = typeof options.store === 'object' ? options.store : openStorage(options.store)
  const context: Context = {
    store: storage.events, views: storage.views,
    clock: options.clock ?? systemClock,
    mailer: options.mailer ?? createMemoryMailer(),
    gateways: options.gateways ?? {},
    reminderIntervalHours: options.reminderIntervalHours ?? 24,
    retry,
    actor: options.actor ?? 'host',
  }
  aggregateCache.persistIn(context.store, context.views)
  const autoProcess = options.autoProcess ?? true

  const refreshViews = async (): Promise<void> => {
    await catchUp(context.store, context.views, allProjections, { name: viewsCheckpoint })
  }

  const process = async (): Promise<ProcessReport> => {
    let reacted = 0
    let requestsSent = 0
    const mailFailures: MailFailure[] = []
    const tried = new Set<string>()
    let provisioning: ProvisioningReport = { attempts: 0, unconfigured: [], held: [], scheduled: [] }
    for (let round = 0; round < 1000; round += 1) {
      const before = await context.store.lastPosition()
      reacted += await runReactions(context)
      await refreshViews()
      // Two small indexes, not the whole open log: Manual requests not sent yet, Automatic changes not resolved.
      const requests: OutboxReport = await sendProvisioningRequests(context, context.views.rows(requestsDueView) as ReadonlyArray<LicenseChangeRow>)
      requestsSent += requests.sent.length
      mailFailures.push(...requests.failed)
      const run = await provisionAutomatic(context, context.views.rows(automaticQueueView) as ReadonlyArray<LicenseChangeRow>, tried)
      run.tried.forEach((id) => tried.add(id))
      provisioning = run
      if (await context.store.lastPosition() === before) break
    }
    await refreshViews()
    const { unconfigured, held, scheduled } = provisioning
    const nextAttemptAt = scheduled.map((entry) => entry.notBefore).sort()[0] ?? null
    return { reacted, requestsSent, changesTried: tried.size, mailFailures, unconfigured, held, scheduled, nextAttemptAt }
  }

  const then = async <A>(result: E.Either<SeatflowError, A>): Result<A> => {
    if (autoProcess && E.isRight(result)) await process()
    return result
  }

  const rows = async <Row>(view: string): Promise<ReadonlyArray<Row>> => {
    await refreshViews()
    return context.views.rows(view) as ReadonlyArray<Row>
  }

  /**
   * Follow the log: a catch-up subscription from the views' stored checkpoint feeds each batch of
   * new events to the views (in one transaction with their checkpoint), then runs the reactions,
   * the provisioning request emails and the gateways, until `stop()`.
   */
  const follow = (): Subscription => context.store.subscribe({ after: context.views.checkpoint(viewsCheckpoint) }, async (batch) => {
    applyBatch(context.views, allProjections, viewsCheckpoint, batch)
    await process()
  })

  if (storage.readOnly !== true) await ensureDefaultProviders(context, options.manualProvisioningEmail ?? 'provisioning@example.com')
  if (autoProcess) await process()

  return {
    /** The ports and settings this seatflow runs on. */
    context,
    /** Register a provider: `{ name, kind: 'Do Nothing' }`, `{ name, kind: 'Manual', provisioningEmail }` or `{ name, kind: 'Automatic', system, maxAttempts? }`. */
    registerProvider: async (input: unknown): Result<{ readonly providerId: ProviderId }> =>
      then(await C.registerProvider(context, input, newEventId() as ProviderId)),
    /** Change a provider's name or configuration: `{ providerId, name?, provisioningEmail?, system?, maxAttempts? }`. */
    changeProviderConfiguration: async (input: unknown) => then(await C.changeProviderConfiguration(context, input)),
    /** Deactivate a provider: `{ providerId }`. */
    deactivateProvider: async (input: unknown) => then(await C.deactivateProvider(context, input)),
    /** Set the addresses every Manual provisioning request copies. */
    setCopiedEmailAddresses: async (input: { readonly addresses: ReadonlyArray<string>; readonly actor?: string }) =>
      then(await C.changeSetting(context, { key: CopiedEmailAddressesKey, value: input.addresses, ...(input.actor === undefined ? {} : { actor: input.actor }) })),
    /** Change a global setting: `{ key, value }`. */
    changeSetting: async (input: unknown) => then(await C.changeSetting(context, input)),
    /** Create a subscription: `{ product, providerId, quantity, billingContractId, contractOwnerEmail, bundle?: { parentId, multiplier } }`. */
    createSubscription: async (input: unknown): Result<{ readonly subscriptionId: SubscriptionId; readonly licenseChangeId: string | null }> =>
      then(await C.createSubscription(context, input)),
    /** Change a subscription's quantity: `{ subscriptionId, quantity }`. */
    changeQuantity: async (input: unknown) => then(await C.changeQuantity(context, input, 'host')),
    /** Record a quantity the provider reports (two-way sync): Not Applicable, nothing to provision. Same quantity: nothing written. */
    recordProviderQuantity: async (input: unknown) => then(await C.changeQuantity(context, input, 'provider')),
    /** A person marks a Manual change provisioned: `{ licenseChangeId, by, note? }`. */
    markProvisioned: async (input: unknown) => then(await C.markProvisioned(context, input)),
    /** A person re-queues a failed change: `{ licenseChangeId, by, reason }`. */
    requeue: async (input: unknown) => then(await C.requeue(context, input)),
    /**
     * Two-way sync of one subscription: `{ subscriptionId, quantity, changedBy?, changedAt? }` as the provider
     * reports it. A different quantity is recorded as a change from the provider (Not Applicable, by
     * `changedBy`); the same quantity, or one an unresolved change explains, writes nothing.
     */
    syncFromProvider: async (input: unknown): Result<SyncResult> => {
      await refreshViews()
      return then(await syncFromProvider(context, input))
    },
    /** Ask every Automatic subscription's gateway that can read (`readSubscription`) and sync each. */
    syncNow: async (): Promise<SyncReport> => {
      await refreshViews()
      const readings = await readProviderStates(context)
      const { states } = readings
      const failed = [...readings.failed]
      const results: SyncResult[] = []
      for (const state of states) {
        const synced = await syncFromProvider(context, state)
        if (E.isRight(synced)) results.push(synced.right)
        else failed.push({ subscriptionId: state.subscriptionId, reason: describeError(synced.left) })
      }
      if (autoProcess && results.some((result) => result.outcome === 'recorded')) await process()
      return { results, failed }
    },
    /** Subscriptions whose provider quantity differs and what a sync would record; reads the gateways when no states are given. Writes nothing. */
    driftReport: async (states?: ReadonlyArray<ProviderSubscriptionState>): Promise<DriftReport> => {
      await refreshViews()
      const readings: ProviderReadings = states === undefined ? await readProviderStates(context) : { states, failed: [] }
      return { drift: currentDrift(context, readings.states), failed: readings.failed }
    },
    /** Run the reactions, the views, the provisioning request emails and the gateways until nothing is left to do. */
    process,
    /** Bring the views up to date with the log. */
    refreshViews,
    /** Process events as they arrive, from where the views stopped, until the answer's `stop()`; its `done` rejects with what broke it. */
    follow,
    /** Send and record the reminders due at `now` (default: the clock's now). */
    sendDueReminders: async (now?: Date): Promise<OutboxReport> => {
      await refreshViews()
      const report = await sendDueReminders(context, now ?? context.clock.now())
      await refreshViews()
      return report
    },
    /** The reminders due at `now` (default: the clock's now). */
    dueReminders: async (now?: Date): Promise<ReadonlyArray<DueReminder>> => {
      await refreshViews()
      return dueReminders(context, now ?? context.clock.now())
    },
    /** The License Change Log, oldest first. */
    licenseChangeLog: async (): Promise<ReadonlyArray<LicenseChangeRow>> =>
      [...await rows<LicenseChangeRow>(licenseChangesView)].sort((a, b) => a.recordedPosition - b.recordedPosition),
    /** The current subscriptions. */
    subscriptions: () => rows<SubscriptionRow>(subscriptionsView),
    /** The providers. */
    providers: () => rows<ProviderRow>(providersView),
    /** The global settings. */
    settings: () => rows<SettingRow>(settingsView),
    /** The digest of the live views (equal to a replay's when both have seen the same log). */
    digest: async (): Promise<string> => {
      await refreshViews()
      return digestViews(context.views, allViews)
    },
    /** Replay the whole log into fresh views with no side effects, and audit it. */
    audit: (options?: { readonly until?: number }): Promise<ReplayReport> => replay(context.store, options),
    /** Close the store. */
    close: (): Promise<void> => storage.close(),
  }
}

/** A composed seatflow. */
export type Seatflow = Awaited<ReturnType<typeof createSeatflow>>
