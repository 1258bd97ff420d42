import { derivedId } from '../domain/ids'
import { AttemptOutcome, Existing } from '../domain/licenseChange'
import { LicenseChangeKind } from '../domain/events'
import { ProvisioningAction, ProvisioningRequest, ProvisioningResult } from './gateway'

const actions: Readonly<Record<LicenseChangeKind, ProvisioningAction>> = { change: 'set quantity', cancellation: 'cancel', reactivation: 'reactivate' }

/** The number of the attempt a change is due for: the next one, or the one the provider accepted and is still checked. */
export const attemptNumber = (change: Existing): number => (change.pending === null ? change.attempts + 1 : change.attempts)

/**
 * What the gateway is asked for an Automatic change: the absolute target (the subscription's
 * quantity as of this change, never a delta), under a key that is the same for every call of one
 * attempt. Null for a change that is not Automatic.
 */
export const provisioningRequest = (change: Existing): ProvisioningRequest | null => {
  const { provider } = change.change
  if (provider.kind !== 'Automatic') return null
  const attempt = attemptNumber(change)
  return {
    licenseChangeId: change.licenseChangeId, action: actions[change.change.kind], subscriptionId: change.change.subscriptionId, providerId: provider.providerId,
    system: provider.system, product: change.change.product, targetQuantity: change.change.newQuantity,
    previousQuantity: change.change.previousQuantity, attempt,
    idempotencyKey: derivedId(`provisioning-attempt:${change.licenseChangeId}:${attempt}`),
  }
}

const retryAfter = (result: { readonly retryAfterSeconds?: number }): { readonly retryAfterSeconds?: number } =>
  result.retryAfterSeconds === undefined || !(result.retryAfterSeconds >= 0) ? {} : { retryAfterSeconds: result.retryAfterSeconds }

/** A gateway's answer as the License Change records it. */
export const attemptOutcome = (result: ProvisioningResult): AttemptOutcome => {
  switch (result._tag) {
    case 'Provisioned': return { outcome: 'Provisioned' }
    case 'Accepted': return { outcome: 'Pending', reference: result.reference, ...retryAfter(result) }
    case 'TransientFailure': return { outcome: 'TransientFailure', reason: result.reason, ...retryAfter(result) }
    case 'PermanentFailure': return { outcome: 'PermanentFailure', reason: result.code === undefined ? result.reason : `${result.code}: ${result.reason}` }
  }
}
