import * as t from 'io-ts'
import {
  Email, IsoTime, LicenseChangeId, Multiplier, NonEmptyString, Origin, ProviderId, Quantity, SubscriptionId,
} from './values'

/** The stream of a provider, a subscription, a License Change, and of the global settings. */
export const providerStream = (id: string): string => `provider-${id}`
export const subscriptionStream = (id: string): string => `subscription-${id}`
export const licenseChangeStream = (id: string): string => `licensechange-${id}`
export const settingsStream = 'settings'

/** The automatic provider systems seatflow knows how to call. */
export const AutomaticSystem = t.keyof({ 'Partner Center': null, Synnex: null, TechData: null }, 'AutomaticSystem')
export type AutomaticSystem = t.TypeOf<typeof AutomaticSystem>

export interface AttemptsBrand { readonly Attempts: unique symbol }
/** How many gateway attempts an automatic provider makes before a change fails: 1 to 20. */
export const Attempts = t.brand(
  t.number, (n): n is t.Branded<number, AttemptsBrand> => Number.isInteger(n) && n >= 1 && n <= 20, 'Attempts',
)
export type Attempts = t.TypeOf<typeof Attempts>

/** What a provider needs to act: its kind and the configuration that kind has. */
export const ProviderConfiguration = t.union([
  t.strict({ kind: t.literal('Do Nothing') }),
  t.strict({ kind: t.literal('Manual'), provisioningEmail: Email }),
  t.strict({ kind: t.literal('Automatic'), system: AutomaticSystem, maxAttempts: Attempts }),
], 'ProviderConfiguration')
export type ProviderConfiguration = t.TypeOf<typeof ProviderConfiguration>

/** The setting that adds addresses to copy on every Manual provisioning request. */
export const CopiedEmailAddressesKey = 'Work365.Providers.ManualProvider.ProvisioningCopiedEmailAddresses'

const event = <T extends string, D extends t.Mixed>(type: T, data: D) =>
  t.strict({ type: t.literal(type), data }, type)

export const ProviderRegistered = event('ProviderRegistered', t.strict({
  providerId: ProviderId, name: NonEmptyString, configuration: ProviderConfiguration,
}))
export const ProviderConfigurationChanged = event('ProviderConfigurationChanged', t.strict({
  providerId: ProviderId, name: NonEmptyString, configuration: ProviderConfiguration,
}))
export const ProviderDeactivated = event('ProviderDeactivated', t.strict({ providerId: ProviderId }))

export const SettingChanged = event('SettingChanged', t.strict({
  key: t.literal(CopiedEmailAddressesKey), value: t.readonlyArray(Email),
}))

/** A bundle child's link to its parent. */
export const BundleLink = t.strict({ parentId: SubscriptionId, multiplier: Multiplier }, 'BundleLink')
export type BundleLink = t.TypeOf<typeof BundleLink>

export const SubscriptionCreated = event('SubscriptionCreated', t.strict({
  subscriptionId: SubscriptionId,
  product: NonEmptyString,
  providerId: ProviderId,
  quantity: Quantity,
  billingContractId: NonEmptyString,
  contractOwnerEmail: Email,
  bundle: t.union([t.null, BundleLink]),
}))
export const SubscriptionQuantityChanged = event('SubscriptionQuantityChanged', t.strict({
  subscriptionId: SubscriptionId, previousQuantity: Quantity, newQuantity: Quantity, origin: Origin,
}))
/** The subscription goes to another provider; the unresolved changes it withdraws are named (never sent again). */
export const SubscriptionMoved = event('SubscriptionMoved', t.strict({
  subscriptionId: SubscriptionId, fromProviderId: ProviderId, toProviderId: ProviderId, withdrawn: t.readonlyArray(LicenseChangeId),
}))
/** The subscription is suspended (for non-payment, say): its changes are Not Applicable and its reminders stop until it is reactivated. */
export const SubscriptionSuspended = event('SubscriptionSuspended', t.strict({ subscriptionId: SubscriptionId, reason: t.string }))
/** The subscription is active again; the provider must be brought from the quantity at the suspension to today's. */
export const SubscriptionReactivated = event('SubscriptionReactivated', t.strict({
  subscriptionId: SubscriptionId, quantityAtSuspension: Quantity, quantity: Quantity,
}))
/** The subscription is cancelled: its quantity goes to zero and it takes no further change. */
export const SubscriptionCancelled = event('SubscriptionCancelled', t.strict({ subscriptionId: SubscriptionId, previousQuantity: Quantity }))
export const BundleChildAttached = event('BundleChildAttached', t.strict({
  subscriptionId: SubscriptionId, childId: SubscriptionId, multiplier: Multiplier,
}))

/** The provider as the License Change saw it when it was recorded: what it needs to be provisioned. */
export const ProviderSnapshot = t.union([
  t.strict({ kind: t.literal('Do Nothing'), providerId: ProviderId, name: NonEmptyString }),
  t.strict({
    kind: t.literal('Manual'), providerId: ProviderId, name: NonEmptyString,
    provisioningEmail: Email, copiedEmails: t.readonlyArray(Email),
  }),
  t.strict({
    kind: t.literal('Automatic'), providerId: ProviderId, name: NonEmptyString,
    system: AutomaticSystem, maxAttempts: Attempts,
  }),
], 'ProviderSnapshot')
export type ProviderSnapshot = t.TypeOf<typeof ProviderSnapshot>

/** What a License Change asks of the provider: a new quantity, the end of the subscription, or the quantity again after a suspension. */
export const LicenseChangeKind = t.keyof({ change: null, cancellation: null, reactivation: null }, 'LicenseChangeKind')
export type LicenseChangeKind = t.TypeOf<typeof LicenseChangeKind>

export const LicenseChangeRecorded = event('LicenseChangeRecorded', t.strict({
  licenseChangeId: LicenseChangeId,
  kind: LicenseChangeKind,
  subscriptionId: SubscriptionId,
  product: NonEmptyString,
  billingContractId: NonEmptyString,
  contractOwnerEmail: Email,
  provider: ProviderSnapshot,
  previousQuantity: Quantity,
  newQuantity: Quantity,
  origin: Origin,
  status: t.keyof({ 'Not Applicable': null, 'Awaiting Provisioning': null }),
  message: t.string,
}))
export const ProvisioningRequested = event('ProvisioningRequested', t.strict({
  licenseChangeId: LicenseChangeId, to: t.readonlyArray(Email), cc: t.readonlyArray(Email), subject: t.string,
}))
export const ProvisioningReminderSent = event('ProvisioningReminderSent', t.strict({
  licenseChangeId: LicenseChangeId, to: t.readonlyArray(Email), sequence: t.number,
}))
export const ProvisioningAccepted = event('ProvisioningAccepted', t.strict({
  licenseChangeId: LicenseChangeId, attempt: t.number, reference: t.string,
}))
export const ProvisioningAttemptFailed = event('ProvisioningAttemptFailed', t.strict({
  licenseChangeId: LicenseChangeId, attempt: t.number, reason: t.string,
}))
export const LicenseChangeProvisioned = event('LicenseChangeProvisioned', t.strict({
  licenseChangeId: LicenseChangeId,
  by: NonEmptyString,
  via: t.keyof({ person: null, gateway: null }),
  note: t.union([t.null, t.string]),
}))
export const ProvisioningFailed = event('ProvisioningFailed', t.strict({
  licenseChangeId: LicenseChangeId, reason: t.string,
}))
export const ProvisioningRequeued = event('ProvisioningRequeued', t.strict({
  licenseChangeId: LicenseChangeId, by: NonEmptyString, reason: t.string,
}))

/** A number of seconds, at least 0 (a provider's Retry-After). */
const Seconds = t.refinement(t.number, (n) => Number.isFinite(n) && n >= 0, 'Seconds')
/** Attempt `attempt` (a retry, or the next check of an accepted attempt) is not to be made before `notBefore`. */
export const ProvisioningAttemptScheduled = event('ProvisioningAttemptScheduled', t.strict({
  licenseChangeId: LicenseChangeId, attempt: t.number, notBefore: IsoTime, retryAfterSeconds: t.union([t.null, Seconds]),
}))
/** Per-subscription ordering: the change waits for an earlier unresolved change of its subscription. */
export const ProvisioningHeldBack = event('ProvisioningHeldBack', t.strict({
  licenseChangeId: LicenseChangeId,
  waitingFor: LicenseChangeId,
  waitingForStatus: t.keyof({ 'Awaiting Provisioning': null, 'Failed Provisioning': null }),
}))
/** A later quantity reported by the provider (two-way sync) made this change's target stale: it is never sent. */
export const LicenseChangeSuperseded = event('LicenseChangeSuperseded', t.strict({
  licenseChangeId: LicenseChangeId, supersededBy: LicenseChangeId, quantity: Quantity,
}))

/** The subscription moved to another provider before this change was provisioned: it is never sent. */
export const LicenseChangeWithdrawn = event('LicenseChangeWithdrawn', t.strict({ licenseChangeId: LicenseChangeId, movedTo: ProviderId }))
/** The change is on an invoice: its status reason goes from Active to Archived. */
export const LicenseChangeInvoiced = event('LicenseChangeInvoiced', t.strict({ licenseChangeId: LicenseChangeId, billingRunId: NonEmptyString }))

/** Every event seatflow stores, by type: the codec is the truth. */
export const eventCodecs = {
  ProviderRegistered, ProviderConfigurationChanged, ProviderDeactivated,
  SettingChanged,
  SubscriptionCreated, SubscriptionQuantityChanged, BundleChildAttached,
  SubscriptionMoved, SubscriptionSuspended, SubscriptionReactivated, SubscriptionCancelled,
  LicenseChangeRecorded, ProvisioningRequested, ProvisioningReminderSent, ProvisioningAccepted,
  ProvisioningAttemptFailed, LicenseChangeProvisioned, ProvisioningFailed, ProvisioningRequeued,
  ProvisioningAttemptScheduled, ProvisioningHeldBack, LicenseChangeSuperseded, LicenseChangeWithdrawn, LicenseChangeInvoiced,
} as const

export type EventType = keyof typeof eventCodecs
/** One domain event: a type and its data. */
export type DomainEvent = { [K in EventType]: t.TypeOf<(typeof eventCodecs)[K]> }[EventType]
/** The event of one type. */
export type EventOf<K extends EventType> = Extract<DomainEvent, { type: K }>

export type ProviderEvent = EventOf<'ProviderRegistered' | 'ProviderConfigurationChanged' | 'ProviderDeactivated'>
export type SubscriptionEvent = EventOf<
  | 'SubscriptionCreated' | 'SubscriptionQuantityChanged' | 'BundleChildAttached'
  | 'SubscriptionMoved' | 'SubscriptionSuspended' | 'SubscriptionReactivated' | 'SubscriptionCancelled'
>
export type LicenseChangeEvent = EventOf<
  | 'LicenseChangeRecorded' | 'ProvisioningRequested' | 'ProvisioningReminderSent' | 'ProvisioningAccepted'
  | 'ProvisioningAttemptFailed' | 'LicenseChangeProvisioned' | 'ProvisioningFailed' | 'ProvisioningRequeued'
  | 'ProvisioningAttemptScheduled' | 'ProvisioningHeldBack' | 'LicenseChangeSuperseded' | 'LicenseChangeWithdrawn' | 'LicenseChangeInvoiced'
>
export type SettingsEvent = EventOf<'SettingChanged'>
