import * as E from 'fp-ts/Either'
import { Aggregate, Decision } from './decider'
import { SeatflowError } from './errors'
import { Attempts, AutomaticSystem, ProviderConfiguration, ProviderEvent, providerStream } from './events'
import { Email, NonEmptyString, ProviderId } from './values'

/** A provider as its events made it. */
export type ProviderState =
  | { readonly status: 'None' }
  | {
    readonly status: 'Active' | 'Deactivated'
    readonly providerId: ProviderId
    readonly name: NonEmptyString
    readonly configuration: ProviderConfiguration
  }

export const initialProviderState: ProviderState = { status: 'None' }

/** The fields a configuration change gives; the others stay as they are. */
export interface ConfigurationChange {
  readonly name?: NonEmptyString
  readonly provisioningEmail?: Email
  readonly system?: AutomaticSystem
  readonly maxAttempts?: Attempts
}

export type ProviderCommand =
  | { readonly type: 'RegisterProvider'; readonly providerId: ProviderId; readonly name: NonEmptyString; readonly configuration: ProviderConfiguration }
  | { readonly type: 'ChangeProviderConfiguration'; readonly providerId: ProviderId; readonly change: ConfigurationChange }
  | { readonly type: 'DeactivateProvider'; readonly providerId: ProviderId }

/** Field by field: the order the fields came in does not make a change. */
const sameConfiguration = (a: ProviderConfiguration, b: ProviderConfiguration): boolean => {
  switch (a.kind) {
    case 'Do Nothing': return b.kind === 'Do Nothing'
    case 'Manual': return b.kind === 'Manual' && a.provisioningEmail === b.provisioningEmail
    case 'Automatic': return b.kind === 'Automatic' && a.system === b.system && a.maxAttempts === b.maxAttempts
  }
}

const misplaced = (change: ConfigurationChange, fields: ReadonlyArray<keyof ConfigurationChange>): keyof ConfigurationChange | undefined =>
  fields.find((field) => change[field] !== undefined)

/** A provider's configuration with the changed fields laid over it; a field of another kind is refused (a kind never changes). */
export const mergeConfiguration = (current: ProviderConfiguration, change: ConfigurationChange): E.Either<SeatflowError, ProviderConfiguration> => {
  const foreign = misplaced(change, current.kind === 'Do Nothing' ? ['provisioningEmail', 'system', 'maxAttempts']
    : current.kind === 'Manual' ? ['system', 'maxAttempts'] : ['provisioningEmail'])
  if (foreign !== undefined) {
    return E.left({ _tag: 'InvalidCommand', command: 'ChangeProviderConfiguration', problems: [`${foreign} does not apply to a ${current.kind} provider`] })
  }
  switch (current.kind) {
    case 'Do Nothing': return E.right(current)
    case 'Manual': return E.right({ ...current, provisioningEmail: change.provisioningEmail ?? current.provisioningEmail })
    case 'Automatic': return E.right({ ...current, system: change.system ?? current.system, maxAttempts: change.maxAttempts ?? current.maxAttempts })
  }
}

const changeConfiguration = (providerId: ProviderId, change: ConfigurationChange, state: ProviderState): Decision<ProviderEvent> => {
  if (state.status === 'None') return E.left({ _tag: 'ProviderNotFound', providerId })
  const merged = mergeConfiguration(state.configuration, change)
  if (E.isLeft(merged)) return merged
  const name = change.name ?? state.name
  if (state.name === name && sameConfiguration(state.configuration, merged.right)) return E.left({ _tag: 'ProviderUnchanged', providerId })
  return E.right([{ type: 'ProviderConfigurationChanged', data: { providerId, name, configuration: merged.right } }])
}

/** Decide what a provider command records. */
export const decideProvider = (command: ProviderCommand, state: ProviderState): Decision<ProviderEvent> => {
  const { providerId } = command
  switch (command.type) {
    case 'RegisterProvider':
      return state.status === 'None'
        ? E.right([{ type: 'ProviderRegistered', data: { providerId, name: command.name, configuration: command.configuration } }])
        : E.left({ _tag: 'ProviderAlreadyRegistered', providerId })
    case 'ChangeProviderConfiguration':
      return changeConfiguration(providerId, command.change, state)
    case 'DeactivateProvider':
      if (state.status === 'None') return E.left({ _tag: 'ProviderNotFound', providerId })
      return state.status === 'Deactivated' ? E.right([]) : E.right([{ type: 'ProviderDeactivated', data: { providerId } }])
  }
}

/** Apply a provider event. */
export const evolveProvider = (state: ProviderState, event: ProviderEvent): ProviderState => {
  switch (event.type) {
    case 'ProviderRegistered':
      return { status: 'Active', ...event.data }
    case 'ProviderConfigurationChanged':
      return state.status === 'None'
        ? { status: 'Active', ...event.data }
        : { ...state, name: event.data.name, configuration: event.data.configuration }
    case 'ProviderDeactivated':
      return state.status === 'None' ? state : { ...state, status: 'Deactivated' }
  }
}

/** Providers: one stream each, `provider-<id>`. */
export const providers: Aggregate<ProviderCommand, ProviderState, ProviderEvent> = {
  name: 'provider', streamOf: providerStream,
  eventTypes: ['ProviderRegistered', 'ProviderConfigurationChanged', 'ProviderDeactivated'],
  decide: decideProvider, evolve: evolveProvider, initialState: initialProviderState,
}
