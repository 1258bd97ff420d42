import * as E from 'fp-ts/Either'
import { AuditMoment, AuditReport, auditLog } from '../app/audit/auditLog'
import { trail, TrailRow } from '../app/audit/trail'
import { describeError } from '../domain/errors'
import { describeViolation } from '../projections/audit'
import { MismatchRow } from '../projections/mismatches'
import { Flags, Io, isoFlag, json, single, UsageError, uuidFlag, wholeFlag } from './io'
import { createProgress } from './progress'
import { openStore, storeOf } from './store'
import { table } from './table'

const momentOf = (flags: Flags): AuditMoment => {
  if (flags['as-of'] !== undefined && flags.position !== undefined) throw new UsageError('give --as-of or --position, not both')
  const time = isoFlag(flags['as-of'], '--as-of')
  const position = wholeFlag(flags.position, '--position', 0)
  if (time !== undefined) return { basis: 'recorded time', time: time.toISOString() }
  return position === undefined ? { basis: 'now' } : { basis: 'position', position }
}

const momentLine = (report: AuditReport): string => {
  switch (report.moment.basis) {
    case 'now': return 'audit of the whole log'
    case 'position': return `audit as of position ${report.moment.position}`
    case 'recorded time': return `audit as of ${report.moment.time} by recorded time (up to the last event recorded at or before it: position ${report.position})`
  }
}

const mismatchTable = (rows: ReadonlyArray<MismatchRow>): string => rows.length === 0 ? 'License Change Log mismatches: none' : [
  `License Change Log mismatches: ${rows.length}`,
  table(['Subscription', 'Product', 'Quantity', 'Sum of deltas', 'Difference', 'License Changes'], rows.map((r) => [
    r.subscriptionId, r.product, String(r.quantity), String(r.sumOfDeltas), String(r.difference), String(r.licenseChanges),
  ])),
].join('\n')

const auditText = (report: AuditReport, violations: ReadonlyArray<string>): string => {
  const { licenseChanges: lc, subscriptions, seats, providers } = report.summary
  return [
    momentLine(report),
    `${report.events} events replayed`,
    `digest ${report.digest}`,
    `License Changes: ${lc.total} (Not Applicable ${lc['Not Applicable']}, Awaiting Provisioning ${lc['Awaiting Provisioning']}, `
      + `Provisioned ${lc.Provisioned}, Failed Provisioning ${lc['Failed Provisioning']})`,
    `subscriptions: ${subscriptions} with ${seats} seats; providers: ${providers.active} active, ${providers.deactivated} deactivated`,
    mismatchTable(report.mismatches),
    `${violations.length} violation(s)`,
    ...violations.map((v) => `  ${v}`),
  ].join('\n')
}

/** `seatflow audit`: the views and invariant checks as they stood at a moment; exit 0 only when nothing is broken. */
export const auditCommand = async (flags: Flags, io: Io): Promise<number> => {
  const moment = momentOf(flags)
  const storage = openStore(storeOf(flags), 'read')
  try {
    const progress = createProgress(io, 'replaying', moment.basis === 'position' ? moment.position : await storage.events.lastPosition())
    // A one-off process of its own: a long log is folded in a second thread (see ReplayOptions.worker).
    const report = await auditLog(storage.events, moment, progress.tick, { worker: 'auto' })
    progress.end()
    const violations = report.violations.map((v) => ({ ...v, message: describeViolation(v) }))
    io.out(flags.json === true ? json({ ...report, violations }) : auditText(report, violations.map((v) => v.message)))
    return violations.length === 0 ? 0 : 1
  } finally { await storage.close() }
}

const trailTable = (rows: ReadonlyArray<TrailRow>): string => table(
  ['Position', 'Time', 'Event', 'Actor', 'Caused by', 'License Change', 'Result'],
  rows.map((r) => [
    String(r.position), r.occurredAt.slice(0, 19).replace('T', ' '), r.type, r.actor,
    r.causedBy === null ? '' : `${r.causedBy.type ?? '?'} ${r.causedBy.eventId}`, r.licenseChangeId ?? '', r.result,
  ]),
  80, // full ids: a uuid v7's first digits are its time, shared by events of one moment
)

/** `seatflow trail`: every event that concerns a subscription or a License Change, in order. */
export const trailCommand = async (flags: Flags, io: Io): Promise<number> => {
  const subscriptionId = uuidFlag(flags.subscription, '--subscription', 'subscription')
  const licenseChangeId = uuidFlag(single(flags.change, '--change'), '--change', 'License Change')
  if ((subscriptionId === undefined) === (licenseChangeId === undefined)) throw new UsageError('give --subscription ID or --change ID')
  const storage = openStore(storeOf(flags), 'read')
  try {
    const rows = await trail(storage.events, subscriptionId === undefined ? { licenseChangeId: licenseChangeId as string } : { subscriptionId })
    if (E.isLeft(rows)) {
      io.err(`seatflow: ${describeError(rows.left)}`)
      return 1
    }
    io.out(flags.json === true ? json(rows.right) : trailTable(rows.right))
    return 0
  } finally { await storage.close() }
}
