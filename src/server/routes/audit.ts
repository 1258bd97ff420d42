import { AuditMoment, AuditReport, describeViolation } from '../../index'
import { itemsOf, object, ref, text, whole } from '../openapiSchemas'
import { invalidRequest } from './mount'
import { timeParam, wholeParam } from './input'
import { Answer, JsonSchema, problemAnswer, QueryOf, Route, route } from './route'

const tag = 'Audit'
const moment = {
  position: wholeParam('audit the log as it stood at this global position (inclusive)', 0, Number.MAX_SAFE_INTEGER),
  asOf: timeParam('audit the log as it stood at this moment (every event recorded at or before it)'),
}
type Moment = QueryOf<typeof moment>

const momentOf = (query: Moment): AuditMoment | null => {
  if (query.position !== undefined && query.asOf !== undefined) return null
  if (query.position !== undefined) return { basis: 'position', position: query.position }
  return query.asOf === undefined ? { basis: 'now' } : { basis: 'recorded time', time: query.asOf.toISOString() }
}

/** An audit route: a replay of the log up to the moment asked (no side effects), answered in part. */
const auditRoute = (path: string, operationId: string, summary: string, schema: JsonSchema,
  part: (report: AuditReport) => Readonly<Record<string, unknown>>): Route => route({
  method: 'GET', path, operationId, tag, role: 'viewer', summary: `${summary}. A replay of the log with no side effects, now or as of ?position= or ?asOf=`,
  query: moment,
  answers: { 200: { description: 'the audit', schema } },
  run: async ({ seatflow, query }): Promise<Answer> => {
    const at = momentOf(query)
    if (at === null) return problemAnswer(invalidRequest(['position, asOf: give one of them, not both']))
    const report = await seatflow.auditAt(at)
    return { status: 200, body: { moment: report.moment, events: report.events, position: report.position, ...part(report) } }
  },
})

const base = { moment: ref('AuditMoment'), events: { ...whole, description: 'events replayed' }, position: { ...whole, description: 'the global position of the last one' } }

/** The audit routes: summary, digest, mismatches and violations, now or at a moment. */
export const auditRoutes: ReadonlyArray<Route> = [
  auditRoute('/audit/summary', 'auditSummary', 'The views in numbers, the digest and how many invariants the log breaks',
    object({ ...base, digest: text, summary: ref('ViewSummary'), violations: whole, mismatches: whole }),
    (report) => ({ digest: report.digest, summary: report.summary, violations: report.violations.length, mismatches: report.mismatches.length })),
  auditRoute('/audit/digest', 'auditDigest', 'The digest (sha256) of every view rebuilt from the log: equal logs, equal digests',
    object({ ...base, digest: text }), (report) => ({ digest: report.digest })),
  auditRoute('/audit/mismatches', 'auditMismatches', 'The License Change Log mismatch report: subscriptions whose License Changes do not add up to their quantity',
    itemsOf(ref('Mismatch'), base), (report) => ({ items: report.mismatches })),
  auditRoute('/audit/violations', 'auditViolations', 'Every invariant the log breaks (illegal transitions, quantities not accounted for, Manual changes without their request mail), each with its sentence',
    itemsOf(ref('Violation'), base), (report) => ({ items: report.violations.map((v) => ({ ...v, description: describeViolation(v) })) })),
]
