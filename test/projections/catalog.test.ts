import { CopiedEmailAddressesKey } from '../../src/domain/events'
import { providers, settings, subscriptions, suspendedSubscriptionsView } from '../../src/projections/catalog'
import {
  bundleChildAttached, config, fold, hoursIn, ids, lc, licenseChangeRecorded, lifecycle, log, providerDeactivated, providerRegistered,
  qty, quantityChanged, recorded, settingChanged, subscriptionCreated, text, times,
} from '../support/given'

const distributor = ids.provider('Distributor')
const exchange = ids.subscription('exchange')

describe('the providers view', () => {
  test('a registered provider is active, with its kind, configuration and registration time', () => {
    expect(fold(providers, log(providerRegistered(config.manual()))).get(distributor)).toStrictEqual({
      providerId: distributor, name: 'Distributor', kind: 'Manual', configuration: config.manual(), active: true, registeredAt: hoursIn(1),
    })
  })

  test('a configuration change renames and reconfigures, and keeps the registration time', () => {
    const changed = {
      type: 'ProviderConfigurationChanged',
      data: { providerId: distributor, name: text('Distributor EU'), configuration: config.manual('eu@distributor.example') },
    } as const
    expect(fold(providers, log(providerRegistered(), changed)).get(distributor)).toStrictEqual({
      providerId: distributor, name: 'Distributor EU', kind: 'Manual', configuration: config.manual('eu@distributor.example'),
      active: true, registeredAt: hoursIn(1),
    })
  })

  test('a deactivated provider stays in the view, inactive', () => {
    expect(fold(providers, log(providerRegistered(), providerDeactivated(distributor))).get(distributor)).toMatchObject({ active: false })
  })

  test('changes to a provider it never saw registered make no row', () => {
    expect(fold(providers, log(providerDeactivated(distributor))).size).toBe(0)
  })

  test('a License Change that names a provider is not a provider event', () => {
    const events = log(licenseChangeRecorded(), subscriptionCreated())
    expect(events.map(providers.route)).toEqual([null, null])
  })
})

describe('the subscriptions view', () => {
  test('a created subscription shows its quantity, contract and times', () => {
    expect(fold(subscriptions, log(subscriptionCreated())).get(exchange)).toStrictEqual({
      subscriptionId: exchange, product: 'Exchange Online', providerId: distributor, status: 'Active', suspendedReason: null, quantity: 10,
      billingContractId: 'BC-1', contractOwnerEmail: 'owner@customer.example', bundle: null,
      createdAt: hoursIn(1), changedAt: hoursIn(1),
    })
  })

  test('a quantity change updates the quantity and when it changed, not when it was created', () => {
    expect(fold(subscriptions, log(subscriptionCreated(), quantityChanged(10, 12), quantityChanged(12, 4, 'provider'))).get(exchange))
      .toMatchObject({ quantity: 4, createdAt: hoursIn(1), changedAt: hoursIn(3) })
  })

  test('a bundle child shows its parent and multiplier; attaching it changes nothing else', () => {
    const bundle = ids.subscription('bundle')
    const rows = fold(subscriptions, log(
      subscriptionCreated({ subscriptionId: bundle, quantity: qty(3) }),
      subscriptionCreated({ quantity: qty(15), bundle: { parentId: bundle, multiplier: times(5) } }),
      bundleChildAttached(bundle, exchange, 5),
    ))
    expect(rows.get(exchange)).toMatchObject({ quantity: 15, bundle: { parentId: bundle, multiplier: 5 } })
    expect(rows.get(bundle)).toMatchObject({ quantity: 3, bundle: null, changedAt: hoursIn(1) })
  })

  test('its lifecycle: moved, suspended with why, reactivated, cancelled to zero; the suspended index holds it while suspended', () => {
    const life = lifecycle()
    const steps = [subscriptionCreated(), life.moved('Distributor', 'TechData'), life.suspended('unpaid'), life.reactivated(10, 10), life.cancelled(10)]
    const rows = steps.map((_, n) => fold(subscriptions, log(...steps.slice(0, n + 1))).get(exchange))
    expect(rows.map((row) => [row?.providerId === distributor ? 'Distributor' : 'TechData', row?.status, row?.suspendedReason, row?.quantity])).toEqual([
      ['Distributor', 'Active', null, 10], ['TechData', 'Active', null, 10], ['TechData', 'Suspended', 'unpaid', 10],
      ['TechData', 'Active', null, 10], ['TechData', 'Cancelled', null, 0],
    ])
    const [suspendedIndex] = subscriptions.indexes
    expect(suspendedIndex?.view).toBe(suspendedSubscriptionsView)
    expect(rows.map((row) => row !== undefined && suspendedIndex?.keep(row))).toEqual([false, false, true, false, false])
  })

  test('a quantity change of a subscription it never saw created makes no row', () => {
    expect(fold(subscriptions, log(quantityChanged(10, 12))).size).toBe(0)
  })

  test('License Change events are not subscription events', () => {
    expect(log(licenseChangeRecorded(), lc().requested()).map(subscriptions.route)).toEqual([null, null])
  })
})

describe('the settings view', () => {
  test('shows the copied addresses with who changed them last and when', () => {
    const events = [
      recorded(settingChanged('ops@reseller.example'), { position: 1, at: hoursIn(1), actor: 'alex' }),
      recorded(settingChanged('audit@reseller.example', 'ops@reseller.example'), { position: 2, at: hoursIn(5), actor: 'dana' }),
    ]
    expect(fold(settings, events).get(CopiedEmailAddressesKey)).toStrictEqual({
      key: CopiedEmailAddressesKey, value: ['audit@reseller.example', 'ops@reseller.example'], changedAt: hoursIn(5), changedBy: 'dana',
    })
  })

  test('other events are not settings', () => {
    expect(log(providerRegistered(), subscriptionCreated()).map(settings.route)).toEqual([null, null])
  })
})
