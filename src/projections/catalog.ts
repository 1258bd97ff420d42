import { Recorded } from '../domain/envelope'
import { BundleLink, ProviderConfiguration } from '../domain/events'
import { ProviderKind } from '../domain/values'
import { ViewStore } from '../store/views'
import { Projection, viewRows } from './projection'

/** A provider as the views show it. */
export interface ProviderRow {
  readonly providerId: string
  readonly name: string
  readonly kind: ProviderKind
  readonly configuration: ProviderConfiguration
  readonly active: boolean
  readonly registeredAt: string
}

/** A subscription as the views show it. */
export interface SubscriptionRow {
  readonly subscriptionId: string
  readonly product: string
  readonly providerId: string
  readonly quantity: number
  readonly billingContractId: string
  readonly contractOwnerEmail: string
  readonly bundle: BundleLink | null
  readonly createdAt: string
  readonly changedAt: string
}

/** A global setting as the views show it. */
export interface SettingRow {
  readonly key: string
  readonly value: ReadonlyArray<string>
  readonly changedAt: string
  readonly changedBy: string
}

export const providersView = 'providers'
export const subscriptionsView = 'subscriptions'
export const settingsView = 'settings'

/** The providers. */
export const providers: Projection<ProviderRow> = {
  view: providersView,
  route: (event) => event.streamId.startsWith('provider-') && 'providerId' in event.data ? event.data.providerId : null,
  evolve: (row, event: Recorded) => {
    switch (event.type) {
      case 'ProviderRegistered':
        return { ...event.data, kind: event.data.configuration.kind, active: true, registeredAt: event.metadata.occurredAt }
      case 'ProviderConfigurationChanged':
        return row === undefined ? row : { ...row, name: event.data.name, configuration: event.data.configuration }
      case 'ProviderDeactivated':
        return row === undefined ? row : { ...row, active: false }
      default:
        return row
    }
  },
  indexes: [],
}

/** The current subscriptions. */
export const subscriptions: Projection<SubscriptionRow> = {
  view: subscriptionsView,
  route: (event) => event.type === 'SubscriptionCreated' || event.type === 'SubscriptionQuantityChanged' ? event.data.subscriptionId : null,
  evolve: (row, event: Recorded) => {
    const at = event.metadata.occurredAt
    switch (event.type) {
      case 'SubscriptionCreated':
        return { ...event.data, createdAt: at, changedAt: at }
      case 'SubscriptionQuantityChanged':
        return row === undefined ? row : { ...row, quantity: event.data.newQuantity, changedAt: at }
      default:
        return row
    }
  },
  indexes: [],
}

/** The global settings, with who changed each last and when. */
export const settings: Projection<SettingRow> = {
  view: settingsView,
  route: (event) => event.type === 'SettingChanged' ? event.data.key : null,
  evolve: (row, event: Recorded) => event.type === 'SettingChanged'
    ? { key: event.data.key, value: event.data.value, changedAt: event.metadata.occurredAt, changedBy: event.metadata.actor }
    : row,
  indexes: [],
}

/** The rows of the catalog's views, typed. */
export const catalogRows = {
  providers: (views: Pick<ViewStore, 'rows' | 'indexed'>): ReadonlyArray<ProviderRow> => viewRows(views, providers),
  subscriptions: (views: Pick<ViewStore, 'rows' | 'indexed'>): ReadonlyArray<SubscriptionRow> => viewRows(views, subscriptions),
  settings: (views: Pick<ViewStore, 'rows' | 'indexed'>): ReadonlyArray<SettingRow> => viewRows(views, settings),
}
