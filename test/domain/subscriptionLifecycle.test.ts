import { ProviderConfiguration } from '../../src/domain/events'
import { ProviderState } from '../../src/domain/provider'
import { decideSubscription, evolveSubscription, initialSubscriptionState } from '../../src/domain/subscription'
import { LifecycleCommand } from '../../src/domain/subscriptionLifecycle'
import { LicenseChangeId } from '../../src/domain/values'
import { bundleChildAttached, config, given, ids, lifecycle, qty, quantityChanged, subscriptionCreated, text, times } from '../support/given'

const subscription = given(decideSubscription, evolveSubscription, initialSubscriptionState)
const exchange = ids.subscription('exchange')
const life = lifecycle()

const active = (configuration: ProviderConfiguration, name: string): ProviderState =>
  ({ status: 'Active', providerId: ids.provider(name), name: text(name), configuration })
const techData = active(config.automatic(3, 'TechData'), 'TechData')
const techDataDeactivated: ProviderState = { status: 'Deactivated', providerId: ids.provider('TechData'), name: text('TechData'), configuration: config.automatic(3, 'TechData') }

const move = (overrides: Partial<Extract<LifecycleCommand, { type: 'MoveSubscription' }>> = {}): LifecycleCommand => ({
  type: 'MoveSubscription', subscriptionId: exchange, toProviderId: ids.provider('TechData'), toProvider: techData,
  unresolved: [], withdrawUnresolved: false, ...overrides,
})
const suspend = (reason = 'unpaid invoice'): LifecycleCommand => ({ type: 'SuspendSubscription', subscriptionId: exchange, reason })
const reactivate: LifecycleCommand = { type: 'ReactivateSubscription', subscriptionId: exchange }
const cancel = (liveChildren: ReadonlyArray<ReturnType<typeof ids.subscription>> = []): LifecycleCommand =>
  ({ type: 'CancelSubscription', subscriptionId: exchange, liveChildren })
const change = (to: number) =>
  ({ type: 'ChangeQuantity', subscriptionId: exchange, newQuantity: qty(to), origin: 'host', provider: active(config.manual(), 'Distributor') }) as const
const open = [ids.licenseChange('lc-1'), ids.licenseChange('lc-2')] as ReadonlyArray<LicenseChangeId>

describe('moving a subscription to another provider', () => {
  test('records the move, keeps the history and sends later changes to the new provider', () => {
    const state = subscription(subscriptionCreated(), quantityChanged(10, 12)).when(move()).then(life.moved('Distributor', 'TechData'))
    expect(state).toMatchObject({ status: 'Active', providerId: ids.provider('TechData'), quantity: 12 })
  })

  test('is refused while changes of the subscription are unresolved, naming them', () => {
    subscription(subscriptionCreated()).when(move({ unresolved: open }))
      .thenFails('UnresolvedChangesBlockMove', { subscriptionId: exchange, licenseChangeIds: open })
  })

  test('withdraws the unresolved changes when the caller asks', () => {
    subscription(subscriptionCreated()).when(move({ unresolved: open, withdrawUnresolved: true })).then(life.moved('Distributor', 'TechData', open))
  })

  test('to the provider it is on, to a missing or to a deactivated provider is refused', () => {
    subscription(subscriptionCreated()).when(move({ toProviderId: ids.provider('Distributor') }))
      .thenFails('SubscriptionAlreadyOnProvider', { subscriptionId: exchange, providerId: ids.provider('Distributor') })
    subscription(subscriptionCreated()).when(move({ toProvider: { status: 'None' } }))
      .thenFails('ProviderNotFound', { providerId: ids.provider('TechData') })
    subscription(subscriptionCreated()).when(move({ toProvider: techDataDeactivated }))
      .thenFails('ProviderDeactivated', { providerId: ids.provider('TechData'), name: 'TechData' })
  })

  test('a bundle parent stays on a Do Nothing provider', () => {
    subscription(subscriptionCreated(), bundleChildAttached(exchange, ids.subscription('child'), 2)).when(move())
      .thenFails('BundleParentNotVirtual', { parentId: exchange, providerKind: 'Automatic' })
  })

  test('of a subscription that does not exist, or is cancelled, is refused', () => {
    subscription().when(move()).thenFails('SubscriptionNotFound', { subscriptionId: exchange })
    subscription(subscriptionCreated(), life.cancelled(10)).when(move()).thenFails('SubscriptionCancelled', { subscriptionId: exchange })
  })
})

describe('suspending and reactivating', () => {
  test('a suspension keeps the quantity the provider has and why', () => {
    const state = subscription(subscriptionCreated()).when(suspend('unpaid invoice INV-7')).then(life.suspended('unpaid invoice INV-7'))
    expect(state).toMatchObject({ status: 'Suspended', quantity: 10, suspension: { quantityAtSuspension: 10, reason: 'unpaid invoice INV-7' } })
  })

  test('a suspended subscription still takes quantity changes (their License Changes are Not Applicable)', () => {
    subscription(subscriptionCreated(), life.suspended()).when(change(14)).then(quantityChanged(10, 14))
  })

  test('reactivation says what the provider has and what it must have now', () => {
    const state = subscription(subscriptionCreated(), life.suspended(), quantityChanged(10, 14)).when(reactivate).then(life.reactivated(10, 14))
    expect(state).toMatchObject({ status: 'Active', quantity: 14, suspension: null })
  })

  test('suspending twice, or reactivating what is not suspended, is refused', () => {
    subscription(subscriptionCreated(), life.suspended()).when(suspend()).thenFails('SubscriptionAlreadySuspended', { subscriptionId: exchange })
    subscription(subscriptionCreated()).when(reactivate).thenFails('SubscriptionNotSuspended', { subscriptionId: exchange })
  })
})

describe('cancelling', () => {
  test('records the change to zero; the subscription takes no further change', () => {
    const history = [subscriptionCreated(), quantityChanged(10, 12)] as const
    const state = subscription(...history).when(cancel()).then(life.cancelled(12))
    expect(state).toMatchObject({ status: 'Cancelled', quantity: 0 })
    const cancelled = [...history, life.cancelled(12)] as const
    subscription(...cancelled).when(change(3)).thenFails('SubscriptionCancelled', { subscriptionId: exchange })
    subscription(...cancelled).when(cancel()).thenFails('SubscriptionCancelled', { subscriptionId: exchange })
    subscription(...cancelled).when(suspend()).thenFails('SubscriptionCancelled', { subscriptionId: exchange })
    subscription(...cancelled).when(reactivate).thenFails('SubscriptionCancelled', { subscriptionId: exchange })
  })

  test('a suspended subscription can be cancelled', () => {
    subscription(subscriptionCreated(), life.suspended()).when(cancel()).then(life.cancelled(10))
  })

  test('a cancelled bundle parent takes no new child', () => {
    const parent = evolveSubscription(evolveSubscription(initialSubscriptionState, subscriptionCreated({ subscriptionId: ids.subscription('bundle'), quantity: qty(2) })), { type: 'SubscriptionCancelled', data: { subscriptionId: ids.subscription('bundle'), previousQuantity: qty(2) } })
    subscription().when({
      type: 'CreateSubscription', ...subscriptionCreated({ bundle: { parentId: ids.subscription('bundle'), multiplier: times(2) } }).data,
      provider: active(config.manual(), 'Distributor'), parent: { subscription: parent, provider: active(config.doNothing(), 'Bundles') },
    }).thenFails('SubscriptionCancelled', { subscriptionId: ids.subscription('bundle') })
  })

  test('a bundle parent is cancelled after its children', () => {
    const child = ids.subscription('child')
    subscription(subscriptionCreated(), bundleChildAttached(exchange, child, 2)).when(cancel([child]))
      .thenFails('BundleHasLiveChildren', { subscriptionId: exchange, childIds: [child] })
  })
})
