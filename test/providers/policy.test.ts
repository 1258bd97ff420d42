import { ProviderConfiguration } from '../../src/domain/events'
import { Origin } from '../../src/domain/values'
import { licenseChangeFor, ProviderAtChange, QuantityChange } from '../../src/providers/policy'
import { config, email, ids, qty, text } from '../support/given'

const quantityChange = (origin: Origin = 'host', from = 10, to = 12, more: Partial<QuantityChange> = {}): QuantityChange => ({
  licenseChangeId: ids.licenseChange('lc-1'), kind: 'change', suspendedFor: null,
  subscription: {
    subscriptionId: ids.subscription('exchange'), product: text('Exchange Online'),
    billingContractId: text('BC-1'), contractOwnerEmail: email('owner@customer.example'),
  },
  previousQuantity: qty(from), newQuantity: qty(to), origin, ...more,
})

const providerAt = (configuration: ProviderConfiguration, copied: ReadonlyArray<string> = [], name = 'Distributor'): ProviderAtChange => ({
  providerId: ids.provider(name), name: text(name), configuration, copiedEmailAddresses: copied.map(email),
})

const common = {
  licenseChangeId: ids.licenseChange('lc-1'),
  kind: 'change',
  subscriptionId: ids.subscription('exchange'),
  product: 'Exchange Online',
  billingContractId: 'BC-1',
  contractOwnerEmail: 'owner@customer.example',
  previousQuantity: 10,
  newQuantity: 12,
  origin: 'host',
}

describe('the provider policy', () => {
  test('a change on a Do Nothing provider needs nothing: Not Applicable', () => {
    expect(licenseChangeFor(quantityChange(), providerAt(config.doNothing(), ['ops@reseller.example'], 'Bundles'))).toStrictEqual({
      ...common,
      provider: { kind: 'Do Nothing', providerId: ids.provider('Bundles'), name: 'Bundles' },
      status: 'Not Applicable',
      message: 'Bundles is a Do Nothing provider: nothing to provision',
    })
  })

  test('a change on a Manual provider awaits provisioning by the provider’s team, with the copied addresses', () => {
    expect(licenseChangeFor(quantityChange(), providerAt(config.manual(), ['ops@reseller.example', 'audit@reseller.example']))).toStrictEqual({
      ...common,
      provider: {
        kind: 'Manual', providerId: ids.provider('Distributor'), name: 'Distributor',
        provisioningEmail: 'provisioning@distributor.example', copiedEmails: ['ops@reseller.example', 'audit@reseller.example'],
      },
      status: 'Awaiting Provisioning',
      message: 'Waiting for provisioning@distributor.example to set the quantity to 12 at Distributor and mark the change provisioned',
    })
  })

  test('copied addresses are deduplicated and never repeat the provisioning address', () => {
    const change = licenseChangeFor(quantityChange(), providerAt(config.manual(), [
      'ops@reseller.example', 'provisioning@distributor.example', 'audit@reseller.example', 'ops@reseller.example',
    ]))
    expect(change.provider).toMatchObject({ provisioningEmail: 'provisioning@distributor.example', copiedEmails: ['ops@reseller.example', 'audit@reseller.example'] })
  })

  test('a Manual provider with no copied addresses copies nobody', () => {
    expect(licenseChangeFor(quantityChange(), providerAt(config.manual())).provider).toMatchObject({ copiedEmails: [] })
  })

  test('a change on an Automatic provider awaits provisioning through its system', () => {
    expect(licenseChangeFor(quantityChange('host', 12, 5), providerAt(config.automatic(4, 'TechData'), [], 'TechData'))).toStrictEqual({
      ...common,
      previousQuantity: 12,
      newQuantity: 5,
      provider: { kind: 'Automatic', providerId: ids.provider('TechData'), name: 'TechData', system: 'TechData', maxAttempts: 4 },
      status: 'Awaiting Provisioning',
      message: 'Sending quantity 5 to TechData',
    })
  })

  test('a change that came from a bundle parent is provisioned like a host change', () => {
    const change = licenseChangeFor(quantityChange('bundle'), providerAt(config.manual()))
    expect([change.origin, change.status]).toEqual(['bundle', 'Awaiting Provisioning'])
  })

  test.each([
    ['Do Nothing', config.doNothing()],
    ['Manual', config.manual()],
    ['Automatic', config.automatic()],
  ])('a change that came from a %s provider (two-way sync) is Not Applicable', (_kind, configuration) => {
    const change = licenseChangeFor(quantityChange('provider'), providerAt(configuration, [], 'Partner Center'))
    expect(change.status).toBe('Not Applicable')
    expect(change.origin).toBe('provider')
    expect(change.message).toBe('Changed at Partner Center (two-way sync): nothing to provision')
  })

  describe('a suspended subscription', () => {
    const suspended = { suspendedFor: 'unpaid invoice INV-7' }

    test.each([
      ['Manual', config.manual()],
      ['Automatic', config.automatic()],
    ])('its quantity change on a %s provider is Not Applicable, saying why', (_kind, configuration) => {
      const change = licenseChangeFor(quantityChange('host', 10, 12, suspended), providerAt(configuration))
      expect([change.status, change.message]).toEqual([
        'Not Applicable', 'The subscription is suspended (unpaid invoice INV-7): nothing to provision until it is reactivated',
      ])
    })

    test('its cancellation still reaches the provider', () => {
      const change = licenseChangeFor(quantityChange('host', 10, 0, { ...suspended, kind: 'cancellation' }), providerAt(config.manual()))
      expect([change.kind, change.status]).toEqual(['cancellation', 'Awaiting Provisioning'])
    })
  })

  test('a cancellation asks a Manual provider’s team to cancel, and is sent to an Automatic one', () => {
    const cancellation = quantityChange('host', 10, 0, { kind: 'cancellation' })
    expect(licenseChangeFor(cancellation, providerAt(config.manual())).message)
      .toBe('Waiting for provisioning@distributor.example to cancel the subscription at Distributor and mark the change provisioned')
    expect(licenseChangeFor(cancellation, providerAt(config.automatic(), [], 'Partner Center')).message)
      .toBe('Sending the cancellation to Partner Center')
    expect(licenseChangeFor(cancellation, providerAt(config.doNothing(), [], 'Bundles')).status).toBe('Not Applicable')
  })

  test('a reactivation asks for the quantity of today, from the quantity at the suspension', () => {
    const reactivation = quantityChange('host', 10, 14, { kind: 'reactivation' })
    const manual = licenseChangeFor(reactivation, providerAt(config.manual()))
    expect([manual.kind, manual.previousQuantity, manual.newQuantity, manual.status]).toEqual(['reactivation', 10, 14, 'Awaiting Provisioning'])
    expect(manual.message).toBe('Waiting for provisioning@distributor.example to reactivate the subscription with quantity 14 at Distributor and mark the change provisioned')
    expect(licenseChangeFor(reactivation, providerAt(config.automatic(), [], 'Partner Center')).message)
      .toBe('Sending the reactivation (quantity 14) to Partner Center')
  })
})
