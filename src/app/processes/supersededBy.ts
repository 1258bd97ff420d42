import { decodeOrThrow } from '../../domain/envelope'
import { licenseChangeIdFor } from '../../domain/ids'
import { Existing, licenseChanges } from '../../domain/licenseChange'
import { subscriptions } from '../../domain/subscription'
import { LicenseChangeId } from '../../domain/values'
import { isChangeEvent } from '../../workflows/licenseChangeRecording'
import { load, Reader } from '../state/load'

/**
 * The first change after `change` of its subscription that set the provider's quantity: one the
 * provider reported, or one provisioned (a quantity, a reactivation or a cancellation). A re-queue of the older change would send a stale target
 * then (logs written before Failed changes held later ones back can hold such a pair).
 */
export const laterSettledChange = async (reader: Reader, change: Existing): Promise<LicenseChangeId | null> => {
  const events = (await reader.store.readStream(subscriptions.streamOf(change.change.subscriptionId))).map(decodeOrThrow)
  const index = events.findIndex((event) => licenseChangeIdFor(event.eventId) === change.licenseChangeId)
  for (const later of index < 0 ? [] : events.slice(index + 1)) {
    if (!isChangeEvent(later)) continue
    const laterId = licenseChangeIdFor(later.eventId)
    if (later.type === 'SubscriptionQuantityChanged' && later.data.origin === 'provider') return laterId
    if ((await load(reader, licenseChanges, laterId)).state.status === 'Provisioned') return laterId
  }
  return null
}
