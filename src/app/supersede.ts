import * as E from 'fp-ts/Either'
import { decodeOrThrow, Recorded } from '../domain/envelope'
import { EventOf } from '../domain/events'
import { derivedId, licenseChangeIdFor } from '../domain/ids'
import { decideLicenseChange } from '../domain/licenseChange'
import { LicenseChangeId } from '../domain/values'
import { execute, licenseChangeAggregate, load, streams } from './aggregates'
import { Context, reactionMetadata } from './context'

type QuantityEvent = Recorded<EventOf<'SubscriptionCreated'>> | Recorded<EventOf<'SubscriptionQuantityChanged'>>

/** The quantity events of a subscription's stream, oldest first. */
const quantityEvents = async (context: Context, subscriptionId: string): Promise<ReadonlyArray<QuantityEvent>> =>
  (await context.store.readStream(streams.subscription(subscriptionId))).map(decodeOrThrow)
    .filter((event): event is QuantityEvent => event.type === 'SubscriptionCreated' || event.type === 'SubscriptionQuantityChanged')

const fromProvider = (event: QuantityEvent): boolean => event.type === 'SubscriptionQuantityChanged' && event.data.origin === 'provider'

/**
 * The reaction to a quantity the provider reported: every earlier unresolved Automatic change of
 * the subscription (back to the previous provider-reported change) has a stale target now; it is
 * superseded, never sent again and holds nothing back. Ids derive from the triggering event.
 */
export const supersedeEarlierChanges = async (context: Context, event: Recorded<EventOf<'SubscriptionQuantityChanged'>>): Promise<void> => {
  if (event.data.origin !== 'provider') return
  const supersededBy = licenseChangeIdFor(event.eventId)
  const earlier = (await quantityEvents(context, event.data.subscriptionId)).filter((candidate) => candidate.position < event.position).reverse()
  for (const candidate of earlier) {
    if (fromProvider(candidate)) return
    const licenseChangeId = licenseChangeIdFor(candidate.eventId)
    const result = await execute(context.store, {
      streamId: streams.licenseChange(licenseChangeId),
      aggregate: licenseChangeAggregate,
      decide: (state) => decideLicenseChange({ type: 'Supersede', licenseChangeId, supersededBy, quantity: event.data.newQuantity }, state),
      metadata: reactionMetadata(event),
      eventId: (index) => derivedId(`superseded:${licenseChangeId}:${event.eventId}:${index}`),
    })
    if (E.isLeft(result) && result.left._tag !== 'LicenseChangeNotFound') {
      throw new Error(`could not supersede License Change ${licenseChangeId} after ${event.eventId}: ${result.left._tag}`)
    }
  }
}

/**
 * The first change after `licenseChangeId` of its subscription that set the provider's quantity:
 * one the provider reported, or one provisioned. A re-queue of an older change would send a stale
 * target then (logs written before Failed changes held later ones back can hold such a pair).
 */
export const laterSettledChange = async (context: Context, licenseChangeId: LicenseChangeId): Promise<LicenseChangeId | null> => {
  const recorded = (await context.store.readStream(streams.licenseChange(licenseChangeId))).map(decodeOrThrow)[0]
  if (recorded?.type !== 'LicenseChangeRecorded') return null
  const events = await quantityEvents(context, recorded.data.subscriptionId)
  const index = events.findIndex((event) => licenseChangeIdFor(event.eventId) === licenseChangeId)
  for (const later of index < 0 ? [] : events.slice(index + 1)) {
    const laterId = licenseChangeIdFor(later.eventId)
    if (fromProvider(later)) return laterId
    if ((await load(context.store, streams.licenseChange(laterId), licenseChangeAggregate)).state.status === 'Provisioned') return laterId
  }
  return null
}
