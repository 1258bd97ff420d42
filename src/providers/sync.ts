import { ProviderKind } from '../domain/values'
import { ProviderSubscriptionState } from './gateway'

/** An unresolved License Change as two-way sync weighs it; `recordedPosition` orders a subscription's changes. */
export interface UnresolvedChange {
  readonly licenseChangeId: string
  readonly previousQuantity: number
  readonly newQuantity: number
  readonly recordedPosition: number
  readonly providerKind: ProviderKind
}

/** A subscription as seatflow holds it, with its unresolved License Changes (Awaiting, or Failed and not superseded). */
export interface SeatflowSubscription {
  readonly subscriptionId: string
  readonly quantity: number
  readonly unresolved: ReadonlyArray<UnresolvedChange>
}

/** What two-way sync makes of a quantity the provider reports. */
export type SyncVerdict =
  | { readonly verdict: 'unchanged' }
  /** The provider shows a quantity an unresolved change explains (not applied yet, or applied and not confirmed): nothing is written. */
  | { readonly verdict: 'pending change'; readonly waitingFor: string }
  /** A change made at the provider: recorded from the provider, Not Applicable; it supersedes the unresolved Automatic changes. */
  | { readonly verdict: 'record'; readonly previousQuantity: number; readonly newQuantity: number; readonly supersedes: ReadonlyArray<string> }

/**
 * Two-way sync's rule. The same quantity: nothing. While changes of the subscription are
 * unresolved, the provider may rightly show the quantity before them or the target of any of
 * them: nothing is written then, so neither a seatflow change nor the provider's state is lost
 * (a later sync, once they resolve, compares again). Any other quantity was set at the provider:
 * it is recorded, and the unresolved Automatic changes' targets are stale (never sent again).
 */
export const syncVerdict = (subscription: SeatflowSubscription, providerQuantity: number): SyncVerdict => {
  if (providerQuantity === subscription.quantity) return { verdict: 'unchanged' }
  const unresolved = [...subscription.unresolved].sort((a, b) => a.recordedPosition - b.recordedPosition)
  const first = unresolved[0]
  if (first !== undefined && (first.previousQuantity === providerQuantity || unresolved.some((row) => row.newQuantity === providerQuantity))) {
    return { verdict: 'pending change', waitingFor: first.licenseChangeId }
  }
  return {
    verdict: 'record', previousQuantity: subscription.quantity, newQuantity: providerQuantity,
    supersedes: unresolved.filter((row) => row.providerKind === 'Automatic').map((row) => row.licenseChangeId),
  }
}

/** One subscription whose provider quantity differs from seatflow's, and what a sync would record. */
export interface Drift {
  readonly subscriptionId: string
  readonly seatflowQuantity: number
  readonly providerQuantity: number
  readonly changedBy: string | null
  readonly changedAt: string | null
  /** The License Change a sync would record (origin provider, Not Applicable), or null while an unresolved change explains the difference. */
  readonly wouldRecord: {
    readonly origin: 'provider'
    readonly status: 'Not Applicable'
    readonly previousQuantity: number
    readonly newQuantity: number
    readonly delta: number
    /** The unresolved Automatic changes it would supersede. */
    readonly supersedes: ReadonlyArray<string>
  } | null
  /** The unresolved change that explains the difference, when one does. */
  readonly waitingFor: string | null
}

/** The drift report: every subscription whose provider quantity differs from seatflow's (states of unknown subscriptions are left out). */
export const driftReport = (
  subscriptions: ReadonlyArray<SeatflowSubscription>, states: ReadonlyArray<ProviderSubscriptionState>,
): ReadonlyArray<Drift> => {
  const byId = new Map(subscriptions.map((subscription) => [subscription.subscriptionId, subscription]))
  return states.flatMap((state): ReadonlyArray<Drift> => {
    const subscription = byId.get(state.subscriptionId)
    if (subscription === undefined) return []
    const verdict = syncVerdict(subscription, state.quantity)
    if (verdict.verdict === 'unchanged') return []
    const base = {
      subscriptionId: state.subscriptionId, seatflowQuantity: subscription.quantity, providerQuantity: state.quantity,
      changedBy: state.changedBy ?? null, changedAt: state.changedAt ?? null,
    }
    return verdict.verdict === 'pending change'
      ? [{ ...base, wouldRecord: null, waitingFor: verdict.waitingFor }]
      : [{
        ...base, waitingFor: null,
        wouldRecord: {
          origin: 'provider', status: 'Not Applicable', previousQuantity: verdict.previousQuantity, newQuantity: verdict.newQuantity,
          delta: verdict.newQuantity - verdict.previousQuantity, supersedes: verdict.supersedes,
        },
      }]
  })
}
