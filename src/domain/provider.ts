import * as E from 'fp-ts/Either'
import { SeatflowError } from './errors'
import { ProviderConfiguration, ProviderEvent } from './events'
import { NonEmptyString, ProviderId } from './values'

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

export type ProviderCommand =
  | { readonly type: 'RegisterProvider'; readonly providerId: ProviderId; readonly name: NonEmptyString; readonly configuration: ProviderConfiguration }
  | { readonly type: 'ChangeProviderConfiguration'; readonly providerId: ProviderId; readonly name: NonEmptyString; readonly configuration: ProviderConfiguration }
  | { readonly type: 'DeactivateProvider'; readonly providerId: ProviderId }

type Decision = E.Either<SeatflowError, ReadonlyArray<ProviderEvent>>

/** Field by field: the order the fields came in does not make a change. */
const sameConfiguration = (a: ProviderConfiguration, b: ProviderConfiguration): boolean => {
  switch (a.kind) {
    case 'Do Nothing': return b.kind === 'Do Nothing'
    case 'Manual': return b.kind === 'Manual' && a.provisioningEmail === b.provisioningEmail
    case 'Automatic': return b.kind === 'Automatic' && a.system === b.system && a.maxAttempts === b.maxAttempts
  }
}

/** Decide what a provider command records. */
export const decideProvider = (command: ProviderCommand, state: ProviderState): Decision => {
  const { providerId } = command
  switch (command.type) {
    case 'RegisterProvider':
      return state.status === 'None'
        ? E.right([{ type: 'ProviderRegistered', data: { providerId, name: command.name, configuration: command.configuration } }])
        : E.left({ _tag: 'ProviderAlreadyRegistered', providerId })
    case 'ChangeProviderConfiguration':
      if (state.status === 'None') return E.left({ _tag: 'ProviderNotFound', providerId })
      if (state.configuration.kind !== command.configuration.kind) {
        return E.left({ _tag: 'ProviderKindCannotChange', providerId, from: state.configuration.kind, to: command.configuration.kind })
      }
      if (state.name === command.name && sameConfiguration(state.configuration, command.configuration)) {
        return E.left({ _tag: 'ProviderUnchanged', providerId })
      }
      return E.right([{ type: 'ProviderConfigurationChanged', data: { providerId, name: command.name, configuration: command.configuration } }])
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
