import { limits } from '../../domain/fields'
import { body, itemsOf, name, object, ref, uuid } from '../openapiSchemas'
import { problemOf } from '../problems'
import { oneOfParam, statusParam, textParam, timeParam, uuidParam, wholeParam } from './input'
import { answerOf, apiBase, given, Route, route } from './route'

const tag = 'License Changes'
const reason = (description: string) => ({ type: 'string', maxLength: limits.note, description: `${description} (no control characters)` })
const changed = { 200: { description: 'recorded', schema: object({ licenseChangeId: uuid }) } }

/** The License Change routes: the log a page at a time, one change with its trail, marking provisioned, re-queueing. */
export const licenseChangeRoutes: ReadonlyArray<Route> = [
  route({
    method: 'GET', path: '/license-changes', operationId: 'listLicenseChanges', tag, role: 'viewer',
    summary: 'The License Change Log, filtered, a page at a time in a stable order (by id): a change recorded later never moves a page',
    query: {
      status: statusParam('only changes in this provisioning status'),
      provider: textParam('only changes of this provider: its name or id (any case), or a kind (Do Nothing, Manual, Automatic)'),
      subscriptionId: uuidParam('only changes of this subscription'),
      since: timeParam('only changes recorded at or after this instant'),
      statusReason: oneOfParam('only Active (not invoiced yet) or Archived (invoiced) changes', ['Active', 'Archived'] as const),
      kind: oneOfParam('only changes that ask the provider for a new quantity, a cancellation or a reactivation', ['change', 'cancellation', 'reactivation'] as const),
      after: uuidParam('the `next` of the page before (the cursor)'),
      limit: wholeParam('how many changes a page holds at most (default 100)', 1, 500),
    },
    answers: { 200: { description: 'a page of License Changes; `next` is the cursor of the next page, null on the last', schema: itemsOf(ref('LicenseChange'), { next: { oneOf: [uuid, { type: 'null' }] } }) } },
    run: async ({ seatflow, query }) => {
      const { after, limit, subscriptionId, ...filter } = query
      const page = await seatflow.licenseChanges(given({ ...filter, subscriptionId }), given({ after, limit }))
      return { status: 200, body: { next: page.next, items: page.rows } }
    },
  }),
  route({
    method: 'GET', path: '/license-changes/{licenseChangeId}', operationId: 'getLicenseChange', tag, role: 'viewer',
    summary: 'One License Change, with its trail: every event that concerns it (and the quantity change that started it), who did it and what caused it',
    answers: { 200: { description: 'the License Change and its trail', schema: object({ licenseChange: ref('LicenseChange'), trail: { type: 'array', items: ref('TrailEvent') } }) } },
    problems: [404],
    run: async ({ seatflow, ids }) => {
      const licenseChangeId = ids.licenseChangeId ?? ''
      const row = await seatflow.licenseChange(licenseChangeId)
      if (row === null) return { status: 404, body: problemOf({ _tag: 'LicenseChangeNotFound', licenseChangeId }) }
      const trail = await seatflow.trail({ licenseChangeId })
      return answerOf(trail, 200, (events) => ({ licenseChange: row, trail: events }))
    },
  }),
  route({
    method: 'POST', path: '/license-changes/{licenseChangeId}/mark-provisioned', operationId: 'markProvisioned', tag, role: 'operator',
    summary: 'A person marks a Manual change provisioned (after changing the quantity in the provider\'s portal)',
    body: body({ by: name('who provisioned it'), note: reason('what was done') }, ['by']),
    answers: changed,
    problems: [404, 409, 422],
    run: async ({ seatflow, ids, body: fields, trace }) => answerOf(await seatflow.markProvisioned({ ...fields, ...ids, ...trace }), 200),
  }),
  route({
    method: 'POST', path: '/license-changes/{licenseChangeId}/requeue', operationId: 'requeueLicenseChange', tag, role: 'operator',
    summary: 'A person sends a Failed Provisioning change back to Awaiting Provisioning, saying why; it gets a fresh attempt budget',
    body: body({ by: name('who re-queues it'), reason: { ...reason('why'), minLength: 1 } }, ['by', 'reason']),
    answers: changed,
    problems: [404, 409, 422],
    run: async ({ seatflow, ids, body: fields, trace }) => answerOf(await seatflow.requeue({ ...fields, ...ids, ...trace }), 200),
  }),
]

/** Where a License Change is. */
export const licenseChangeAt = (licenseChangeId: string): string => `${apiBase}/license-changes/${licenseChangeId}`
