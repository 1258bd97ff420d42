import * as E from 'fp-ts/Either'
import { messageOf } from '../../domain/errors'
import { LicenseChangeCommand, licenseChanges } from '../../domain/licenseChange'
import { Email } from '../../domain/values'
import { Mail } from '../../providers/mail'
import { DueReminder, reminderMail } from '../../providers/manual'
import { MailLinks } from '../../providers/mailLinks'
import { DigestMember, reminderDigestMail } from '../../providers/reminderDigest'
import { runUnit } from '../commands/handler'
import { claimWork as claim, releaseWork as release } from './claimant'
import { dueReminders, MailFailure, Outbox, OutboxReport, reminderWant, Wanted, wantedNow } from './outbox'

/** A change claimed for a digest: what it records, under the id of its own reminder (the same id whether digests are on or off). */
interface Claimed extends DigestMember {
  readonly key: string
  readonly record: LicenseChangeCommand
}

/**
 * Claim each due reminder of one owner that still wants sending, as `sendOne` claims a single
 * mail: a reminder another caller holds (in this process or another) is left to it, so no
 * reminder is in two mails.
 */
const claimMembers = async (outbox: Outbox, due: ReadonlyArray<DueReminder>, wanted: Wanted, elsewhere: string[]): Promise<ReadonlyArray<Claimed>> => {
  const claimed: Claimed[] = []
  for (const one of due) {
    const first = await wantedNow(outbox, one.licenseChangeId, wanted)
    if (first === null || outbox.inFlight.has(first.mail.id)) continue
    outbox.inFlight.add(first.mail.id)
    if (!await claim(outbox, first.mail.id)) {
      outbox.inFlight.delete(first.mail.id)
      elsewhere.push(one.licenseChangeId)
      continue
    }
    const want = await wantedNow(outbox, one.licenseChangeId, wanted)
    if (want === null || want.record.type !== 'RecordReminder') {
      outbox.inFlight.delete(first.mail.id)
      await release(outbox, first.mail.id, null)
      continue
    }
    claimed.push({ key: first.mail.id, record: want.record, sequence: want.record.sequence, change: want.change })
  }
  return claimed
}

/** The mail of one owner's claimed reminders: the single reminder when there is one, else the digest. */
const mailOf = (owner: Email, members: ReadonlyArray<Claimed>, links: MailLinks): Mail => {
  const [only] = members
  return members.length === 1 && only !== undefined ? reminderMail(only.change, only.sequence, links) : reminderDigestMail(owner, members, links)
}

/** Send one owner's mail and record each reminder in one unit, at `at`; when the mail fails, every claim is released. */
const sendDigest = async (outbox: Outbox, owner: Email, members: ReadonlyArray<Claimed>, at: Date): Promise<Mail | ReadonlyArray<MailFailure>> => {
  const mail = mailOf(owner, members, outbox.links)
  try {
    await outbox.mailer.send(mail)
  } catch (error) {
    for (const member of members) await release(outbox, member.key, null)
    return members.map((member) => ({ licenseChangeId: member.change.licenseChangeId, subject: mail.subject, reason: messageOf(error) }))
  }
  await runUnit(outbox.writer, async (session) => {
    for (const member of members) {
      await session.decide(licenseChanges, member.change.licenseChangeId, member.record, {
        metadata: { occurredAt: at.toISOString(), actor: 'seatflow', correlationId: member.change.licenseChangeId, causationId: null },
        eventId: () => member.key,
      })
    }
    return E.right(undefined)
  }, 'effect record')
  return mail
}

/**
 * Send the reminders due at `now` as one mail per contract owner listing every change that awaits
 * them, and record each change's reminder (its count and the audit stay exact) at `now`.
 */
export const sendReminderDigests = async (outbox: Outbox, now: Date, intervalHours: number): Promise<OutboxReport> => {
  const wanted: Wanted = { want: reminderWant(now, intervalHours, outbox.links), pausedWhileSuspended: true }
  const byOwner = new Map<string, DueReminder[]>()
  for (const due of dueReminders(outbox.views, now, intervalHours)) {
    const owner = due.to.toLowerCase()
    byOwner.set(owner, [...byOwner.get(owner) ?? [], due])
  }
  const sent: Mail[] = []
  const sentFor: string[] = []
  const failed: MailFailure[] = []
  const claimedElsewhere: string[] = []
  for (const due of byOwner.values()) {
    const members = await claimMembers(outbox, due, wanted, claimedElsewhere)
    const first = members[0]
    if (first === undefined) continue
    try {
      const outcome = await sendDigest(outbox, first.change.change.contractOwnerEmail, members, now)
      if ('id' in outcome) {
        sent.push(outcome)
        sentFor.push(first.change.licenseChangeId)
      } else failed.push(...outcome)
    } finally {
      members.forEach((member) => outbox.inFlight.delete(member.key))
    }
  }
  return { sent, sentFor, failed, claimedElsewhere }
}
