import { EventOf } from '../domain/events'
import { licenseChangeIdFor } from '../domain/ids'
import { LicenseChangeId } from '../domain/values'
import { Cause, Reaction } from './reaction'

/** An earlier quantity change of the subscription: its License Change, and whether the provider reported it. */
export interface EarlierChange {
  readonly licenseChangeId: LicenseChangeId
  readonly fromProvider: boolean
}

/**
 * A quantity the provider reported makes the target of every earlier unresolved Automatic change
 * of the subscription stale, back to the previous quantity the provider reported: each is
 * superseded, never sent again, and holds nothing back. (The License Change decides whether it is
 * still unresolved and Automatic; one that is not records nothing.) `earlier` is newest first.
 */
export const supersession = (cause: Cause<EventOf<'SubscriptionQuantityChanged'>>, earlier: ReadonlyArray<EarlierChange>): ReadonlyArray<Reaction> => {
  if (cause.data.origin !== 'provider') return []
  const supersededBy = licenseChangeIdFor(cause.eventId)
  const since = earlier.findIndex((change) => change.fromProvider)
  return (since < 0 ? earlier : earlier.slice(0, since)).map(({ licenseChangeId }) => ({
    on: 'licenseChange', id: licenseChangeId, idsFrom: `superseded:${licenseChangeId}:${cause.eventId}`, moot: ['LicenseChangeNotFound'],
    command: { type: 'Supersede', licenseChangeId, supersededBy, quantity: cause.data.newQuantity },
  }))
}
