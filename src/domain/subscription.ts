import * as E from 'fp-ts/Either'
import { Aggregate, Decision as DecisionOf } from './decider'
import { SeatflowError } from './errors'
import { BundleLink, SubscriptionEvent, subscriptionStream } from './events'
import { ProviderState } from './provider'
import { Email, Multiplier, NonEmptyString, Origin, ProviderId, Quantity, SubscriptionId } from './values'

/** A bundle child as its parent knows it. */
export interface BundleChild {
  readonly childId: SubscriptionId
  readonly multiplier: Multiplier
}

/** A subscription as its events made it. */
export type SubscriptionState =
  | { readonly status: 'None' }
  | {
    readonly status: 'Active'
    readonly subscriptionId: SubscriptionId
    readonly product: NonEmptyString
    readonly providerId: ProviderId
    readonly quantity: Quantity
    readonly billingContractId: NonEmptyString
    readonly contractOwnerEmail: Email
    readonly bundle: BundleLink | null
    readonly children: ReadonlyArray<BundleChild>
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

export type SubscriptionCommand = CreateSubscription | ChangeQuantity | AttachBundleChild
type Decision = DecisionOf<SubscriptionEvent>

const checkProvider = (providerId: ProviderId, provider: ProviderState): SeatflowError | null => {
  if (provider.status === 'None') return { _tag: 'ProviderNotFound', providerId }
  if (provider.status === 'Deactivated') return { _tag: 'ProviderDeactivated', providerId, name: provider.name }
  return null
}

/** A bundle child's quantity is always its parent's times its multiplier. */
export const childQuantity = (parentQuantity: Quantity, multiplier: Multiplier): Quantity => (parentQuantity * multiplier) as Quantity

/** The quantity a new subscription starts with, or why its bundle refuses it. */
const startingQuantity = (command: CreateSubscription): E.Either<SeatflowError, Quantity> => {
  if (command.bundle === null) return E.right(command.quantity ?? (0 as Quantity))
  const parentId = command.bundle.parentId
  const parent = command.parent
  if (parent === null || parent.subscription.status === 'None') return E.left({ _tag: 'BundleParentNotFound', parentId })
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

const changeQuantity = (command: ChangeQuantity, state: SubscriptionState): Decision => {
  const { subscriptionId, newQuantity, origin } = command
  if (state.status === 'None') return E.left({ _tag: 'SubscriptionNotFound', subscriptionId })
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
  }
}

/** Apply a subscription event. */
export const evolveSubscription = (state: SubscriptionState, event: SubscriptionEvent): SubscriptionState => {
  switch (event.type) {
    case 'SubscriptionCreated':
      return { status: 'Active', ...event.data, children: [] }
    case 'SubscriptionQuantityChanged':
      return state.status === 'None' ? state : { ...state, quantity: event.data.newQuantity }
    case 'BundleChildAttached':
      return state.status === 'None'
        ? state
        : { ...state, children: [...state.children, { childId: event.data.childId, multiplier: event.data.multiplier }] }
  }
}

/** Subscriptions: one stream each, `subscription-<id>`. */
export const subscriptions: Aggregate<SubscriptionCommand, SubscriptionState, SubscriptionEvent> = {
  name: 'subscription', streamOf: subscriptionStream,
  eventTypes: ['SubscriptionCreated', 'SubscriptionQuantityChanged', 'BundleChildAttached'],
  decide: decideSubscription, evolve: evolveSubscription, initialState: initialSubscriptionState,
}
