import * as E from 'fp-ts/Either'
import { decideLicenseChange } from '../domain/licenseChange'
import { Email, LicenseChangeId } from '../domain/values'
import { LicenseChangeRow, openLicenseChangesView } from '../projections/licenseChangeLog'
import { Mail } from '../providers/mail'
import { DueReminder, provisioningRequestMail, reminderDue, reminderMail } from '../providers/manual'
import { execute, licenseChangeAggregate, load, streams } from './aggregates'
import { Context } from './context'

/** A mail that could not be sent: it stays unsent and is tried again on the next run. */
export interface MailFailure {
  readonly licenseChangeId: string
  readonly subject: string
  readonly reason: string
}

/** What one run of the outbox did. */
export interface OutboxReport {
  readonly sent: ReadonlyArray<Mail>
  readonly failed: ReadonlyArray<MailFailure>
}

/** The License Changes still awaiting provisioning, from the open index of the License Change Log. */
export const openChanges = (context: Context): ReadonlyArray<LicenseChangeRow> =>
  context.views.rows(openLicenseChangesView) as ReadonlyArray<LicenseChangeRow>

/** Addresses in a view row came from validated events. */
const emails = (addresses: ReadonlyArray<string>): ReadonlyArray<Email> => addresses as ReadonlyArray<Email>

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** A mail to send for a License Change, and the command that records it once sent. */
interface MailWork {
  readonly row: LicenseChangeRow
  readonly mail: Mail
  readonly record: (id: LicenseChangeId) => Parameters<typeof decideLicenseChange>[0]
}

/**
 * Send a mail, then record it, at `at`, with the mail's id as the event id. A crash between the
 * two sends it once more on the next run (at-least-once, same id) and records it once. The mail
 * goes out only if the License Change as it stands now would record it: the list came from a
 * view that another process may have outdated (provisioned the change, recorded the mail).
 */
const sendAndRecord = async (context: Context, { row, mail, record }: MailWork, at: Date): Promise<MailFailure | 'sent' | 'moot'> => {
  const id = row.licenseChangeId as LicenseChangeId
  const current = await load(context.store, streams.licenseChange(id), licenseChangeAggregate)
  const wanted = decideLicenseChange(record(id), current.state)
  if (E.isLeft(wanted) || wanted.right.length === 0) return 'moot'
  try {
    await context.mailer.send(mail)
  } catch (error) {
    return { licenseChangeId: row.licenseChangeId, subject: mail.subject, reason: reasonOf(error) }
  }
  const recorded = await execute(context.store, {
    streamId: streams.licenseChange(id),
    aggregate: licenseChangeAggregate,
    decide: (state) => decideLicenseChange(record(id), state),
    metadata: { occurredAt: at.toISOString(), actor: 'seatflow', correlationId: row.licenseChangeId, causationId: null },
    eventId: () => mail.id,
  })
  return E.isRight(recorded) && recorded.right.events.length > 0 ? 'sent' : 'moot'
}

/** Send and record each mail; what is recorded is recorded at `at`. */
const run = async (context: Context, at: Date, work: ReadonlyArray<MailWork>): Promise<OutboxReport> => {
  const sent: Mail[] = []
  const failed: MailFailure[] = []
  for (const item of work) {
    const outcome = await sendAndRecord(context, item, at)
    if (outcome === 'sent') sent.push(item.mail)
    else if (outcome !== 'moot') failed.push(outcome)
  }
  return { sent, failed }
}

/** Email every Manual change whose provisioning request has not gone out yet (among `rows`, default: the open changes). */
export const sendProvisioningRequests = (context: Context, rows: ReadonlyArray<LicenseChangeRow> = openChanges(context)): Promise<OutboxReport> =>
  run(context, context.clock.now(), rows
    .filter((row) => row.providerKind === 'Manual' && row.status === 'Awaiting Provisioning' && row.requestedAt === null)
    .map((row) => {
      const mail = provisioningRequestMail(row)
      return { row, mail, record: (licenseChangeId) => ({ type: 'RecordProvisioningRequest', licenseChangeId, to: emails(mail.to), cc: emails(mail.cc), subject: mail.subject }) as const }
    }))

/** The reminders due at `now`. */
export const dueReminders = (context: Context, now: Date): ReadonlyArray<DueReminder> =>
  openChanges(context).flatMap((row) => reminderDue(row, now, context.reminderIntervalHours) ?? [])

/**
 * Send the reminders due at `now` to the contract owners, and record them at `now`: the next one
 * is due an interval after the `now` this one was due at, whatever the clock says meanwhile.
 */
export const sendDueReminders = (context: Context, now: Date): Promise<OutboxReport> =>
  run(context, now, openChanges(context).flatMap((row) => {
    const due = reminderDue(row, now, context.reminderIntervalHours)
    if (due === null) return []
    const mail = reminderMail(row, due.sequence)
    return [{ row, mail, record: (licenseChangeId: LicenseChangeId) => ({ type: 'RecordReminder', licenseChangeId, to: emails(mail.to), sequence: due.sequence }) as const }]
  }))
