import * as E from 'fp-ts/Either'
import { messageOf } from '../../domain/errors'
import { Existing, LicenseChangeCommand, licenseChanges } from '../../domain/licenseChange'
import { subscriptions } from '../../domain/subscription'
import { suspendedSubscriptionIds } from '../../projections/catalog'
import { licenseChangeLog, openLicenseChangesView, requestsDueView } from '../../projections/licenseChangeLog'
import { viewRows } from '../../projections/projection'
import { Mail, Mailer } from '../../providers/mail'
import { MailLinks } from '../../providers/mailLinks'
import { DueReminder, provisioningRequestMail, reminderDue, reminderFactsOf, reminderMail } from '../../providers/manual'
import { ViewStore } from '../../store/views'
import { runUnit, Writer } from '../commands/handler'
import { load } from '../state/load'
import { Claiming, claimWork, releaseWork } from './claimant'

/** A mail that could not be sent: it stays unsent and is tried again on the next run. */
export interface MailFailure {
  readonly licenseChangeId: string
  readonly subject: string
  readonly reason: string
}

/** What one run of the outbox did: the mails the mailer took, and those it refused. */
export interface OutboxReport {
  readonly sent: ReadonlyArray<Mail>
  /** The License Change of each mail sent, in the order of `sent` (its correlation id). */
  readonly sentFor: ReadonlyArray<string>
  readonly failed: ReadonlyArray<MailFailure>
  /** License Changes whose mail another process had claimed (it sends it; or, if it died, this one after the lease). */
  readonly claimedElsewhere: ReadonlyArray<string>
}

/** What the outbox runs on: claims with a lease (mailLeaseSeconds) among them. */
export interface Outbox extends Claiming {
  readonly writer: Writer
  readonly views: ViewStore
  readonly mailer: Mailer
  /** The links the mails carry. */
  readonly links: MailLinks
  /** The mails this instance is sending right now: a second caller in the same process leaves them alone. */
  readonly inFlight: Set<string>
}

/** What sending one mail came to: sent, refused by the mailer, claimed by another process, or nothing to send. */
type Sent = Mail | MailFailure | 'claimed elsewhere' | null

/** A mail a License Change wants, and the command that records it once sent; null when it wants none now. */
export type Want = (change: Existing) => { readonly mail: Mail; readonly record: LicenseChangeCommand } | null

/** What a kind of mail wants, and whether it waits while the subscription is suspended (reminders do). */
export interface Wanted {
  readonly want: Want
  readonly pausedWhileSuspended: boolean
}

/** Reminders stop while a subscription is suspended. */
const suspended = async (outbox: Outbox, change: Existing): Promise<boolean> =>
  (await load(outbox.writer.reader, subscriptions, change.change.subscriptionId)).state.status === 'Suspended'

/** What a License Change wants, as it stands now in the store (another process may have moved it on). */
export const wantedNow = async (outbox: Outbox, licenseChangeId: string, wanted: Wanted) => {
  const change = (await load(outbox.writer.reader, licenseChanges, licenseChangeId)).state
  if (change.status === 'None') return null
  if (wanted.pausedWhileSuspended && await suspended(outbox, change)) return null
  const want = wanted.want(change)
  if (want === null) return null
  const decided = licenseChanges.decide(want.record, change)
  return E.isRight(decided) && decided.right.length > 0 ? { ...want, change } : null
}

/**
 * Claim, send, then record at `at` under the mail's id; each mail goes out once however many
 * callers run the outbox, in this process (single flight) or in others on the store (a claim
 * with a lease). A crash between the send and its record sends it once more after the lease, or
 * at once when the crashed process was on this host (at-least-once, same id), and records it once.
 */
const sendOne = async (outbox: Outbox, licenseChangeId: string, wanted: Wanted, at: Date): Promise<Sent> => {
  const first = await wantedNow(outbox, licenseChangeId, wanted)
  if (first === null || outbox.inFlight.has(first.mail.id)) return null
  outbox.inFlight.add(first.mail.id)
  try {
    if (!await claimWork(outbox, first.mail.id)) return 'claimed elsewhere'
    const want = await wantedNow(outbox, licenseChangeId, wanted)
    if (want === null) return await releaseWork(outbox, first.mail.id, null)
    try {
      await outbox.mailer.send(want.mail)
    } catch (error) {
      return await releaseWork(outbox, want.mail.id, { licenseChangeId, subject: want.mail.subject, reason: messageOf(error) })
    }
    await runUnit(outbox.writer, async (session) => E.right(await session.decide(licenseChanges, licenseChangeId, want.record, {
      metadata: { occurredAt: at.toISOString(), actor: 'seatflow', correlationId: licenseChangeId, causationId: null },
      eventId: () => want.mail.id,
    })), 'effect record')
    // Recorded: the claim may run out on its own (the store prunes it); nobody would send this mail again.
    return want.mail
  } finally {
    outbox.inFlight.delete(first.mail.id)
  }
}

/** Send and record each License Change's mail; what is recorded is recorded at `at`. */
const run = async (outbox: Outbox, at: Date, work: ReadonlyArray<{ readonly licenseChangeId: string; readonly wanted: Wanted }>): Promise<OutboxReport> => {
  const sent: Mail[] = []
  const sentFor: string[] = []
  const failed: MailFailure[] = []
  const claimedElsewhere: string[] = []
  for (const { licenseChangeId, wanted } of work) {
    const outcome = await sendOne(outbox, licenseChangeId, wanted, at)
    if (outcome === null) continue
    if (outcome === 'claimed elsewhere') claimedElsewhere.push(licenseChangeId)
    else if ('reason' in outcome) failed.push(outcome)
    else {
      sent.push(outcome)
      sentFor.push(licenseChangeId)
    }
  }
  return { sent, sentFor, failed, claimedElsewhere }
}

const requestWant = (links: MailLinks): Want => (change) => {
  const provider = change.change.provider
  if (provider.kind !== 'Manual') return null
  const mail = provisioningRequestMail(change, links)
  return {
    mail,
    record: { type: 'RecordProvisioningRequest', licenseChangeId: change.licenseChangeId, to: [provider.provisioningEmail], cc: provider.copiedEmails, subject: mail.subject },
  }
}

/** Email every Manual change whose provisioning request has not gone out yet (the requests-due index). */
export const sendProvisioningRequests = (outbox: Outbox, at: Date): Promise<OutboxReport> =>
  run(outbox, at, viewRows(outbox.views, licenseChangeLog, requestsDueView).map((row) => ({
    licenseChangeId: row.licenseChangeId, wanted: { want: requestWant(outbox.links), pausedWhileSuspended: false },
  })))

/** The reminders due at `now`, from the open changes of the License Change Log (none for a suspended subscription). */
export const dueReminders = (views: ViewStore, now: Date, intervalHours: number): ReadonlyArray<DueReminder> => {
  const paused = suspendedSubscriptionIds(views)
  return viewRows(views, licenseChangeLog, openLicenseChangesView)
    .flatMap((row) => (paused.has(row.subscriptionId) ? [] : reminderDue(row, now, intervalHours) ?? []))
}

export const reminderWant = (now: Date, intervalHours: number, links: MailLinks): Want => (change) => {
  const due = reminderDue(reminderFactsOf(change), now, intervalHours)
  if (due === null) return null
  return {
    mail: reminderMail(change, due.sequence, links),
    record: { type: 'RecordReminder', licenseChangeId: change.licenseChangeId, to: [change.change.contractOwnerEmail], sequence: due.sequence },
  }
}

/**
 * Send the reminders due at `now` to the contract owners, and record them at `now`: the next one
 * is due an interval after the `now` this one was due at, whatever the clock says meanwhile.
 */
export const sendDueReminders = (outbox: Outbox, now: Date, intervalHours: number): Promise<OutboxReport> =>
  run(outbox, now, dueReminders(outbox.views, now, intervalHours).map((due) => ({
    licenseChangeId: due.licenseChangeId, wanted: { want: reminderWant(now, intervalHours, outbox.links), pausedWhileSuspended: true },
  })))
