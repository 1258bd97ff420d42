import { ProviderConfiguration } from '../../src/domain/events'
import { ProviderState } from '../../src/domain/provider'
import {
  CreateSubscription, decideSubscription, evolveSubscription, initialSubscriptionState, SubscriptionState,
} from '../../src/domain/subscription'
import { Origin } from '../../src/domain/values'
import {
  bundleChildAttached, config, given, ids, qty, quantityChanged, subscriptionCreated, subscriptionData, text, times,
} from '../support/given'

const subscription = given(decideSubscription, evolveSubscription, initialSubscriptionState)

const active = (configuration: ProviderConfiguration, name = 'Distributor'): ProviderState =>
  ({ status: 'Active', providerId: ids.provider(name), name: text(name), configuration })
const deactivated = (configuration: ProviderConfiguration, name = 'Distributor'): ProviderState =>
  ({ status: 'Deactivated', providerId: ids.provider(name), name: text(name), configuration })
const noProvider: ProviderState = { status: 'None' }

const exchange = ids.subscription('exchange')
const bundle = ids.subscription('bundle')
const bundleProvider = active(config.doNothing(), 'Bundles')

const create = (overrides: Partial<CreateSubscription> = {}): CreateSubscription => ({
  type: 'CreateSubscription',
  ...subscriptionData(),
  provider: active(config.manual()),
  parent: null,
  ...overrides,
})

const parentState = (quantity: number): SubscriptionState =>
  evolveSubscription(initialSubscriptionState, subscriptionCreated({
    subscriptionId: bundle, product: text('M365 Bundle'), providerId: ids.provider('Bundles'), quantity: qty(quantity),
  }))

const childOfBundle = (quantity: number, multiplier: number) => subscriptionCreated({
  quantity: qty(quantity), bundle: { parentId: bundle, multiplier: times(multiplier) },
})

const change = (to: number, origin: Origin = 'host', provider: ProviderState = active(config.manual())) =>
  ({ type: 'ChangeQuantity', subscriptionId: exchange, newQuantity: qty(to), origin, provider }) as const

describe('creating a subscription', () => {
  test('a new subscription on an active provider is created with its quantity and contract owner', () => {
    const state = subscription().when(create()).then(subscriptionCreated())
    expect(state).toStrictEqual({ status: 'Active', ...subscriptionData(), children: [], suspension: null })
  })

  test('a subscription that exists already cannot be created again', () => {
    subscription(subscriptionCreated()).when(create({ quantity: qty(99) }))
      .thenFails('SubscriptionAlreadyExists', { subscriptionId: exchange })
  })

  test('a subscription on a provider that does not exist is refused', () => {
    subscription().when(create({ provider: noProvider }))
      .thenFails('ProviderNotFound', { providerId: ids.provider('Distributor') })
  })

  test('a subscription on a deactivated provider is refused, naming the provider', () => {
    subscription().when(create({ provider: deactivated(config.manual()) }))
      .thenFails('ProviderDeactivated', { providerId: ids.provider('Distributor'), name: 'Distributor' })
  })

  test('a bundle child is created when its quantity is the parent quantity times the multiplier', () => {
    subscription()
      .when(create({ quantity: qty(15), bundle: { parentId: bundle, multiplier: times(5) }, parent: { subscription: parentState(3), provider: bundleProvider } }))
      .then(childOfBundle(15, 5))
  })

  test('a bundle child whose parent is not given is refused: parent not found', () => {
    subscription().when(create({ bundle: { parentId: bundle, multiplier: times(1) }, parent: null }))
      .thenFails('BundleParentNotFound', { parentId: bundle })
  })

  test('a bundle child whose parent subscription does not exist is refused: parent not found', () => {
    subscription()
      .when(create({ bundle: { parentId: bundle, multiplier: times(1) }, parent: { subscription: initialSubscriptionState, provider: bundleProvider } }))
      .thenFails('BundleParentNotFound', { parentId: bundle })
  })

  test('a bundle parent must be on a Do Nothing provider', () => {
    subscription()
      .when(create({ bundle: { parentId: bundle, multiplier: times(1) }, quantity: qty(3), parent: { subscription: parentState(3), provider: active(config.automatic()) } }))
      .thenFails('BundleParentNotVirtual', { parentId: bundle, providerKind: 'Automatic' })
  })

  test('a bundle parent whose provider is unknown is not virtual either', () => {
    subscription()
      .when(create({ bundle: { parentId: bundle, multiplier: times(1) }, quantity: qty(3), parent: { subscription: parentState(3), provider: noProvider } }))
      .thenFails('BundleParentNotVirtual', { parentId: bundle, providerKind: 'unknown' })
  })

  test('a bundle child with a quantity other than parent × multiplier is refused with both numbers', () => {
    subscription()
      .when(create({ quantity: qty(14), bundle: { parentId: bundle, multiplier: times(5) }, parent: { subscription: parentState(3), provider: bundleProvider } }))
      .thenFails('BundleQuantityMismatch', { expected: 15, given: 14 })
  })

  test('the provider is checked before the bundle', () => {
    subscription()
      .when(create({ provider: deactivated(config.manual()), bundle: { parentId: bundle, multiplier: times(1) }, parent: null }))
      .thenFails('ProviderDeactivated')
  })
})

describe('changing the quantity', () => {
  test('a host change records the previous and the new quantity', () => {
    const state = subscription(subscriptionCreated()).when(change(12)).then(quantityChanged(10, 12))
    expect(state).toMatchObject({ status: 'Active', quantity: 12 })
  })

  test('a decrease is recorded like an increase', () => {
    subscription(subscriptionCreated(), quantityChanged(10, 12)).when(change(4)).then(quantityChanged(12, 4))
  })

  test('a change to a subscription that does not exist is refused', () => {
    subscription().when(change(12)).thenFails('SubscriptionNotFound', { subscriptionId: exchange })
  })

  test('a change to the same quantity is refused: nothing to record', () => {
    subscription(subscriptionCreated(), quantityChanged(10, 12)).when(change(12))
      .thenFails('QuantityUnchanged', { subscriptionId: exchange, quantity: 12 })
  })

  test('a host change on a deactivated provider is refused', () => {
    subscription(subscriptionCreated()).when(change(12, 'host', deactivated(config.manual())))
      .thenFails('ProviderDeactivated', { providerId: ids.provider('Distributor'), name: 'Distributor' })
  })

  test('a host change on a provider that no longer exists is refused', () => {
    subscription(subscriptionCreated()).when(change(12, 'host', noProvider))
      .thenFails('ProviderNotFound', { providerId: ids.provider('Distributor') })
  })

  test('a change that came from the provider is accepted even when the provider is deactivated', () => {
    subscription(subscriptionCreated()).when(change(7, 'provider', deactivated(config.automatic())))
      .then(quantityChanged(10, 7, 'provider'))
  })

  test('a change that came from the bundle parent is accepted even when the provider is deactivated', () => {
    subscription(childOfBundle(10, 5)).when(change(15, 'bundle', deactivated(config.manual())))
      .then(quantityChanged(10, 15, 'bundle'))
  })

  test('a bundle child follows its parent: a host change of the child is refused', () => {
    subscription(childOfBundle(10, 5)).when(change(11))
      .thenFails('BundleChildFollowsParent', { subscriptionId: exchange, parentId: bundle })
  })

  test('a bundle child still takes the changes its provider reports', () => {
    subscription(childOfBundle(10, 5)).when(change(11, 'provider')).then(quantityChanged(10, 11, 'provider'))
  })
})

describe('attaching bundle children', () => {
  const attach = (childId = exchange, multiplier = 5) =>
    ({ type: 'AttachBundleChild', subscriptionId: bundle, childId, multiplier: times(multiplier) }) as const
  const parentCreated = subscriptionCreated({ subscriptionId: bundle, quantity: qty(3) })

  test('a parent records each child it gets, with its multiplier', () => {
    const state = subscription(parentCreated).when(attach()).then(bundleChildAttached(bundle, exchange, 5))
    expect(state).toMatchObject({ children: [{ childId: exchange, multiplier: 5 }] })
  })

  test('attaching the same child twice is a no-op', () => {
    subscription(parentCreated, bundleChildAttached(bundle, exchange, 5)).when(attach()).thenNothing()
  })

  test('a second child is attached next to the first', () => {
    const teams = ids.subscription('teams')
    const state = subscription(parentCreated, bundleChildAttached(bundle, exchange, 5))
      .when(attach(teams, 2)).then(bundleChildAttached(bundle, teams, 2))
    expect(state).toMatchObject({ children: [{ childId: exchange, multiplier: 5 }, { childId: teams, multiplier: 2 }] })
  })

  test('a child cannot be attached to a parent that does not exist', () => {
    subscription().when(attach()).thenFails('SubscriptionNotFound', { subscriptionId: bundle })
  })
})

describe('evolving a subscription', () => {
  test('events for a subscription that was never created leave it absent', () => {
    const state = [quantityChanged(10, 12), bundleChildAttached(exchange, bundle, 1)]
      .reduce(evolveSubscription, initialSubscriptionState)
    expect(state).toStrictEqual({ status: 'None' })
  })
})
