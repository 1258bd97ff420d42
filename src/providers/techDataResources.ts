import { ProvisioningAction, ProvisioningResult } from './gateway'
import { field, permanent } from './http'

/** An Ion order as seatflow reads it: its id and whether it completed, failed (and why) or is still running. */
export type IonOrder =
  | { readonly id: string; readonly state: 'Completed' | 'Running' }
  | { readonly id: string; readonly state: 'Failed'; readonly reason: string; readonly code?: string }

const completed = new Set(['COMPLETE', 'COMPLETED', 'SUCCESS', 'FULFILLED'])
const failed = new Set(['FAILED', 'ERROR', 'CANCELLED', 'CANCELED', 'REJECTED'])

const words = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined)

/** Why an order failed: its own message, else its first item's error. */
const failureOf = (order: unknown, id: string, status: string): { readonly reason: string; readonly code?: string } => {
  const items = field(order, 'orderItems')
  const item: unknown = Array.isArray(items) ? (items as ReadonlyArray<unknown>).find((one) => words(field(one, 'errorMessage')) !== undefined) : undefined
  const reason = words(field(order, 'statusMessage')) ?? words(field(order, 'message')) ?? words(field(item, 'errorMessage')) ?? `order ${id} ended ${status}`
  const code = words(field(order, 'errorCode')) ?? words(field(item, 'errorCode'))
  return code === undefined ? { reason } : { reason, code }
}

/** Read an order (`{id | orderId, status, statusMessage?, orderItems?}`), or say what is wrong with it. */
export const ionOrder = (value: unknown): IonOrder | string => {
  const id = words(field(value, 'id')) ?? words(field(value, 'orderId'))
  const status = words(field(value, 'status'))
  if (id === undefined || status === undefined) return `the answer is not an order with an id and a status: ${JSON.stringify(value)?.slice(0, 120)}`
  const normalized = status.toUpperCase()
  if (completed.has(normalized)) return { id, state: 'Completed' }
  if (failed.has(normalized)) return { id, state: 'Failed', ...failureOf(value, id, status) }
  return { id, state: 'Running' }
}

/** Who last changed the quantity and when, from a subscription's `activityLogs` (the latest entry that names a quantity). */
export const ionActivity = (subscription: unknown): { readonly changedBy?: string; readonly changedAt?: string } => {
  const logs = field(subscription, 'activityLogs')
  if (!Array.isArray(logs)) return {}
  const dated = (logs as ReadonlyArray<unknown>)
    .filter((log) => /quantity/i.test(words(field(log, 'description')) ?? ''))
    .map((log) => ({ log, at: words(field(log, 'createdAt')) ?? words(field(log, 'date')) }))
    .filter((entry): entry is { log: unknown; at: string } => entry.at !== undefined && !Number.isNaN(Date.parse(entry.at)))
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
  const latest = dated[0]
  if (latest === undefined) return {}
  const actor = words(field(latest.log, 'actor')) ?? words(field(latest.log, 'userName')) ?? words(field(latest.log, 'createdBy'))
  return { changedAt: new Date(latest.at).toISOString(), ...(actor === undefined ? {} : { changedBy: actor }) }
}

/** Where an Ion subscription stands, from its `status` (inferred names: Ion's reference is not public). */
export type IonStanding = 'active' | 'suspended' | 'cancelled'

/** An Ion subscription's standing: cancelled, suspended, else active (a subscription without a status is taken as active). */
export const ionStanding = (subscription: unknown): IonStanding => {
  const status = (words(field(subscription, 'status')) ?? '').toUpperCase()
  if (['CANCELLED', 'CANCELED', 'TERMINATED', 'DELETED'].includes(status)) return 'cancelled'
  return status === 'SUSPENDED' ? 'suspended' : 'active'
}

/**
 * What an Ion attempt does after reading the subscription (pure). Seat changes are orders with an
 * UPDATE item; the API as modelled here has no cancellation and no reactivation, so a person does
 * those in the TechData portal and re-queues the License Change: once Ion shows the subscription
 * cancelled the cancellation is Provisioned; once active again the reactivation's seats are ordered.
 * seatflow never suspends at TechData (a suspension is Not Applicable), so an active subscription is
 * reactivated by ordering its quantity.
 */
export const ionPlan = (action: ProvisioningAction, subscription: unknown, ionId: string): { readonly _tag: 'Order' } | { readonly _tag: 'Done'; readonly result: ProvisioningResult } => {
  const standing = ionStanding(subscription)
  switch (action) {
    case 'set quantity': return { _tag: 'Order' }
    case 'cancel':
      return standing === 'cancelled' ? { _tag: 'Done', result: { _tag: 'Provisioned' } } : {
        _tag: 'Done',
        result: permanent(`TechData cannot cancel through its API here: cancel subscription ${ionId} in the TechData (StreamOne Ion) portal, then re-queue this License Change; it is marked Provisioned once TechData shows the subscription cancelled`, 'CancelInPortal'),
      }
    case 'reactivate':
      return standing !== 'suspended' ? { _tag: 'Order' } : {
        _tag: 'Done',
        result: permanent(`TechData cannot reactivate through its API here: subscription ${ionId} is suspended at TechData; reactivate it in the TechData (StreamOne Ion) portal, then re-queue this License Change to order its seats`, 'ReactivateInPortal'),
      }
  }
}
