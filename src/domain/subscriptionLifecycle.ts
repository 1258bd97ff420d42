import * as E from 'fp-ts/Either'
import type { Decision as DecisionOf } from './decider'
import { SeatflowError } from './errors'
import { SubscriptionEvent } from './events'
import { ProviderState } from './provider'
import type { SubscriptionState } from './subscription'
import { LicenseChangeId, ProviderId, SubscriptionId } from './values'

type Decision = DecisionOf<SubscriptionEvent>
type Existing = Exclude<SubscriptionState, { status: 'None' }>

/** Move a subscription to another provider; its unresolved changes block the move unless the caller withdraws them. */
export interface MoveSubscription {
  readonly type: 'MoveSubscription'
  readonly subscriptionId: SubscriptionId
  readonly toProviderId: ProviderId
  /** The provider it moves to, as the application read it. */
  readonly toProvider: ProviderState
  /** Its License Changes that are unresolved now (Awaiting, or Failed and neither superseded nor withdrawn), as the application read them. */
  readonly unresolved: ReadonlyArray<LicenseChangeId>
  /** Withdraw those changes (Failed Provisioning, never sent again) instead of refusing the move. */
  readonly withdrawUnresolved: boolean
}

export interface SuspendSubscription {
  readonly type: 'SuspendSubscription'
  readonly subscriptionId: SubscriptionId
  readonly reason: string
}

export interface ReactivateSubscription {
  readonly type: 'ReactivateSubscription'
  readonly subscriptionId: SubscriptionId
}

export interface CancelSubscription {
  readonly type: 'CancelSubscription'
  readonly subscriptionId: SubscriptionId
  /** Its bundle children that are not cancelled, as the application read them: a parent is cancelled after them. */
  readonly liveChildren: ReadonlyArray<SubscriptionId>
}

export type LifecycleCommand = MoveSubscription | SuspendSubscription | ReactivateSubscription | CancelSubscription

/** Why a provider takes no subscription or change, or null when it does. */
export const checkProvider = (providerId: ProviderId, provider: ProviderState): SeatflowError | null => {
  if (provider.status === 'None') return { _tag: 'ProviderNotFound', providerId }
  if (provider.status === 'Deactivated') return { _tag: 'ProviderDeactivated', providerId, name: provider.name }
  return null
}

/** The subscription, unless it does not exist or is cancelled (a cancelled subscription takes no further change). */
export const notCancelled = (subscriptionId: SubscriptionId, state: SubscriptionState): E.Either<SeatflowError, Existing> => {
  if (state.status === 'None') return E.left({ _tag: 'SubscriptionNotFound', subscriptionId })
  if (state.status === 'Cancelled') return E.left({ _tag: 'SubscriptionCancelled', subscriptionId })
  return E.right(state)
}

const move = (command: MoveSubscription, state: Existing): Decision => {
  const { subscriptionId, toProviderId, toProvider, unresolved } = command
  if (state.providerId === toProviderId) return E.left({ _tag: 'SubscriptionAlreadyOnProvider', subscriptionId, providerId: toProviderId })
  const refused = checkProvider(toProviderId, toProvider)
  if (refused !== null) return E.left(refused)
  if (state.children.length > 0 && toProvider.status === 'Active' && toProvider.configuration.kind !== 'Do Nothing') {
    return E.left({ _tag: 'BundleParentNotVirtual', parentId: subscriptionId, providerKind: toProvider.configuration.kind })
  }
  if (unresolved.length > 0 && !command.withdrawUnresolved) {
    return E.left({ _tag: 'UnresolvedChangesBlockMove', subscriptionId, licenseChangeIds: unresolved })
  }
  return E.right([{ type: 'SubscriptionMoved', data: { subscriptionId, fromProviderId: state.providerId, toProviderId, withdrawn: unresolved } }])
}

/** Decide a lifecycle command: move, suspend, reactivate, cancel. */
export const decideLifecycle = (command: LifecycleCommand, state: SubscriptionState): Decision => {
  const { subscriptionId } = command
  const found = notCancelled(subscriptionId, state)
  if (E.isLeft(found)) return found
  const subscription = found.right
  switch (command.type) {
    case 'MoveSubscription':
      return move(command, subscription)
    case 'SuspendSubscription':
      if (subscription.status === 'Suspended') return E.left({ _tag: 'SubscriptionAlreadySuspended', subscriptionId })
      return E.right([{ type: 'SubscriptionSuspended', data: { subscriptionId, reason: command.reason } }])
    case 'ReactivateSubscription':
      if (subscription.status !== 'Suspended') return E.left({ _tag: 'SubscriptionNotSuspended', subscriptionId })
      return E.right([{
        type: 'SubscriptionReactivated',
        data: { subscriptionId, quantityAtSuspension: subscription.suspension?.quantityAtSuspension ?? subscription.quantity, quantity: subscription.quantity },
      }])
    case 'CancelSubscription':
      if (command.liveChildren.length > 0) return E.left({ _tag: 'BundleHasLiveChildren', subscriptionId, childIds: command.liveChildren })
      return E.right([{ type: 'SubscriptionCancelled', data: { subscriptionId, previousQuantity: subscription.quantity } }])
  }
}
