import { createTransport } from 'nodemailer'
import { checkedMail, Mailer, senderAddress } from './mail'
import { encodedWords } from './rfc5322'

/** Options of the SMTP mailer besides its URL. */
export interface SmtpMailerOptions {
  /** The sender. Default: seatflow@localhost */
  readonly from?: string
  /** How long connecting, the greeting and each exchange may take (ms; default 30 000). */
  readonly timeoutMs?: number
}

/** An SMTP URL (`smtp://host:port`, `smtps://user:pass@host:465`), or a clear error. */
const smtpUrl = (url: string): URL => {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error(`the SMTP URL "${url}" is not a URL: write it as smtp://host:port (e.g. smtp://127.0.0.1:2525)`)
  }
  if ((parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') || parsed.hostname === '') {
    throw new Error(`the SMTP URL "${url}" must start with smtp:// or smtps:// and name a host (e.g. smtp://127.0.0.1:2525)`)
  }
  return parsed
}

/**
 * The Subject as nodemailer should write it. Nodemailer encodes text that is not ASCII but leaves
 * ASCII as it is, so a user's text that looks like an encoded-word (`=?UTF-8?B?ZXZpbA==?=`) would
 * reach the reader decoded ("evil"). Such a subject is encoded here, whole, and nodemailer passes
 * the encoded-words on unchanged.
 */
const subjectOf = (subject: string): string => (subject.includes('=?') ? encodedWords(subject).join(' ') : subject)

/**
 * A mailer that sends through an SMTP server with nodemailer: plain text and HTML, the mail's id
 * as its Message-ID. A mail the server does not accept rejects, so the outbox tries it again later
 * and never records it as sent.
 */
export const createSmtpMailer = (url: string, options: SmtpMailerOptions = {}): Mailer & { readonly close: () => void } => {
  const timeout = options.timeoutMs ?? 30_000
  const from = senderAddress(options.from ?? 'seatflow@localhost')
  const transport = createTransport({ url: smtpUrl(url).toString(), connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout })
  return {
    send: async (given) => {
      const mail = checkedMail(given)
      if (mail.to.length === 0) throw new Error(`mail "${mail.subject}" has no recipient`)
      await transport.sendMail({
        messageId: `<${mail.id}@seatflow>`, from, to: [...mail.to], cc: [...mail.cc], subject: subjectOf(mail.subject), text: mail.text,
        ...(mail.html === undefined ? {} : { html: mail.html }),
      })
    },
    close: () => transport.close(),
  }
}
