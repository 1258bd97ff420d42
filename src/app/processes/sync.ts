import * as E from 'fp-ts/Either'
import { messageOf, SeatflowError } from '../../domain/errors'
import { providers } from '../../domain/provider'
import { subscriptions } from '../../domain/subscription'
import { catalogRows, SubscriptionRow } from '../../projections/catalog'
import { licenseChangeLog, unresolvedLicenseChangesView } from '../../projections/licenseChangeLog'
import { viewRows } from '../../projections/projection'
import { Gateways, ProviderSubscriptionState } from '../../providers/gateway'
import { Drift, driftReport, SeatflowSubscription, syncVerdict } from '../../providers/sync'
import { ViewStore } from '../../store/views'
import * as C from '../commands'
import * as I from '../commands/inputs'
import { load } from '../state/load'

/** What two-way sync runs on: the commands (to record), the views (the unresolved changes) and the gateways (to read). */
export interface Sync {
  readonly commands: C.CommandContext
  readonly views: ViewStore
  readonly gateways: Gateways
}

/** What a sync did with one subscription. */
export interface SyncResult {
  readonly subscriptionId: string
  /** recorded: a change from the provider is on record; unchanged: same quantity; pending change: an unresolved change explains it. */
  readonly outcome: 'recorded' | 'unchanged' | 'pending change'
  readonly seatflowQuantity: number
  readonly providerQuantity: number
  /** The License Change recorded (Not Applicable, origin provider), or null. */
  readonly licenseChangeId: string | null
  /** The unresolved change that explains the provider's quantity, for 'pending change'. */
  readonly waitingFor: string | null
}

/** The subscription with its unresolved changes, as the (refreshed) views hold them. */
const seatflowSubscription = (views: ViewStore, subscriptionId: string, quantity: number): SeatflowSubscription => ({
  subscriptionId, quantity,
  unresolved: viewRows(views, licenseChangeLog, unresolvedLicenseChangesView).filter((row) => row.subscriptionId === subscriptionId),
})

/**
 * Two-way sync of one subscription (views must be current): a different quantity at the provider
 * is recorded as a change from the provider (Not Applicable), by the provider-side actor when
 * reported; the same quantity, or one an unresolved change explains, writes nothing.
 */
export const syncFromProvider = async (sync: Sync, input: unknown): Promise<E.Either<SeatflowError, SyncResult>> => {
  const valid = I.validate('SyncFromProvider', I.SyncInput, input)
  if (E.isLeft(valid)) return valid
  const { subscriptionId, quantity } = valid.right
  const reader = sync.commands.writer.reader
  const subscription = (await load(reader, subscriptions, subscriptionId)).state
  if (subscription.status === 'None') return E.left({ _tag: 'SubscriptionNotFound', subscriptionId })
  const base = { subscriptionId, seatflowQuantity: subscription.quantity, providerQuantity: quantity, licenseChangeId: null, waitingFor: null }
  const verdict = syncVerdict(seatflowSubscription(sync.views, subscriptionId, subscription.quantity), quantity)
  if (verdict.verdict === 'unchanged') return E.right({ ...base, outcome: 'unchanged' })
  if (verdict.verdict === 'pending change') return E.right({ ...base, outcome: 'pending change', waitingFor: verdict.waitingFor })
  const provider = (await load(reader, providers, subscription.providerId)).state
  const actor = valid.right.actor ?? valid.right.changedBy ?? (provider.status === 'None' ? 'provider' : provider.name)
  const trace = valid.right.correlationId === undefined ? {} : { correlationId: valid.right.correlationId }
  const recorded = await C.changeQuantity(sync.commands, { subscriptionId, quantity, actor, ...trace }, 'provider')
  if (E.isLeft(recorded)) {
    return recorded.left._tag === 'QuantityUnchanged' ? E.right({ ...base, outcome: 'unchanged' }) : recorded
  }
  return E.right({ ...base, outcome: 'recorded', licenseChangeId: recorded.right.licenseChangeId })
}

/** A subscription of an Automatic provider whose gateway can read it. */
interface Readable {
  readonly subscription: SubscriptionRow
  readonly read: () => Promise<ProviderSubscriptionState>
}

/**
 * The subscriptions whose provider can be read: Active ones of an Automatic provider whose gateway
 * reads (a suspended one differs from its provider on purpose until reactivated; a cancelled one
 * takes no change), all or the one named.
 */
const readable = (sync: Sync, only?: string): ReadonlyArray<Readable> => {
  const byId = new Map(catalogRows.providers(sync.views).map((row) => [row.providerId, row]))
  const rows = only === undefined ? catalogRows.subscriptions(sync.views) : catalogRows.subscriptions(sync.views).filter((row) => row.subscriptionId === only)
  return rows.flatMap((subscription): ReadonlyArray<Readable> => {
    if (subscription.status !== 'Active') return []
    const configuration = byId.get(subscription.providerId)?.configuration
    if (configuration?.kind !== 'Automatic') return []
    const readSubscription = (sync.gateways[subscription.providerId] ?? sync.gateways[configuration.system])?.readSubscription
    if (readSubscription === undefined) return []
    const reference = { subscriptionId: subscription.subscriptionId, providerId: subscription.providerId, system: configuration.system, product: subscription.product }
    return [{ subscription, read: () => readSubscription(reference) }]
  })
}

/** What asking the gateways found: each provider state read, and the subscriptions that could not be read. */
export interface ProviderReadings {
  readonly states: ReadonlyArray<ProviderSubscriptionState>
  readonly failed: ReadonlyArray<{ readonly subscriptionId: string; readonly reason: string }>
}

/** Ask every Automatic subscription's gateway (where it can read), or the one named, for the provider's state; writes nothing. */
export const readProviderStates = async (sync: Sync, only?: string): Promise<ProviderReadings> => {
  const states: ProviderSubscriptionState[] = []
  const failed: Array<ProviderReadings['failed'][number]> = []
  for (const { subscription, read } of readable(sync, only)) {
    try {
      states.push({ ...await read(), subscriptionId: subscription.subscriptionId })
    } catch (error) {
      failed.push({ subscriptionId: subscription.subscriptionId, reason: messageOf(error) })
    }
  }
  return { states, failed }
}

/** The drift report over the current views: subscriptions whose provider quantity differs, and what a sync would record. */
export const currentDrift = (sync: Sync, states: ReadonlyArray<ProviderSubscriptionState>): ReadonlyArray<Drift> =>
  driftReport(catalogRows.subscriptions(sync.views).map((row) => seatflowSubscription(sync.views, row.subscriptionId, row.quantity)), states)

