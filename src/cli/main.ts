import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import * as E from 'fp-ts/Either'
import { createSeatflow } from '../app/seatflow'
import { describeError } from '../domain/errors'
import { createFileMailer, Mailer } from '../providers/mail'
import { createSmtpMailer } from '../providers/smtp'
import { auditCommand, trailCommand } from './audit'
import { runDemo } from './demo'
import { Flags, Io, json, options, required, storeOf, UsageError, writeOut } from './io'
import { logRenderer } from './log'
import { reminderTable } from './table'
import { exportCommand, importCommand, writeStdout } from './transfer'

export type { Io } from './io'

const usage = `usage: seatflow <command> [options]
  demo       [--db FILE]                           the story of a seat change on all three providers
  log        --db FILE [--format table|json|csv] [--status S] [--provider NAME|ID|KIND] [--since ISO]
                                                   the License Change Log (--json: --format json)
  reminders  --db FILE [--now ISO] [--send] [--json]  reminders due (and send them)
  provision  --db FILE --change ID --by WHO [--note TEXT]  mark a Manual change provisioned
  audit      --db FILE [--as-of ISO | --position N] [--json]
                                                   replay the log (up to a moment), check the invariants,
                                                   the License Change Log mismatch report
  trail      --db FILE (--subscription ID | --change ID) [--json]
                                                   every event that concerns it: when, who, caused by, result
  export     --db FILE [--from POSITION] > events.ndjson   every event, one JSON object a line
  import     --db FILE < events.ndjson             validate all, then write (nothing if a line is bad)
  (--store URL may replace --db FILE: sqlite:PATH, memory: or esdb://host:port?tls=false&views=PATH)
  mail goes to FILE-mail/ as .eml files (SEATFLOW_MAIL_DIR to change),
  or through an SMTP server when SEATFLOW_SMTP_URL is set (e.g. smtp://127.0.0.1:2525)`

const mailFolderOf = (store: string): string =>
  process.env.SEATFLOW_MAIL_DIR ?? (store.startsWith('sqlite:') ? `${store.slice('sqlite:'.length)}-mail` : join(tmpdir(), 'seatflow-mail'))

/** Where mail goes: the SMTP server of SEATFLOW_SMTP_URL when it is set, else .eml files in the mail folder. */
const mailOf = (store: string): { readonly mailer: Mailer; readonly where: string } => {
  const smtp = process.env.SEATFLOW_SMTP_URL
  if (smtp !== undefined && smtp.trim() !== '') return { mailer: createSmtpMailer(smtp.trim(), { from: process.env.SEATFLOW_MAIL_FROM ?? 'seatflow@localhost' }), where: `sent through ${smtp.trim()}` }
  const folder = mailFolderOf(store)
  return { mailer: createFileMailer(folder), where: `written to ${folder}` }
}

const instant = (text: string | undefined): Date | undefined => {
  if (text === undefined) return undefined
  const at = new Date(text)
  if (Number.isNaN(at.getTime())) throw new UsageError(`--now "${text}" is not an ISO-8601 time (e.g. 2026-01-06T09:00:00Z)`)
  return at
}

const open = (flags: Flags, autoProcess: boolean) => {
  const store = storeOf(flags, true)
  return createSeatflow({ store, mailer: mailOf(store).mailer, autoProcess, actor: 'cli' })
}

const commands: Readonly<Record<string, (flags: Flags, io: Io) => Promise<number>>> = {
  demo: async (flags, io) => {
    const path = flags.db ?? join(mkdtempSync(join(tmpdir(), 'seatflow-demo-')), 'seatflow.db')
    if (flags.db === undefined) io.out(`Using a fresh store at ${path}`)
    const store = flags.store ?? `sqlite:${path}`
    return runDemo(store, mailOf(store), io.out)
  },
  log: async (flags, io) => {
    const render = logRenderer(flags)
    const app = await open(flags, false)
    try {
      await writeOut(io, render(await app.licenseChangeLog()))
      return 0
    } finally { await app.close() }
  },
  reminders: async (flags, io) => {
    const now = instant(flags.now)
    const app = await open(flags, false)
    try {
      const due = await app.dueReminders(now)
      if (flags.send === true) {
        const report = await app.sendDueReminders(now)
        io.out(flags.json === true ? json(report) : `sent ${report.sent.length} reminder(s)${report.failed.length > 0 ? `, ${report.failed.length} failed (tried again next time)` : ''}`)
        report.failed.forEach((failure) => io.err(`reminder for ${failure.licenseChangeId} not sent: ${failure.reason}`))
        return report.failed.length === 0 ? 0 : 1
      }
      io.out(flags.json === true ? json(due) : reminderTable(due))
      return 0
    } finally { await app.close() }
  },
  provision: async (flags, io) => {
    const licenseChangeId = required(flags.change, '--change')
    const by = required(flags.by, '--by')
    const app = await open(flags, true)
    try {
      const result = await app.markProvisioned({ licenseChangeId, by, ...(flags.note === undefined ? {} : { note: flags.note }) })
      if (E.isLeft(result)) {
        io.err(`seatflow: ${describeError(result.left)}`)
        return 1
      }
      io.out(`License Change ${licenseChangeId} is Provisioned (by ${by})`)
      return 0
    } finally { await app.close() }
  },
  audit: auditCommand,
  trail: trailCommand,
  export: exportCommand,
  import: importCommand,
}

/** Run the CLI with these arguments; answers the exit code. User mistakes and broken stores print one line, never a stack. */
export const run = async (argv: ReadonlyArray<string>, io: Io): Promise<number> => {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true })
    const name = positionals[0]
    if (values.help === true || name === undefined) {
      io.out(usage)
      return name === undefined && values.help !== true ? 2 : 0
    }
    const command = commands[name]
    if (command === undefined || positionals.length > 1) throw new UsageError(`unknown command "${positionals.join(' ')}"`)
    return await command(values, io)
  } catch (error) {
    return reportFailure(error, io)
  }
}

/** One line for what went wrong; exit code 2 for a usage mistake, 1 otherwise. */
const reportFailure = (error: unknown, io: Io): number => {
  // Errors from Node itself may come from another realm (under a test runner): read them by shape.
  const shaped = typeof error === 'object' && error !== null ? error as { message?: unknown; code?: unknown; stack?: unknown } : {}
  io.err(`seatflow: ${shaped.message === undefined ? String(error) : String(shaped.message)}`)
  if (process.env.SEATFLOW_DEBUG !== undefined && typeof shaped.stack === 'string') io.err(shaped.stack)
  return error instanceof UsageError || String(shaped.code).startsWith('ERR_PARSE_ARGS') ? 2 : 1
}

/** The `seatflow` binary. */
export const main = (argv: ReadonlyArray<string>): Promise<number> => run(argv, {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  write: writeStdout,
  errIsTTY: process.stderr.isTTY === true,
  errRaw: (text) => process.stderr.write(text),
  ...(process.stdin.isTTY === true ? {} : { input: process.stdin }),
})
