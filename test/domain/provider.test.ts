import { decideProvider, evolveProvider, initialProviderState, ProviderCommand } from '../../src/domain/provider'
import { ProviderConfiguration } from '../../src/domain/events'
import { config, email, given, ids, providerDeactivated, providerRegistered, text } from '../support/given'

const provider = given(decideProvider, evolveProvider, initialProviderState)
const distributor = ids.provider('Distributor')

const register = (configuration: ProviderConfiguration = config.manual(), name = 'Distributor'): ProviderCommand =>
  ({ type: 'RegisterProvider', providerId: distributor, name: text(name), configuration })
/** The fields of a configuration given as a change: every field of its kind, and the name. */
const reconfigure = (configuration: ProviderConfiguration, name = 'Distributor'): ProviderCommand => {
  const { kind: _kind, ...fields } = configuration
  return { type: 'ChangeProviderConfiguration', providerId: distributor, change: { name: text(name), ...fields } }
}
const deactivate: ProviderCommand = { type: 'DeactivateProvider', providerId: distributor }
const configurationChanged = (configuration: ProviderConfiguration, name = 'Distributor') =>
  ({ type: 'ProviderConfigurationChanged', data: { providerId: distributor, name: text(name), configuration } }) as const

describe('registering a provider', () => {
  test.each([
    ['Do Nothing', config.doNothing()],
    ['Manual', config.manual()],
    ['Automatic', config.automatic(5, 'Synnex')],
  ])('a %s provider is registered with its configuration and is active', (_kind, configuration) => {
    const state = provider().when(register(configuration)).then(providerRegistered(configuration))
    expect(state).toStrictEqual({ status: 'Active', providerId: distributor, name: 'Distributor', configuration })
  })

  test('a provider cannot be registered twice', () => {
    provider(providerRegistered()).when(register(config.automatic()))
      .thenFails('ProviderAlreadyRegistered', { providerId: distributor })
  })

  test('a deactivated provider cannot be registered again either', () => {
    provider(providerRegistered(), providerDeactivated(distributor)).when(register())
      .thenFails('ProviderAlreadyRegistered', { providerId: distributor })
  })
})

describe('changing a provider', () => {
  test('a Manual provider gets a new provisioning address', () => {
    const state = provider(providerRegistered()).when(reconfigure(config.manual('team@distributor.example')))
      .then(configurationChanged(config.manual('team@distributor.example')))
    expect(state).toMatchObject({ status: 'Active', configuration: { kind: 'Manual', provisioningEmail: 'team@distributor.example' } })
  })

  test('a rename alone is a change', () => {
    const state = provider(providerRegistered()).when(reconfigure(config.manual(), 'Distributor EU'))
      .then(configurationChanged(config.manual(), 'Distributor EU'))
    expect(state).toMatchObject({ name: 'Distributor EU' })
  })

  test('an Automatic provider may get more attempts', () => {
    provider(providerRegistered(config.automatic(3))).when(reconfigure(config.automatic(6)))
      .then(configurationChanged(config.automatic(6)))
  })

  test('a provider keeps its kind: a Manual provider takes no Automatic fields', () => {
    provider(providerRegistered()).when(reconfigure(config.automatic()))
      .thenFails('InvalidCommand', { command: 'ChangeProviderConfiguration', problems: ['system does not apply to a Manual provider'] })
  })

  test('a provider keeps its kind: a Do Nothing provider takes no provisioning address', () => {
    provider(providerRegistered(config.doNothing())).when(reconfigure(config.manual()))
      .thenFails('InvalidCommand', { command: 'ChangeProviderConfiguration', problems: ['provisioningEmail does not apply to a Do Nothing provider'] })
  })

  test('only the fields given change: a rename keeps the provisioning address', () => {
    const state = provider(providerRegistered(config.manual('team@distributor.example')))
      .when({ type: 'ChangeProviderConfiguration', providerId: distributor, change: { name: text('Distributor EU') } })
      .then(configurationChanged(config.manual('team@distributor.example'), 'Distributor EU'))
    expect(state).toMatchObject({ configuration: { provisioningEmail: 'team@distributor.example' } })
  })

  test('the same name and configuration are refused: nothing changed', () => {
    provider(providerRegistered(config.automatic(4))).when(reconfigure(config.automatic(4)))
      .thenFails('ProviderUnchanged', { providerId: distributor })
  })

  test('an unchanged configuration is refused whatever order its fields come in', () => {
    const sameFieldsOtherOrder: ProviderConfiguration = { provisioningEmail: email('provisioning@distributor.example'), kind: 'Manual' }
    provider(providerRegistered(config.manual())).when(reconfigure(sameFieldsOtherOrder))
      .thenFails('ProviderUnchanged', { providerId: distributor })
  })

  test('a provider that does not exist cannot be changed', () => {
    provider().when(reconfigure(config.manual())).thenFails('ProviderNotFound', { providerId: distributor })
  })
})

describe('deactivating a provider', () => {
  test('an active provider is deactivated and keeps its configuration', () => {
    const state = provider(providerRegistered()).when(deactivate).then(providerDeactivated(distributor))
    expect(state).toStrictEqual({ status: 'Deactivated', providerId: distributor, name: 'Distributor', configuration: config.manual() })
  })

  test('deactivating twice is a no-op', () => {
    provider(providerRegistered(), providerDeactivated(distributor)).when(deactivate).thenNothing()
  })

  test('a provider that does not exist cannot be deactivated', () => {
    provider().when(deactivate).thenFails('ProviderNotFound', { providerId: distributor })
  })

  test('a deactivated provider that is reconfigured stays deactivated', () => {
    const state = provider(providerRegistered(), providerDeactivated(distributor))
      .when(reconfigure(config.manual('team@distributor.example')))
      .then(configurationChanged(config.manual('team@distributor.example')))
    expect(state.status).toBe('Deactivated')
  })
})
