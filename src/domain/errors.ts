/** Every answer seatflow gives when it refuses something: a tagged value that says what was wrong. */
export type SeatflowError =
  | { readonly _tag: 'InvalidCommand'; readonly command: string; readonly problems: ReadonlyArray<string> }
  | { readonly _tag: 'ProviderNotFound'; readonly providerId: string }
  | { readonly _tag: 'ProviderAlreadyRegistered'; readonly providerId: string }
  | { readonly _tag: 'ProviderDeactivated'; readonly providerId: string; readonly name: string }
  | { readonly _tag: 'ProviderUnchanged'; readonly providerId: string }
  | { readonly _tag: 'SettingUnchanged'; readonly key: string }
  | { readonly _tag: 'SubscriptionNotFound'; readonly subscriptionId: string }
  | { readonly _tag: 'SubscriptionAlreadyExists'; readonly subscriptionId: string }
  | { readonly _tag: 'QuantityUnchanged'; readonly subscriptionId: string; readonly quantity: number }
  | { readonly _tag: 'BundleParentNotFound'; readonly parentId: string }
  | { readonly _tag: 'BundleParentNotVirtual'; readonly parentId: string; readonly providerKind: string }
  | { readonly _tag: 'BundleQuantityMismatch'; readonly expected: number; readonly given: number }
  | { readonly _tag: 'BundleChildFollowsParent'; readonly subscriptionId: string; readonly parentId: string }
  | { readonly _tag: 'SubscriptionCancelled'; readonly subscriptionId: string }
  | { readonly _tag: 'SubscriptionAlreadyOnProvider'; readonly subscriptionId: string; readonly providerId: string }
  | { readonly _tag: 'UnresolvedChangesBlockMove'; readonly subscriptionId: string; readonly licenseChangeIds: ReadonlyArray<string> }
  | { readonly _tag: 'SubscriptionAlreadySuspended'; readonly subscriptionId: string }
  | { readonly _tag: 'SubscriptionNotSuspended'; readonly subscriptionId: string }
  | { readonly _tag: 'BundleHasLiveChildren'; readonly subscriptionId: string; readonly childIds: ReadonlyArray<string> }
  | { readonly _tag: 'LicenseChangeNotFound'; readonly licenseChangeId: string }
  | { readonly _tag: 'NotAwaitingProvisioning'; readonly licenseChangeId: string; readonly status: string }
  | { readonly _tag: 'NotManualProvisioning'; readonly licenseChangeId: string; readonly providerKind: string }
  | { readonly _tag: 'ProvisioningRequestNotSent'; readonly licenseChangeId: string }
  | { readonly _tag: 'NotFailedProvisioning'; readonly licenseChangeId: string; readonly status: string }
  | { readonly _tag: 'LicenseChangeSuperseded'; readonly licenseChangeId: string; readonly supersededBy: string }
  | { readonly _tag: 'LicenseChangeWithdrawn'; readonly licenseChangeId: string; readonly movedTo: string }
  | { readonly _tag: 'AlreadyInvoiced'; readonly licenseChangeId: string; readonly billingRunId: string }
  | { readonly _tag: 'ConcurrencyConflict'; readonly streamId: string; readonly attempts: number }

/** One readable sentence for an error: what was wrong and what to do. */
export const describeError = (e: SeatflowError): string => {
  switch (e._tag) {
    case 'InvalidCommand': return `${e.command} is invalid: ${e.problems.join('; ')}`
    case 'ProviderNotFound': return `provider ${e.providerId} does not exist; register it first or pick an existing provider`
    case 'ProviderAlreadyRegistered': return `provider ${e.providerId} is already registered; change its configuration instead`
    case 'ProviderDeactivated': return `provider "${e.name}" (${e.providerId}) is deactivated and takes no new subscriptions or changes`
    case 'ProviderUnchanged': return `provider ${e.providerId} already has this name and configuration; nothing was recorded`
    case 'SettingUnchanged': return `setting ${e.key} already has this value; nothing was recorded`
    case 'SubscriptionNotFound': return `subscription ${e.subscriptionId} does not exist`
    case 'SubscriptionAlreadyExists': return `subscription ${e.subscriptionId} already exists; change its quantity instead`
    case 'QuantityUnchanged': return `subscription ${e.subscriptionId} already has quantity ${e.quantity}; nothing was recorded`
    case 'BundleParentNotFound': return `bundle parent subscription ${e.parentId} does not exist`
    case 'BundleParentNotVirtual': return `subscription ${e.parentId} is on a ${e.providerKind} provider; a bundle parent must be on a Do Nothing provider`
    case 'BundleQuantityMismatch': return `a bundle child's quantity must be the parent's quantity times the multiplier (${e.expected}), not ${e.given}`
    case 'BundleChildFollowsParent': return `subscription ${e.subscriptionId} is a bundle child of ${e.parentId}; change the parent's quantity instead`
    case 'SubscriptionCancelled': return `subscription ${e.subscriptionId} is cancelled and takes no further change`
    case 'SubscriptionAlreadyOnProvider': return `subscription ${e.subscriptionId} is already on provider ${e.providerId}; nothing was recorded`
    case 'UnresolvedChangesBlockMove': return `subscription ${e.subscriptionId} has unresolved License Changes (${e.licenseChangeIds.join(', ')}); resolve them first, or move with withdrawal of them (they end Failed Provisioning and are never sent)`
    case 'SubscriptionAlreadySuspended': return `subscription ${e.subscriptionId} is already suspended; nothing was recorded`
    case 'SubscriptionNotSuspended': return `subscription ${e.subscriptionId} is not suspended; only a suspended subscription can be reactivated`
    case 'BundleHasLiveChildren': return `subscription ${e.subscriptionId} is the bundle parent of ${e.childIds.join(', ')}; cancel those children first`
    case 'LicenseChangeNotFound': return `License Change ${e.licenseChangeId} does not exist`
    case 'NotAwaitingProvisioning': return `License Change ${e.licenseChangeId} is ${e.status}, not Awaiting Provisioning; nothing was recorded`
    case 'NotManualProvisioning': return `License Change ${e.licenseChangeId} is provisioned by ${e.providerKind === 'Automatic' ? 'an' : 'a'} ${e.providerKind} provider, not by a person`
    case 'ProvisioningRequestNotSent': return `the provisioning request email of License Change ${e.licenseChangeId} has not been sent yet; process the outbox (it retries the mailer) and mark it then`
    case 'NotFailedProvisioning': return `License Change ${e.licenseChangeId} is ${e.status}; only a Failed Provisioning change can be re-queued`
    case 'LicenseChangeSuperseded': return `License Change ${e.licenseChangeId} cannot be re-queued: the later License Change ${e.supersededBy} of the same subscription set the quantity at the provider after it, so its target is stale; change the quantity instead`
    case 'LicenseChangeWithdrawn': return `License Change ${e.licenseChangeId} was withdrawn when its subscription moved to provider ${e.movedTo}; change the quantity instead`
    case 'AlreadyInvoiced': return `License Change ${e.licenseChangeId} is already invoiced by billing run ${e.billingRunId}; nothing was recorded`
    case 'ConcurrencyConflict': return `stream ${e.streamId} kept changing under ${e.attempts} attempts; try again`
  }
}

/** The words of a thrown value: an Error's message, or the value as text. The one place a throw becomes a reason. */
export const messageOf = (thrown: unknown): string => (thrown instanceof Error ? thrown.message : String(thrown))
