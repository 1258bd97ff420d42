import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { validate as isUuid } from 'uuid'
import { derivedId } from '../domain/ids'
import { forbiddenCharacter, HeaderText, headerText, visible } from '../domain/text'
import { Email } from '../domain/values'
import { addressField, dateField, quotedPrintable, textField } from './rfc5322'

export interface MailIdBrand { readonly MailId: unique symbol }
/** The id of a mail: a uuid, stable across retries. */
export type MailId = string & MailIdBrand

/** The id of the mail about `subject` (`provisioning-request:<id>`): the same mail always has the same id. */
export const mailIdFor = (subject: string): MailId => derivedId(subject) as MailId

/**
 * One email. Every field that reaches a header is header-safe by its type: the id a uuid, the
 * addresses validated emails, the subject HeaderText (made by `headerText`). `id` is stable
 * across retries: a receiver may deduplicate by it.
 */
export interface Mail {
  readonly id: MailId
  readonly to: ReadonlyArray<Email>
  readonly cc: ReadonlyArray<Email>
  readonly subject: HeaderText
  readonly text: string
  /** The same content as HTML, for mailers that send both (the file mailer writes the text). */
  readonly html?: string
}

/** The port mail goes out through. A throw means the mail was not sent (it is tried again later). */
export interface Mailer {
  readonly send: (mail: Mail) => Promise<void>
}

/** A mailer that keeps what it sends, for tests and examples. */
export const createMemoryMailer = () => {
  const sent: Mail[] = []
  const mailer: Mailer = { send: async (mail) => { sent.push(mail) } }
  return { ...mailer, sent: (): ReadonlyArray<Mail> => [...sent] }
}

/** A sender for the From header, checked once when a mailer is made: one line, no control characters. */
export const senderAddress = (from: string): string => {
  const bad = forbiddenCharacter(from)
  if (from.trim() === '' || from.length > 254 || bad !== null) {
    throw new Error(`the sender "${visible(from)}" must be one address of at most 254 characters without control characters (e.g. seatflow@localhost)`)
  }
  return from
}

/**
 * The mail's header fields checked again at run time, for hosts that reach a mailer without the
 * types: a throw for an id that is not a uuid or an address that is not an email (nothing is
 * sent), the subject made header-safe.
 */
export const checkedMail = (mail: Mail): Mail => {
  if (!isUuid(mail.id)) throw new Error(`mail "${visible(String(mail.id))}" has no uuid id; the mail is refused`)
  for (const address of [...mail.to, ...mail.cc]) {
    if (!Email.is(address) || forbiddenCharacter(address) !== null) throw new Error(`mail ${mail.id}: "${visible(String(address))}" is not an email address; the mail is refused`)
  }
  return { ...mail, subject: headerText(mail.subject) }
}

/** The (checked) mail as an RFC 5322 message: folded headers, an RFC 2047 subject when not ASCII, a quoted-printable UTF-8 body. */
export const eml = (mail: Mail, from: string, date: Date): string => [
  `Message-ID: <${mail.id}@seatflow>`,
  dateField(date),
  `From: ${from}`,
  ...(mail.to.length > 0 ? [addressField('To', mail.to)] : []),
  ...(mail.cc.length > 0 ? [addressField('Cc', mail.cc)] : []),
  textField('Subject', mail.subject),
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  quotedPrintable(mail.text),
  '',
].join('\r\n')

/**
 * A mailer that writes each mail as `<id>.eml` in a folder (RFC 5322, dated by `now`): a resend
 * overwrites, never doubles.
 */
export const createFileMailer = (folder: string, from = 'seatflow@localhost', now: () => Date = () => new Date()): Mailer => {
  const sender = senderAddress(from)
  return {
    send: async (mail) => {
      const message = eml(checkedMail(mail), sender, now())
      mkdirSync(folder, { recursive: true })
      const target = join(folder, `${mail.id}.eml`)
      writeFileSync(`${target}.tmp`, message)
      renameSync(`${target}.tmp`, target)
    },
  }
}
