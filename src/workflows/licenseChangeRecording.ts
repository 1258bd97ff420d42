import * as E from 'fp-ts/Either'
import { EventOf } from '../domain/events'
import { licenseChangeIdFor } from '../domain/ids'
import { ProviderState } from '../domain/provider'
import { SettingsState } from '../domain/settings'
import { SubscriptionState } from '../domain/subscription'
import { licenseChangeFor } from '../providers/policy'
import { Cause, Reaction } from './reaction'

/** An event that sets a subscription's quantity: its creation, or a change. */
export type QuantityEvent = EventOf<'SubscriptionCreated'> | EventOf<'SubscriptionQuantityChanged'>

/** The world as a quantity change saw it: its subscription, that subscription's provider and the settings. */
export interface AtChange {
  readonly subscription: SubscriptionState
  readonly provider: ProviderState
  readonly settings: SettingsState
}

/** The quantities and origin of a quantity event (a creation goes from 0, by the host). */
export const quantitiesOf = (event: QuantityEvent) => event.type === 'SubscriptionCreated'
  ? { previousQuantity: 0 as typeof event.data.quantity, newQuantity: event.data.quantity, origin: 'host' as const }
  : { previousQuantity: event.data.previousQuantity, newQuantity: event.data.newQuantity, origin: event.data.origin }

/**
 * The provider policy at work: each quantity change records its License Change, as things stood
 * at that change (a creation with no seats records none). Left: the log lacks what the change needs.
 */
export const recordLicenseChange = (cause: Cause<QuantityEvent>, at: AtChange): E.Either<string, ReadonlyArray<Reaction>> => {
  const quantities = quantitiesOf(cause)
  if (quantities.previousQuantity === quantities.newQuantity) return E.right([])
  const { subscription, provider } = at
  if (subscription.status === 'None') return E.left('the subscription is not on record')
  if (provider.status === 'None') return E.left(`provider ${subscription.providerId} is not on record`)
  const licenseChangeId = licenseChangeIdFor(cause.eventId)
  const change = licenseChangeFor(
    { licenseChangeId, subscription, ...quantities },
    { ...provider, copiedEmailAddresses: at.settings.copiedEmailAddresses },
  )
  return E.right([{ on: 'licenseChange', id: licenseChangeId, command: { type: 'RecordLicenseChange', change }, idsFrom: `license-change-recorded:${licenseChangeId}` }])
}
