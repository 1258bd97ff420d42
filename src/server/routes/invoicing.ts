import * as E from 'fp-ts/Either'
import type { Period } from '../../app/seatflow'
import type { Invoiced } from '../../app/commands/invoicing'
import { body, itemsOf, ref, time, uuid } from '../openapiSchemas'
import { timeParam, wholeParam } from './input'
import { invalidRequest } from './mount'
import { answerOf, given, problemAnswer, Route, route } from './route'

const tag = 'Invoicing'
/** Lines a page of the Active changes holds: by default, and at most. */
const defaultLines = 1000
const maxLines = 10_000
const from = timeParam('from this instant (inclusive)')
const to = timeParam('until this instant (exclusive)')

/** A period's bounds read from a body (each as the query's reader takes it): the period, or each bad bound named. */
const periodOf = (fields: Readonly<Record<string, unknown>>): E.Either<ReadonlyArray<string>, Period> => {
  const problems: string[] = []
  const read = (name: 'from' | 'to'): Date | undefined => {
    const raw = fields[name]
    if (raw === undefined) return undefined
    const value = typeof raw === 'string' ? (name === 'from' ? from : to).read(raw) : E.left('expected an ISO-8601 instant as a string')
    if (E.isLeft(value)) problems.push(`${name}: ${value.left}`)
    return E.isRight(value) ? value.right : undefined
  }
  const period = given({ from: read('from'), to: read('to') })
  if (period.from === undefined && period.to === undefined && problems.length === 0) problems.push('body: give licenseChangeIds, or the period (from, to) whose Active License Changes the run invoices')
  if (period.from !== undefined && period.to !== undefined && period.from >= period.to) problems.push('to: must be after from')
  return problems.length === 0 ? E.right(period) : E.left(problems)
}

const counted = (invoiced: Invoiced) => ({ ...invoiced, markedCount: invoiced.marked.length, alreadyInRunCount: invoiced.alreadyInRun.length })

/** Invoicing: the Active License Changes of a period (what a billing run exports), and marking them invoiced by a billing run. */
export const invoicingRoutes: ReadonlyArray<Route> = [
  route({
    // Viewer: the same rows, fields and all, are in the License Change Log (statusReason=Active) that every token reads; this writes nothing.
    method: 'GET', path: '/invoicing/active', operationId: 'activeLicenseChanges', tag, role: 'viewer',
    summary: 'The Active (not invoiced) License Changes recorded in a period, oldest first, each with the seats it bills: what the next billing run exports',
    query: {
      from: timeParam('recorded at or after this instant'), to: timeParam('recorded before this instant'),
      after: wholeParam('the `next` of the page before (a log position: a line invoiced meanwhile cannot lose the place)', 0, Number.MAX_SAFE_INTEGER),
      limit: wholeParam(`how many lines a page holds at most (default ${defaultLines})`, 1, maxLines),
    },
    answers: { 200: { description: 'a page of the invoice lines of the period; `next` is the cursor of the next page, null on the last', schema: itemsOf(ref('InvoiceLine'), { next: { oneOf: [{ type: 'integer', minimum: 0 }, { type: 'null' }] } }) } },
    run: async ({ seatflow, query }) => {
      const lines = await seatflow.activeLicenseChanges(given({ from: query.from, to: query.to }))
      const after = typeof query.after === 'number' ? query.after : -1
      const limit = typeof query.limit === 'number' ? query.limit : defaultLines
      const rest = lines.filter((line) => line.recordedPosition > after)
      const items = rest.slice(0, limit)
      return { status: 200, body: { items, next: rest.length > limit ? items.at(-1)?.recordedPosition ?? null : null } }
    },
  }),
  route({
    method: 'POST', path: '/invoicing/runs/{billingRunId}', pathNames: ['billingRunId'], operationId: 'markInvoiced', tag, role: 'operator',
    summary: 'A billing run marks License Changes invoiced, which archives them: those named, or every Active one recorded in a period. Idempotent per run: a repeated run records nothing new; a change another run invoiced refuses the request (nothing written)',
    body: body({
      licenseChangeIds: { type: 'array', items: uuid, minItems: 1, maxItems: 10_000, description: 'the License Changes to mark (one commit)' },
      from: { ...time, description: 'or: the period\'s start (inclusive), with or without `to`' },
      to: { ...time, description: 'and/or: the period\'s end (exclusive)' },
    }, []),
    answers: { 200: { description: 'what the run marked now, and what it had marked before', schema: ref('Invoiced') } },
    problems: [404, 409, 422],
    run: async ({ seatflow, ids, body: fields, trace }) => {
      const billingRunId = ids.billingRunId ?? ''
      if (fields.licenseChangeIds !== undefined) {
        if (fields.from !== undefined || fields.to !== undefined) return problemAnswer(invalidRequest(['body: give licenseChangeIds or a period (from, to), not both']))
        return answerOf(await seatflow.markInvoiced({ billingRunId, licenseChangeIds: fields.licenseChangeIds, ...trace }), 200, counted)
      }
      const period = periodOf(fields)
      if (E.isLeft(period)) return problemAnswer(invalidRequest(period.left))
      return answerOf(await seatflow.invoicePeriod(billingRunId, period.right, trace), 200, counted)
    },
  }),
]
