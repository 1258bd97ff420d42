import { body, email, itemsOf, name, object, quantity, ref, time, uuid } from '../openapiSchemas'
import { licenseChangeAt } from './licenseChanges'
import { answerOf, apiBase, Route, route, rowAnswer } from './route'

const tag = 'Subscriptions'
const created = object({ subscriptionId: uuid, licenseChangeId: { oneOf: [uuid, { type: 'null' }] } })

/** The subscription routes: list, one, its trail, create, change the quantity, sync from the provider, the drift report. */
export const subscriptionRoutes: ReadonlyArray<Route> = [
  route({
    method: 'GET', path: '/subscriptions', operationId: 'listSubscriptions', tag, role: 'viewer',
    summary: 'The current subscriptions',
    answers: { 200: { description: 'every subscription', schema: itemsOf(ref('Subscription')) } },
    run: async ({ seatflow }) => ({ status: 200, body: { items: await seatflow.subscriptions() } }),
  }),
  route({
    method: 'GET', path: '/subscriptions/drift', operationId: 'driftReport', tag, role: 'viewer',
    summary: 'Subscriptions whose quantity at their Automatic provider differs, and what a sync would record (reads each gateway that can read; writes nothing)',
    answers: { 200: { description: 'the drift, and the subscriptions whose provider could not be read', schema: object({ drift: { type: 'array', items: ref('Drift') }, failed: { type: 'array', items: object({ subscriptionId: uuid, reason: { type: 'string' } }) } }) } },
    run: async ({ seatflow }) => ({ status: 200, body: await seatflow.driftReport() }),
  }),
  route({
    method: 'GET', path: '/subscriptions/{subscriptionId}', operationId: 'getSubscription', tag, role: 'viewer',
    summary: 'One subscription',
    answers: { 200: { description: 'the subscription', schema: ref('Subscription') } },
    problems: [404],
    run: async ({ seatflow, ids }) => rowAnswer(await seatflow.subscription(ids.subscriptionId ?? ''), { _tag: 'SubscriptionNotFound', subscriptionId: ids.subscriptionId ?? '' }),
  }),
  route({
    method: 'GET', path: '/subscriptions/{subscriptionId}/trail', operationId: 'subscriptionTrail', tag, role: 'viewer',
    summary: 'Every event that concerns a subscription and its License Changes, in log order, with who did it and what caused it',
    answers: { 200: { description: 'the trail', schema: itemsOf(ref('TrailEvent')) } },
    problems: [404],
    run: async ({ seatflow, ids }) => answerOf(await seatflow.trail({ subscriptionId: ids.subscriptionId ?? '' }), 200, (items) => ({ items })),
  }),
  route({
    method: 'POST', path: '/subscriptions', operationId: 'createSubscription', tag, role: 'operator',
    summary: 'Create a subscription: a product line on a billing contract, on a provider; its first seats are a License Change',
    body: body({
      product: name('the product'), providerId: uuid, billingContractId: name('the billing contract'), contractOwnerEmail: { ...email, description: 'who receives reminders' },
      quantity: { ...quantity, description: 'the seats it starts with (default 0; a bundle child: the parent\'s quantity times the multiplier)' },
      bundle: { ...object({ parentId: uuid, multiplier: { type: 'integer', minimum: 1, maximum: 10_000 } }), description: 'the bundle parent (a subscription on a Do Nothing provider) and the child seats per parent seat' },
      subscriptionId: { ...uuid, description: 'the id to give it (default: a new one; with an Idempotency-Key, one derived from the key)' },
    }, ['product', 'providerId', 'billingContractId', 'contractOwnerEmail']),
    answers: { 201: { description: 'created; Location is the subscription', schema: created } },
    problems: [404, 409, 422],
    run: async ({ seatflow, body: fields, trace, derivedId }) => answerOf(
      await seatflow.createSubscription({ ...(derivedId === null ? {} : { subscriptionId: derivedId }), ...fields, ...trace }),
      201, undefined, (made) => `${apiBase}/subscriptions/${made.subscriptionId}`),
  }),
  route({
    method: 'POST', path: '/subscriptions/{subscriptionId}/change-quantity', operationId: 'changeQuantity', tag, role: 'operator',
    summary: 'Change a subscription\'s quantity: its provider decides what happens, recorded as a License Change',
    body: body({ quantity }, ['quantity']),
    answers: { 201: { description: 'changed; Location is the License Change it recorded', schema: object({ subscriptionId: uuid, licenseChangeId: uuid }) } },
    problems: [404, 409, 422],
    run: async ({ seatflow, ids, body: fields, trace }) =>
      answerOf(await seatflow.changeQuantity({ ...fields, ...ids, ...trace }), 201, undefined, (made) => licenseChangeAt(made.licenseChangeId)),
  }),
  route({
    method: 'POST', path: '/subscriptions/{subscriptionId}/provider-sync', operationId: 'syncFromProvider', tag, role: 'operator',
    summary: 'Two-way sync: the quantity the provider reports. A different one is recorded as a change from the provider (Not Applicable); the same one, or one an unresolved change explains, writes nothing',
    body: body({
      quantity: { ...quantity, description: 'the quantity at the provider' }, changedBy: name('who changed it at the provider'),
      changedAt: { ...time, description: 'when it changed there (UTC, 2026-01-05T09:00:00.000Z)' },
    }, ['quantity']),
    answers: { 200: { description: 'what the sync did', schema: ref('SyncResult') } },
    problems: [404, 409, 422],
    run: async ({ seatflow, ids, body: fields, trace }) => answerOf(await seatflow.syncFromProvider({ ...fields, ...ids, ...trace }), 200),
  }),
]
