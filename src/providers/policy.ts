import { EventOf, LicenseChangeKind, ProviderConfiguration, ProviderSnapshot } from '../domain/events'
import { Email, LicenseChangeId, NonEmptyString, Origin, ProviderId, Quantity } from '../domain/values'

/** What the provider policy needs to know about the subscription that changed. */
export interface ChangedSubscription {
  readonly subscriptionId: EventOf<'SubscriptionCreated'>['data']['subscriptionId']
  readonly product: NonEmptyString
  readonly billingContractId: NonEmptyString
  readonly contractOwnerEmail: Email
}

/** A change the provider must hear about: a new quantity, a cancellation (to zero) or a reactivation (from the quantity at the suspension). */
export interface QuantityChange {
  readonly licenseChangeId: LicenseChangeId
  readonly kind: LicenseChangeKind
  readonly subscription: ChangedSubscription
  readonly previousQuantity: Quantity
  readonly newQuantity: Quantity
  readonly origin: Origin
  /** Why the subscription was suspended when the change was made; null: it was not. */
  readonly suspendedFor: string | null
}

/** The provider as it stood when the change was made, with the settings that applied then. */
export interface ProviderAtChange {
  readonly providerId: ProviderId
  readonly name: NonEmptyString
  readonly configuration: ProviderConfiguration
  readonly copiedEmailAddresses: ReadonlyArray<Email>
}

const snapshot = (provider: ProviderAtChange): ProviderSnapshot => {
  const { providerId, name, configuration } = provider
  switch (configuration.kind) {
    case 'Do Nothing':
      return { kind: 'Do Nothing', providerId, name }
    case 'Manual': {
      const copied = [...new Set(provider.copiedEmailAddresses)].filter((email) => email !== configuration.provisioningEmail)
      return { kind: 'Manual', providerId, name, provisioningEmail: configuration.provisioningEmail, copiedEmails: copied }
    }
    case 'Automatic':
      return { kind: 'Automatic', providerId, name, system: configuration.system, maxAttempts: configuration.maxAttempts }
  }
}

type Verdict = Pick<EventOf<'LicenseChangeRecorded'>['data'], 'status' | 'message'>

/** What a Manual provider's team is asked to do. */
const manualTask = (change: QuantityChange): string => {
  switch (change.kind) {
    case 'change': return `set the quantity to ${change.newQuantity}`
    case 'cancellation': return 'cancel the subscription'
    case 'reactivation': return `reactivate the subscription with quantity ${change.newQuantity}`
  }
}

/** What is sent to an Automatic provider. */
const automaticTask = (change: QuantityChange): string => {
  switch (change.kind) {
    case 'change': return `quantity ${change.newQuantity}`
    case 'cancellation': return 'the cancellation'
    case 'reactivation': return `the reactivation (quantity ${change.newQuantity})`
  }
}

const verdict = (change: QuantityChange, provider: ProviderSnapshot): Verdict => {
  if (change.origin === 'provider') {
    return { status: 'Not Applicable', message: `Changed at ${provider.name} (two-way sync): nothing to provision` }
  }
  if (change.kind === 'change' && change.suspendedFor !== null) {
    return { status: 'Not Applicable', message: `The subscription is suspended (${change.suspendedFor}): nothing to provision until it is reactivated` }
  }
  switch (provider.kind) {
    case 'Do Nothing':
      return { status: 'Not Applicable', message: `${provider.name} is a Do Nothing provider: nothing to provision` }
    case 'Manual':
      return {
        status: 'Awaiting Provisioning',
        message: `Waiting for ${provider.provisioningEmail} to ${manualTask(change)} at ${provider.name} and mark the change provisioned`,
      }
    case 'Automatic':
      return { status: 'Awaiting Provisioning', message: `Sending ${automaticTask(change)} to ${provider.name}` }
  }
}

/**
 * The provider policy: what License Change a change records. Do Nothing, changes that came from
 * the provider and quantity changes of a suspended subscription need nothing (Not Applicable);
 * otherwise Manual and Automatic await provisioning (a cancellation or a reactivation always
 * reaches the provider). Copied addresses (the global copied-addresses setting) are those in force at the change.
 */
export const licenseChangeFor = (change: QuantityChange, provider: ProviderAtChange): EventOf<'LicenseChangeRecorded'>['data'] => {
  const providerSnapshot = snapshot(provider)
  const { subscription } = change
  return {
    licenseChangeId: change.licenseChangeId,
    kind: change.kind,
    subscriptionId: subscription.subscriptionId,
    product: subscription.product,
    billingContractId: subscription.billingContractId,
    contractOwnerEmail: subscription.contractOwnerEmail,
    provider: providerSnapshot,
    previousQuantity: change.previousQuantity,
    newQuantity: change.newQuantity,
    origin: change.origin,
    ...verdict(change, providerSnapshot),
  }
}
