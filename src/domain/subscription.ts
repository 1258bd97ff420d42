import * as E from 'fp-ts/Either'
import { Aggregate, Decision as DecisionOf } from './decider'
import { SeatflowError } from './errors'
import { BundleLink, SubscriptionEvent, subscriptionStream } from './events'
import { ProviderState } from './provider'
import { checkProvider, decideLifecycle, LifecycleCommand, notCancelled } from './subscriptionLifecycle'
import { Email, Multiplier, NonEmptyString, Origin, ProviderId, Quantity, SubscriptionId } from './values'

/** A bundle child as its parent knows it. */
export interface BundleChild {
  readonly childId: SubscriptionId
  readonly multiplier: Multiplier
}

/** Where a subscription is in its life: Active, Suspended (its changes need no provisioning until reactivated) or Cancelled (it takes no change). */
export type SubscriptionLifecycle = 'Active' | 'Suspended' | 'Cancelled'

/** A subscription as its events made it. */
export type SubscriptionState =
  | { readonly status: 'None' }
  | {
    readonly status: SubscriptionLifecycle
    readonly subscriptionId: SubscriptionId
    readonly product: NonEmptyString
    readonly providerId: ProviderId
    readonly quantity: Quantity
    readonly billingContractId: NonEmptyString
    readonly contractOwnerEmail: Email
    readonly bundle: BundleLink | null
    readonly children: ReadonlyArray<BundleChild>
    /** While suspended: the quantity when it was suspended (what the provider still has) and why. */
    readonly suspension: { readonly quantityAtSuspension: Quantity; readonly reason: string } | null
  }

export const initialSubscriptionState: SubscriptionState = { status: 'None' }

export interface CreateSubscription {
  readonly type: 'CreateSubscription'
  readonly subscriptionId: SubscriptionId
  readonly product: NonEmptyString
  readonly providerId: ProviderId
  /** The seats; none given: a bundle child takes its parent's quantity times its multiplier, anything else 0. */
  readonly quantity?: Quantity
  readonly billingContractId: NonEmptyString
  readonly contractOwnerEmail: Email
  readonly bundle: BundleLink | null
  /** The subscription's provider, as the application read it. */
  readonly provider: ProviderState
  /** The bundle parent and its provider, when there is a bundle. */
  readonly parent: { readonly subscription: SubscriptionState; readonly provider: ProviderState } | null
}

export interface ChangeQuantity {
  readonly type: 'ChangeQuantity'
  readonly subscriptionId: SubscriptionId
  readonly newQuantity: Quantity
  readonly origin: Origin
  /** The subscription's provider, as the application read it. */
  readonly provider: ProviderState
}

export interface AttachBundleChild {
  readonly type: 'AttachBundleChild'
  readonly subscriptionId: SubscriptionId
  readonly childId: SubscriptionId
  readonly multiplier: Multiplier
}

export type SubscriptionCommand = CreateSubscription | ChangeQuantity | AttachBundleChild | LifecycleCommand
type Decision = DecisionOf<SubscriptionEvent>

/** A bundle child's quantity is always its parent's times its multiplier. */
export const childQuantity = (parentQuantity: Quantity, multiplier: Multiplier): Quantity => (parentQuantity * multiplier) as Quantity

/** The quantity a new subscription starts with, or why its bundle refuses it. */
const startingQuantity = (command: CreateSubscription): E.Either<SeatflowError, Quantity> => {
  if (command.bundle === null) return E.right(command.quantity ?? (0 as Quantity))
  const parentId = command.bundle.parentId
  const parent = command.parent
  if (parent === null || parent.subscription.status === 'None') return E.left({ _tag: 'BundleParentNotFound', parentId })
  if (parent.subscription.status === 'Cancelled') return E.left({ _tag: 'SubscriptionCancelled', subscriptionId: parentId })
  if (parent.provider.status === 'None' || parent.provider.configuration.kind !== 'Do Nothing') {
    const providerKind = parent.provider.status === 'None' ? 'unknown' : parent.provider.configuration.kind
    return E.left({ _tag: 'BundleParentNotVirtual', parentId, providerKind })
  }
  const expected = childQuantity(parent.subscription.quantity, command.bundle.multiplier)
  const given = command.quantity ?? expected
  return expected === given ? E.right(expected) : E.left({ _tag: 'BundleQuantityMismatch', expected, given })
}

const create = (command: CreateSubscription, state: SubscriptionState): Decision => {
  if (state.status !== 'None') return E.left({ _tag: 'SubscriptionAlreadyExists', subscriptionId: command.subscriptionId })
  const refused = checkProvider(command.providerId, command.provider)
  if (refused !== null) return E.left(refused)
  const starting = startingQuantity(command)
  if (E.isLeft(starting)) return starting
  const quantity = starting.right
  const { subscriptionId, product, providerId, billingContractId, contractOwnerEmail, bundle } = command
  return E.right([{
    type: 'SubscriptionCreated',
    data: { subscriptionId, product, providerId, quantity, billingContractId, contractOwnerEmail, bundle },
  }])
}

const changeQuantity = (command: ChangeQuantity, current: SubscriptionState): Decision => {
  const { subscriptionId, newQuantity, origin } = command
  const found = notCancelled(subscriptionId, current)
  if (E.isLeft(found)) return found
  const state = found.right
  if (state.bundle !== null && origin === 'host') {
    return E.left({ _tag: 'BundleChildFollowsParent', subscriptionId, parentId: state.bundle.parentId })
  }
  const refused = origin === 'host' ? checkProvider(state.providerId, command.provider) : null
  if (refused !== null) return E.left(refused)
  if (state.quantity === newQuantity) return E.left({ _tag: 'QuantityUnchanged', subscriptionId, quantity: newQuantity })
  return E.right([{
    type: 'SubscriptionQuantityChanged',
    data: { subscriptionId, previousQuantity: state.quantity, newQuantity, origin },
  }])
}

/** Decide what a subscription command records. */
export const decideSubscription = (command: SubscriptionCommand, state: SubscriptionState): Decision => {
  switch (command.type) {
    case 'CreateSubscription':
      return create(command, state)
    case 'ChangeQuantity':
      return changeQuantity(command, state)
    case 'AttachBundleChild':
      if (state.status === 'None') return E.left({ _tag: 'SubscriptionNotFound', subscriptionId: command.subscriptionId })
      return state.children.some((child) => child.childId === command.childId)
        ? E.right([])
        : E.right([{ type: 'BundleChildAttached', data: { subscriptionId: command.subscriptionId, childId: command.childId, multiplier: command.multiplier } }])
    default:
      return decideLifecycle(command, state)
  }
}

/** Apply a subscription event. */
export const evolveSubscription = (state: SubscriptionState, event: SubscriptionEvent): SubscriptionState => {
  if (event.type === 'SubscriptionCreated') return { status: 'Active', ...event.data, children: [], suspension: null }
  if (state.status === 'None') return state
  switch (event.type) {
    case 'SubscriptionQuantityChanged':
      return { ...state, quantity: event.data.newQuantity }
    case 'BundleChildAttached':
      return { ...state, children: [...state.children, { childId: event.data.childId, multiplier: event.data.multiplier }] }
    case 'SubscriptionMoved':
      return { ...state, providerId: event.data.toProviderId }
    case 'SubscriptionSuspended':
      return { ...state, status: 'Suspended', suspension: { quantityAtSuspension: state.quantity, reason: event.data.reason } }
    case 'SubscriptionReactivated':
      return { ...state, status: 'Active', suspension: null }
    case 'SubscriptionCancelled':
      return { ...state, status: 'Cancelled', quantity: 0 as Quantity, suspension: null }
  }
}

/** Subscriptions: one stream each, `subscription-<id>`. */
export const subscriptions: Aggregate<SubscriptionCommand, SubscriptionState, SubscriptionEvent> = {
  name: 'subscription', streamOf: subscriptionStream,
  eventTypes: [
    'SubscriptionCreated', 'SubscriptionQuantityChanged', 'BundleChildAttached',
    'SubscriptionMoved', 'SubscriptionSuspended', 'SubscriptionReactivated', 'SubscriptionCancelled',
  ],
  decide: decideSubscription, evolve: evolveSubscription, initialState: initialSubscriptionState,
}
