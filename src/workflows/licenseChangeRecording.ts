import * as E from 'fp-ts/Either'
import { EventOf, LicenseChangeKind } from '../domain/events'
import { licenseChangeIdFor } from '../domain/ids'
import { ProviderState } from '../domain/provider'
import { SettingsState } from '../domain/settings'
import { SubscriptionState } from '../domain/subscription'
import { Origin, Quantity } from '../domain/values'
import { licenseChangeFor } from '../providers/policy'
import { Cause, Reaction } from './reaction'

/** An event that sets a subscription's quantity: its creation, or a change. */
export type QuantityEvent = EventOf<'SubscriptionCreated'> | EventOf<'SubscriptionQuantityChanged'>

/** An event that records a License Change: one that sets the quantity, a cancellation, or a reactivation. */
export type ChangeEvent = QuantityEvent | EventOf<'SubscriptionCancelled'> | EventOf<'SubscriptionReactivated'>

/** The types of the events that record a License Change. */
export const changeEventTypes: ReadonlySet<string> = new Set(['SubscriptionCreated', 'SubscriptionQuantityChanged', 'SubscriptionCancelled', 'SubscriptionReactivated'])

/** Whether an event is one that records a License Change. */
export const isChangeEvent = <Ev extends { readonly type: string }>(event: Ev): event is Ev & ChangeEvent => changeEventTypes.has(event.type)

/** The world as a change saw it: its subscription (as the event left it), that subscription's provider and the settings. */
export interface AtChange {
  readonly subscription: SubscriptionState
  readonly provider: ProviderState
  readonly settings: SettingsState
}

/** What a change asks of the provider. */
export interface AskedChange {
  readonly kind: LicenseChangeKind
  readonly previousQuantity: Quantity
  readonly newQuantity: Quantity
  readonly origin: Origin
}

const zero = 0 as Quantity

/** The quantities, origin and kind of a change event (a creation goes from 0, a cancellation to 0, both by the host). */
export const askedBy = (event: ChangeEvent): AskedChange => {
  switch (event.type) {
    case 'SubscriptionCreated':
      return { kind: 'change', previousQuantity: zero, newQuantity: event.data.quantity, origin: 'host' }
    case 'SubscriptionQuantityChanged':
      return { kind: 'change', previousQuantity: event.data.previousQuantity, newQuantity: event.data.newQuantity, origin: event.data.origin }
    case 'SubscriptionCancelled':
      return { kind: 'cancellation', previousQuantity: event.data.previousQuantity, newQuantity: zero, origin: 'host' }
    case 'SubscriptionReactivated':
      return { kind: 'reactivation', previousQuantity: event.data.quantityAtSuspension, newQuantity: event.data.quantity, origin: 'host' }
  }
}

/** Whether a change event asks anything of the provider: a cancellation always does, anything else when the quantity moves. */
export const asksAnything = (asked: AskedChange): boolean => asked.kind === 'cancellation' || asked.previousQuantity !== asked.newQuantity

/**
 * The provider policy at work: each change records its License Change, as things stood at that
 * change (a creation with no seats, or a reactivation to the quantity the provider still has,
 * records none). Left: the log lacks what the change needs.
 */
export const recordLicenseChange = (cause: Cause<ChangeEvent>, at: AtChange): E.Either<string, ReadonlyArray<Reaction>> => {
  const asked = askedBy(cause)
  if (!asksAnything(asked)) return E.right([])
  const { subscription, provider } = at
  if (subscription.status === 'None') return E.left('the subscription is not on record')
  if (provider.status === 'None') return E.left(`provider ${subscription.providerId} is not on record`)
  const licenseChangeId = licenseChangeIdFor(cause.eventId)
  const suspendedFor = subscription.status === 'Suspended' ? subscription.suspension?.reason ?? 'no reason given' : null
  const change = licenseChangeFor(
    { licenseChangeId, subscription, ...asked, suspendedFor },
    { ...provider, copiedEmailAddresses: at.settings.copiedEmailAddresses },
  )
  return E.right([{ on: 'licenseChange', id: licenseChangeId, command: { type: 'RecordLicenseChange', change }, idsFrom: `license-change-recorded:${licenseChangeId}` }])
}

/** A move withdraws the unresolved changes it names: each ends Failed Provisioning and is never sent. */
export const withdrawOnMove = (cause: Cause<EventOf<'SubscriptionMoved'>>): ReadonlyArray<Reaction> =>
  cause.data.withdrawn.map((licenseChangeId) => ({
    on: 'licenseChange', id: licenseChangeId, idsFrom: `withdrawn:${licenseChangeId}:${cause.eventId}`, moot: ['LicenseChangeNotFound'],
    command: { type: 'Withdraw', licenseChangeId, movedTo: cause.data.toProviderId },
  }))
