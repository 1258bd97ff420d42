import { Recorded } from '../domain/envelope'
import { BundleLink, ProviderConfiguration } from '../domain/events'
import { SubscriptionLifecycle } from '../domain/subscription'
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
  /** Active, Suspended (with why) or Cancelled. */
  readonly status: SubscriptionLifecycle
  readonly suspendedReason: string | null
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
/** The suspended subscriptions: their reminders stop. */
export const suspendedSubscriptionsView = 'suspendedSubscriptions'
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

const subscriptionEvents: ReadonlySet<string> = new Set([
  'SubscriptionCreated', 'SubscriptionQuantityChanged', 'SubscriptionMoved', 'SubscriptionSuspended', 'SubscriptionReactivated', 'SubscriptionCancelled',
])

const evolveSubscription = (row: SubscriptionRow | undefined, event: Recorded): SubscriptionRow | undefined => {
  const at = event.metadata.occurredAt
  if (event.type === 'SubscriptionCreated') return { ...event.data, status: 'Active', suspendedReason: null, createdAt: at, changedAt: at }
  if (row === undefined) return row
  switch (event.type) {
    case 'SubscriptionQuantityChanged': return { ...row, quantity: event.data.newQuantity, changedAt: at }
    case 'SubscriptionMoved': return { ...row, providerId: event.data.toProviderId, changedAt: at }
    case 'SubscriptionSuspended': return { ...row, status: 'Suspended', suspendedReason: event.data.reason, changedAt: at }
    case 'SubscriptionReactivated': return { ...row, status: 'Active', suspendedReason: null, changedAt: at }
    case 'SubscriptionCancelled': return { ...row, status: 'Cancelled', suspendedReason: null, quantity: 0, changedAt: at }
    default: return row
  }
}

/** The current subscriptions. */
export const subscriptions: Projection<SubscriptionRow> = {
  view: subscriptionsView,
  route: (event) => subscriptionEvents.has(event.type) && 'subscriptionId' in event.data ? event.data.subscriptionId : null,
  evolve: evolveSubscription,
  indexes: [{ view: suspendedSubscriptionsView, keep: (row) => row.status === 'Suspended' }],
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

/** The subscriptions suspended now, as the views hold them (their reminders stop). */
export const suspendedSubscriptionIds = (views: Pick<ViewStore, 'rows' | 'indexed'>): ReadonlySet<string> =>
  new Set(viewRows(views, subscriptions, suspendedSubscriptionsView).map((row) => row.subscriptionId))
