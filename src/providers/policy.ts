import { EventOf, ProviderConfiguration, ProviderSnapshot } from '../domain/events'
import { Email, LicenseChangeId, NonEmptyString, Origin, ProviderId, Quantity } from '../domain/values'

/** What the provider policy needs to know about the subscription that changed. */
export interface ChangedSubscription {
  readonly subscriptionId: EventOf<'SubscriptionCreated'>['data']['subscriptionId']
  readonly product: NonEmptyString
  readonly billingContractId: NonEmptyString
  readonly contractOwnerEmail: Email
}

/** A quantity change the provider must hear about. */
export interface QuantityChange {
  readonly licenseChangeId: LicenseChangeId
  readonly subscription: ChangedSubscription
  readonly previousQuantity: Quantity
  readonly newQuantity: Quantity
  readonly origin: Origin
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

const verdict = (change: QuantityChange, provider: ProviderSnapshot)
: Pick<EventOf<'LicenseChangeRecorded'>['data'], 'status' | 'message'> => {
  if (change.origin === 'provider') {
    return { status: 'Not Applicable', message: `Changed at ${provider.name} (two-way sync): nothing to provision` }
  }
  switch (provider.kind) {
    case 'Do Nothing':
      return { status: 'Not Applicable', message: `${provider.name} is a Do Nothing provider: nothing to provision` }
    case 'Manual':
      return {
        status: 'Awaiting Provisioning',
        message: `Waiting for ${provider.provisioningEmail} to set the quantity to ${change.newQuantity} at ${provider.name} and mark the change provisioned`,
      }
    case 'Automatic':
      return { status: 'Awaiting Provisioning', message: `Sending quantity ${change.newQuantity} to ${provider.name}` }
  }
}

/**
 * The provider policy: what License Change a quantity change records. Do Nothing and changes
 * that came from the provider need nothing (Not Applicable); Manual and Automatic await
 * provisioning. Copied addresses (the global copied-addresses setting) are those in force at the change.
 */
export const licenseChangeFor = (change: QuantityChange, provider: ProviderAtChange): EventOf<'LicenseChangeRecorded'>['data'] => {
  const providerSnapshot = snapshot(provider)
  const { subscription } = change
  return {
    licenseChangeId: change.licenseChangeId,
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
