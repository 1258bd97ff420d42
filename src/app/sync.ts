import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { SeatflowError } from '../domain/errors'
import { Name, SubscriptionIdInput } from '../domain/fields'
import { IsoTime, Quantity } from '../domain/values'
import { ProviderRow, providersView, SubscriptionRow, subscriptionsView } from '../projections/catalog'
import { LicenseChangeRow } from '../projections/licenseChangeLog'
import { ProviderSubscriptionState } from '../providers/gateway'
import { Drift, driftReport, SeatflowSubscription, syncVerdict } from '../providers/sync'
import { load, providerAggregate, streams, subscriptionAggregate } from './aggregates'
import * as C from './commands'
import { Context } from './context'
import * as I from './inputs'
import { unresolvedChanges } from './provisioning'

/** A provider's report of a subscription's quantity: who changed it there and when, when it says. */
export const SyncInput = t.exact(t.intersection([
  t.type({ subscriptionId: SubscriptionIdInput, quantity: Quantity }),
  t.partial({ changedBy: Name, changedAt: IsoTime, correlationId: Name }),
]), 'SyncFromProvider')

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
const seatflowSubscription = (unresolved: ReadonlyArray<LicenseChangeRow>, subscriptionId: string, quantity: number): SeatflowSubscription => ({
  subscriptionId, quantity, unresolved: unresolved.filter((row) => row.subscriptionId === subscriptionId),
})

/**
 * Two-way sync of one subscription (views must be current): a different quantity at the provider
 * is recorded as a change from the provider (Not Applicable), by the provider-side actor when
 * reported; the same quantity, or one an unresolved change explains, writes nothing.
 */
export const syncFromProvider = async (context: Context, input: unknown): Promise<E.Either<SeatflowError, SyncResult>> => {
  const valid = I.validate('SyncFromProvider', SyncInput, input)
  if (E.isLeft(valid)) return valid
  const { subscriptionId, quantity } = valid.right
  const subscription = (await load(context.store, streams.subscription(subscriptionId), subscriptionAggregate)).state
  if (subscription.status === 'None') return E.left({ _tag: 'SubscriptionNotFound', subscriptionId })
  const base = { subscriptionId, seatflowQuantity: subscription.quantity, providerQuantity: quantity, licenseChangeId: null, waitingFor: null }
  const verdict = syncVerdict(seatflowSubscription(unresolvedChanges(context), subscriptionId, subscription.quantity), quantity)
  if (verdict.verdict === 'unchanged') return E.right({ ...base, outcome: 'unchanged' })
  if (verdict.verdict === 'pending change') return E.right({ ...base, outcome: 'pending change', waitingFor: verdict.waitingFor })
  const provider = (await load(context.store, streams.provider(subscription.providerId), providerAggregate)).state
  const actor = valid.right.changedBy ?? (provider.status === 'None' ? 'provider' : provider.name)
  const trace = valid.right.correlationId === undefined ? {} : { correlationId: valid.right.correlationId }
  const recorded = await C.changeQuantity(context, { subscriptionId, quantity, actor, ...trace }, 'provider')
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

const readable = (context: Context): ReadonlyArray<Readable> => {
  const providers = new Map((context.views.rows(providersView) as ReadonlyArray<ProviderRow>).map((row) => [row.providerId, row]))
  return (context.views.rows(subscriptionsView) as ReadonlyArray<SubscriptionRow>).flatMap((subscription): ReadonlyArray<Readable> => {
    const configuration = providers.get(subscription.providerId)?.configuration
    if (configuration?.kind !== 'Automatic') return []
    const gateway = context.gateways[subscription.providerId] ?? context.gateways[configuration.system]
    const readSubscription = gateway?.readSubscription
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

/** Ask every Automatic subscription's gateway (where it can read) for the provider's state; writes nothing. */
export const readProviderStates = async (context: Context): Promise<ProviderReadings> => {
  const states: ProviderSubscriptionState[] = []
  const failed: Array<ProviderReadings['failed'][number]> = []
  for (const { subscription, read } of readable(context)) {
    try {
      states.push({ ...await read(), subscriptionId: subscription.subscriptionId })
    } catch (error) {
      failed.push({ subscriptionId: subscription.subscriptionId, reason: error instanceof Error ? error.message : String(error) })
    }
  }
  return { states, failed }
}

/** The drift report over the current views: subscriptions whose provider quantity differs, and what a sync would record. */
export const currentDrift = (context: Context, states: ReadonlyArray<ProviderSubscriptionState>): ReadonlyArray<Drift> => {
  const unresolved = unresolvedChanges(context)
  return driftReport((context.views.rows(subscriptionsView) as ReadonlyArray<SubscriptionRow>)
    .map((row) => seatflowSubscription(unresolved, row.subscriptionId, row.quantity)), states)
}
