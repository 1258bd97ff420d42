import { validate as isUuid } from 'uuid'
import { limits } from '../../domain/fields'
import { show } from '../../domain/validation'
import { body, object, ref, uuid } from '../openapiSchemas'
import { invalidRequest } from './mount'
import { answerOf, given, problemAnswer, Route, route } from './route'

const tag = 'Subscriptions'
const done = (description: string, licenseChange: 'none' | 'always' | 'maybe') => ({
  200: {
    description,
    schema: licenseChange === 'none' ? object({ subscriptionId: uuid })
      : object({ subscriptionId: uuid, licenseChangeId: licenseChange === 'always' ? uuid : { oneOf: [uuid, { type: 'null' }] } }),
  },
})

const booleanProblem = (name: string, value: unknown): ReadonlyArray<string> =>
  (value === undefined || typeof value === 'boolean' ? [] : [`${name}: expected true or false, got ${show(value)}`])

/** What is wrong with a move's body when its `readProvider` (not the command's) is: every field named, as the command would. */
const moveProblems = (fields: Readonly<Record<string, unknown>>): ReadonlyArray<string> => [
  ...(typeof fields.providerId === 'string' && isUuid(fields.providerId) ? [] : [`providerId: expected a uuid, got ${show(fields.providerId)}`]),
  ...booleanProblem('withdrawUnresolved', fields.withdrawUnresolved),
  ...booleanProblem('readProvider', fields.readProvider),
]

/** The life of a subscription beyond seat counts: move it to another provider, suspend, reactivate, cancel. */
export const lifecycleRoutes: ReadonlyArray<Route> = [
  route({
    method: 'POST', path: '/subscriptions/{subscriptionId}/move', operationId: 'moveSubscription', tag, role: 'operator',
    summary: 'Move a subscription to another provider: its history stays, its next changes go to the new provider. Refused while a change of it is unresolved (the problem names them) unless `withdrawUnresolved` (each then ends Failed Provisioning, never sent); refused to the same provider, a deactivated one, or for a cancelled subscription',
    body: body({
      providerId: { ...uuid, description: 'the provider it moves to' },
      withdrawUnresolved: { type: 'boolean', description: 'withdraw its unresolved changes rather than be refused (default false)' },
      readProvider: { type: 'boolean', description: 'ask an Automatic provider that can read for its quantity right after, and answer the drift (shown, never written; default false)' },
    }, ['providerId']),
    answers: { 200: { description: 'moved: where from and to, what it withdrew, and when asked the new provider\'s drift', schema: ref('MoveReport') } },
    problems: [404, 409, 422],
    run: async ({ seatflow, ids, body: fields, trace }) => {
      const { readProvider, ...input } = fields
      if (readProvider !== undefined && typeof readProvider !== 'boolean') return problemAnswer(invalidRequest(moveProblems(fields)))
      return answerOf(await seatflow.moveSubscription({ ...input, ...ids, ...trace }, given({ readProvider })), 200)
    },
  }),
  route({
    method: 'POST', path: '/subscriptions/{subscriptionId}/suspend', operationId: 'suspendSubscription', tag, role: 'operator',
    summary: 'Suspend a subscription (for non-payment, say): its quantity changes are then recorded Not Applicable and its reminders stop until it is reactivated',
    body: body({ reason: { type: 'string', minLength: 1, maxLength: limits.note, description: 'why (trimmed, no control characters)' } }, ['reason']),
    answers: done('suspended', 'none'),
    problems: [404, 409, 422],
    run: async ({ seatflow, ids, body: fields, trace }) => answerOf(await seatflow.suspendSubscription({ ...fields, ...ids, ...trace }), 200),
  }),
  route({
    method: 'POST', path: '/subscriptions/{subscriptionId}/reactivate', operationId: 'reactivateSubscription', tag, role: 'operator',
    summary: 'Reactivate a suspended subscription: a License Change brings the provider from the quantity at the suspension to today\'s (none when they agree)',
    answers: done('reactivated; `licenseChangeId` is what must be provisioned, null when nothing must', 'maybe'),
    problems: [404, 409, 422],
    run: async ({ seatflow, ids, trace }) => answerOf(await seatflow.reactivateSubscription({ ...ids, ...trace }), 200),
  }),
  route({
    method: 'POST', path: '/subscriptions/{subscriptionId}/cancel', operationId: 'cancelSubscription', tag, role: 'operator',
    summary: 'Cancel a subscription: a License Change to zero asks its provider to cancel it; it takes no further change. A bundle parent goes after its children',
    answers: done('cancelled; `licenseChangeId` is the change to zero', 'always'),
    problems: [404, 409, 422],
    run: async ({ seatflow, ids, trace }) => answerOf(await seatflow.cancelSubscription({ ...ids, ...trace }), 200),
  }),
]
