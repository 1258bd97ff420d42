import { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

/** A message the loopback SMTP server received: its envelope and the parsed message. */
export interface ReceivedMail {
  readonly envelopeTo: ReadonlyArray<string>
  readonly to: ReadonlyArray<string>
  readonly cc: ReadonlyArray<string>
  readonly from: string
  readonly subject: string
  readonly messageId: string
  readonly text: string
  readonly html: string
}

/** A started loopback SMTP server. */
export interface LoopbackSmtp {
  readonly url: string
  readonly received: () => ReadonlyArray<ReceivedMail>
  /** Refuse the next messages with a 451 (a temporary failure). */
  readonly refuseNext: (messages: number) => void
  readonly close: () => Promise<void>
}

const addresses = (field: unknown): ReadonlyArray<string> => {
  const list = (Array.isArray(field) ? field : field === undefined ? [] : [field]) as ReadonlyArray<{ value: ReadonlyArray<{ address?: string }> }>
  return list.flatMap((one) => one.value.map((address) => address.address ?? ''))
}

/** A real SMTP server (the `smtp-server` package) on 127.0.0.1, without TLS or authentication, that keeps what it receives. */
export const startSmtp = async (): Promise<LoopbackSmtp> => {
  const received: ReceivedMail[] = []
  let refusals = 0
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData: (stream, session, callback) => {
      void simpleParser(stream).then((parsed) => {
        if (refusals > 0) {
          refusals -= 1
          return callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }))
        }
        received.push({
          envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          to: addresses(parsed.to), cc: addresses(parsed.cc), from: parsed.from?.value[0]?.address ?? '',
          subject: parsed.subject ?? '', messageId: parsed.messageId ?? '', text: parsed.text ?? '', html: typeof parsed.html === 'string' ? parsed.html : '',
        })
        return callback()
      }, callback)
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    received: () => [...received],
    refuseNext: (messages) => { refusals = messages },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
