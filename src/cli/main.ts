import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import * as E from 'fp-ts/Either'
import { createSeatflow } from '../app/seatflow'
import { replay } from '../app/replay'
import { describeError } from '../domain/errors'
import { describeViolation } from '../projections/audit'
import { createFileMailer } from '../providers/mail'
import { openStorage } from '../store/open'
import { runDemo } from './demo'
import { licenseChangeTable, reminderTable } from './table'

/** Where the CLI writes. */
export interface Io {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
}

const usage = `usage: seatflow <command> [options]
  demo       [--db FILE]                           the story of a seat change on all three providers
  log        --db FILE [--json]                    the License Change Log
  reminders  --db FILE [--now ISO] [--send] [--json]  reminders due (and send them)
  provision  --db FILE --change ID --by WHO [--note TEXT]  mark a Manual change provisioned
  audit      --db FILE [--json]                    replay the log, check the invariants
  (--store URL may replace --db FILE: sqlite:PATH, memory: or esdb://host:port?tls=false&views=PATH)
  mail goes to FILE-mail/ as .eml files (SEATFLOW_MAIL_DIR to change)`

/** A mistake in how the CLI was called: one line and exit code 2. */
class UsageError extends Error {}

const options = {
  db: { type: 'string' }, store: { type: 'string' }, json: { type: 'boolean' }, now: { type: 'string' },
  send: { type: 'boolean' }, change: { type: 'string' }, by: { type: 'string' }, note: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

type Flags = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values']

const storeOf = (flags: Flags, mustExist: boolean): string => {
  const url = flags.store ?? (flags.db === undefined ? undefined : `sqlite:${flags.db}`)
  if (url === undefined) throw new UsageError('name the store with --db FILE (or --store URL)')
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : null
  if (mustExist && path !== null && !existsSync(path)) throw new UsageError(`no seatflow store at ${path}`)
  return url
}

const mailFolderOf = (store: string): string =>
  process.env.SEATFLOW_MAIL_DIR ?? (store.startsWith('sqlite:') ? `${store.slice('sqlite:'.length)}-mail` : join(tmpdir(), 'seatflow-mail'))

const required = (value: string | undefined, flag: string): string => {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required`)
  return value
}

const instant = (text: string | undefined): Date | undefined => {
  if (text === undefined) return undefined
  const at = new Date(text)
  if (Number.isNaN(at.getTime())) throw new UsageError(`--now "${text}" is not an ISO-8601 time (e.g. 2026-01-06T09:00:00Z)`)
  return at
}

const json = (value: unknown): string => JSON.stringify(value, null, 2)

const open = (flags: Flags, autoProcess: boolean) => {
  const store = storeOf(flags, true)
  return createSeatflow({ store, mailer: createFileMailer(mailFolderOf(store)), autoProcess, actor: 'cli' })
}

const commands: Readonly<Record<string, (flags: Flags, io: Io) => Promise<number>>> = {
  demo: async (flags, io) => {
    const path = flags.db ?? join(mkdtempSync(join(tmpdir(), 'seatflow-demo-')), 'seatflow.db')
    if (flags.db === undefined) io.out(`Using a fresh store at ${path}`)
    const store = flags.store ?? `sqlite:${path}`
    return runDemo(store, mailFolderOf(store), io.out)
  },
  log: async (flags, io) => {
    const app = await open(flags, false)
    try {
      const rows = await app.licenseChangeLog()
      io.out(flags.json === true ? json(rows) : licenseChangeTable(rows))
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
  audit: async (flags, io) => {
    const storage = openStorage(storeOf(flags, true))
    try {
      const report = await replay(storage.events)
      const violations = report.violations.map((v) => ({ ...v, message: describeViolation(v) }))
      if (flags.json === true) io.out(json({ events: report.events, digest: report.digest, violations }))
      else {
        io.out(`${report.events} events replayed\ndigest ${report.digest}\n${violations.length} violation(s)`)
        violations.forEach((v) => io.out(`  ${v.message}`))
      }
      return violations.length === 0 ? 0 : 1
    } finally { await storage.close() }
  },
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
export const main = (argv: ReadonlyArray<string>): Promise<number> =>
  run(argv, { out: (text) => process.stdout.write(`${text}\n`), err: (text) => process.stderr.write(`${text}\n`) })
