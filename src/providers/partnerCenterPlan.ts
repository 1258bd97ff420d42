import { ProvisioningRequest, ProvisioningResult } from './gateway'
import { permanent } from './http'
import { PartnerCenterSubscription } from './partnerCenterResource'
import { cancellationVerdict, reductionVerdict, ReductionVerdict } from './reductionWindow'

/** What an attempt needs of the request: what is asked, and the quantity to end with. */
export type Asked = Pick<ProvisioningRequest, 'action' | 'targetQuantity'>

/** What an attempt does after reading the subscription: nothing more (done already, or refused), or this PATCH. */
export type PartnerCenterPlan =
  | { readonly _tag: 'Done'; readonly result: ProvisioningResult }
  | { readonly _tag: 'Patch'; readonly body: Readonly<Record<string, unknown>> }

/**
 * Whether Partner Center shows what was asked: the quantity for a change; `deleted` for a
 * cancellation (a cancel is confirmed by its status, not its quantity); `active` at the quantity
 * for a reactivation. A lost answer, an accepted PATCH and a later check all end here.
 */
export const showsAsked = (asked: Asked, subscription: Pick<PartnerCenterSubscription, 'status' | 'quantity'>): boolean => {
  switch (asked.action) {
    case 'set quantity': return subscription.quantity === asked.targetQuantity
    case 'cancel': return subscription.status === 'deleted'
    case 'reactivate': return subscription.status === 'active' && subscription.quantity === asked.targetQuantity
  }
}

/** A window the provider reports as closed, as Partner Center's refusal: permanent, with the code that says which window. */
const refusedPast = (verdict: ReductionVerdict, code: 'ReductionWindowClosed' | 'CancellationWindowClosed'): PartnerCenterPlan | null =>
  verdict._tag === 'WindowClosed' ? { _tag: 'Done', result: permanent(`Partner Center ${verdict.reason}`, code) } : null

const reduction = (asked: Asked, subscription: PartnerCenterSubscription, now: Date): PartnerCenterPlan | null =>
  refusedPast(reductionVerdict({ currentQuantity: subscription.quantity, targetQuantity: asked.targetQuantity, windows: subscription.windows, now }), 'ReductionWindowClosed')

/**
 * The PATCH of an attempt, from the subscription as read (pure: the gateway does the calls).
 * A change sends the full resource with the absolute quantity, a decrease only within the
 * reduction windows; a cancellation sends `status: deleted`, only before
 * `cancellationAllowedUntilDate`; a reactivation sends `status: active` with the quantity.
 */
export const planOf = (asked: Asked, subscription: PartnerCenterSubscription, now: Date): PartnerCenterPlan => {
  if (showsAsked(asked, subscription)) return { _tag: 'Done', result: { _tag: 'Provisioned' } }
  const { body } = subscription
  switch (asked.action) {
    case 'set quantity':
      return reduction(asked, subscription, now) ?? { _tag: 'Patch', body: { ...body, quantity: asked.targetQuantity } }
    case 'cancel':
      return refusedPast(cancellationVerdict({ allowedUntil: subscription.cancellationAllowedUntil, now }), 'CancellationWindowClosed')
        ?? { _tag: 'Patch', body: { ...body, status: 'deleted' } }
    case 'reactivate':
      return reduction(asked, subscription, now) ?? { _tag: 'Patch', body: { ...body, status: 'active', quantity: asked.targetQuantity } }
  }
}
