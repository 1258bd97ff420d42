import type { Logger } from 'pino'
import type { OutboxReport } from '../app/processes/outbox'
import type { ProcessReport, SyncReport } from '../app/seatflow'

/**
 * One JSON line per worker action, each with the License Change it concerns as its correlation id
 * (the id every event of the action carries in its metadata): a request or a reminder sent, a mail
 * the server refused, a gateway call and its outcome, work another instance holds.
 */
export const logProcessed = (log: Logger, report: ProcessReport): void => {
  report.requestsSentFor.forEach((licenseChangeId) =>
    log.info({ action: 'request sent', correlationId: licenseChangeId, licenseChangeId }, 'provisioning request sent'))
  report.mailFailures.forEach((failure) =>
    log.warn({ action: 'mail not sent', correlationId: failure.licenseChangeId, licenseChangeId: failure.licenseChangeId, reason: failure.reason }, 'provisioning request not sent: tried again later'))
  report.attempts.forEach((attempt) =>
    log.info({ action: 'gateway call', correlationId: attempt.licenseChangeId, ...attempt }, `gateway ${attempt.call}: ${attempt.outcome}`))
  report.claimedElsewhere.forEach((licenseChangeId) =>
    log.info({ action: 'claimed elsewhere', correlationId: licenseChangeId, licenseChangeId }, 'another instance holds this work'))
  report.unconfigured.forEach((licenseChangeId) =>
    log.debug({ action: 'no gateway', correlationId: licenseChangeId, licenseChangeId }, 'no gateway is configured for this change'))
}

/** One line per reminder sent or refused, and per reminder another instance holds. */
export const logReminders = (log: Logger, report: OutboxReport): void => {
  report.sent.forEach((mail, index) => {
    const licenseChangeId = report.sentFor[index] ?? null
    log.info({ action: 'reminder sent', correlationId: licenseChangeId, licenseChangeId, mailId: mail.id, to: mail.to }, 'reminder sent')
  })
  report.failed.forEach((failure) =>
    log.warn({ action: 'mail not sent', correlationId: failure.licenseChangeId, licenseChangeId: failure.licenseChangeId, reason: failure.reason }, 'reminder not sent: tried again later'))
  report.claimedElsewhere.forEach((licenseChangeId) =>
    log.info({ action: 'claimed elsewhere', correlationId: licenseChangeId, licenseChangeId }, 'another instance holds this reminder'))
}

/** One line for a sync of the automatic providers, and one per subscription it could not read or sync. */
export const logSync = (log: Logger, report: SyncReport): void => {
  const recorded = report.results.filter((result) => result.outcome === 'recorded').length
  log.info({ action: 'sync', read: report.results.length, recorded, failed: report.failed.length }, 'automatic providers synced')
  report.failed.forEach((failure) => log.warn({ action: 'sync failed', subscriptionId: failure.subscriptionId, reason: failure.reason }, 'a subscription could not be synced'))
}

/** The time a process report asks to be looked at again, if any: accepted attempts to check, work to retry. */
export const timesAsked = (report: ProcessReport, now: number, checkMs: number, recheckMs: number): { readonly checkAt: number | null; readonly recheckAt: number | null } => {
  const scheduled = new Set(report.scheduled.map((entry) => entry.licenseChangeId))
  const unscheduledChecks = report.attempts.some((attempt) => attempt.outcome === 'Pending' && !scheduled.has(attempt.licenseChangeId))
  const retry = report.mailFailures.length + report.claimedElsewhere.length > 0
  return { checkAt: unscheduledChecks ? now + checkMs : null, recheckAt: retry ? now + recheckMs : null }
}
