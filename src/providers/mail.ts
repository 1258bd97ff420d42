import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** One email. `id` is stable across retries: a receiver may deduplicate by it. */
export interface Mail {
  readonly id: string
  readonly to: ReadonlyArray<string>
  readonly cc: ReadonlyArray<string>
  readonly subject: string
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

const eml = (mail: Mail, from: string): string => [
  `Message-ID: <${mail.id}@seatflow>`,
  `From: ${from}`,
  `To: ${mail.to.join(', ')}`,
  ...(mail.cc.length > 0 ? [`Cc: ${mail.cc.join(', ')}`] : []),
  `Subject: ${mail.subject}`,
  'Content-Type: text/plain; charset=utf-8',
  '',
  mail.text,
  '',
].join('\r\n')

/** A mailer that writes each mail as `<id>.eml` in a folder: a resend overwrites, never doubles. */
export const createFileMailer = (folder: string, from = 'seatflow@localhost'): Mailer => ({
  send: async (mail) => {
    mkdirSync(folder, { recursive: true })
    const target = join(folder, `${mail.id}.eml`)
    writeFileSync(`${target}.tmp`, eml(mail, from))
    renameSync(`${target}.tmp`, target)
  },
})
