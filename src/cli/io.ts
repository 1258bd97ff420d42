import { parseArgs } from 'node:util'
import { validate as isUuid } from 'uuid'
import { visible } from '../domain/text'

/** Where the CLI writes and reads. Only `out` and `err` are needed; the rest has defaults. */
export interface Io {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
  /** Write a chunk to stdout as it is, and wait until stdout can take more (export, CSV). Default: `out`. */
  readonly write?: (chunk: string) => void | Promise<void>
  /** Whether stderr is a terminal: long replays show their progress only then. Default: false. */
  readonly errIsTTY?: boolean
  /** Write to stderr as it is, for a progress line that redraws itself. Default: nothing. */
  readonly errRaw?: (text: string) => void
  /** Standard input when something is piped in (import). */
  readonly input?: NodeJS.ReadableStream
  /** Milliseconds now, for rates and time left. Default: Date.now. */
  readonly now?: () => number
}

/** A mistake in how the CLI was called: one line and exit code 2. */
export class UsageError extends Error {}

/** Every option of the command line; which command takes which is in main.ts. */
export const options = {
  db: { type: 'string' }, store: { type: 'string' }, json: { type: 'boolean' }, now: { type: 'string' },
  send: { type: 'boolean' }, change: { type: 'string', multiple: true }, by: { type: 'string' }, note: { type: 'string' },
  'as-of': { type: 'string' }, position: { type: 'string' }, subscription: { type: 'string' }, from: { type: 'string' },
  format: { type: 'string' }, status: { type: 'string' }, provider: { type: 'string' }, since: { type: 'string' },
  host: { type: 'string' }, port: { type: 'string' }, 'sync-minutes': { type: 'string' }, 'recheck-seconds': { type: 'string' },
  'check-seconds': { type: 'string' }, 'ready-lag': { type: 'string' }, 'rate-limit': { type: 'string' }, gateways: { type: 'string' },
  'reminder-hours': { type: 'string' }, name: { type: 'string' }, role: { type: 'string' },
  to: { type: 'string' }, run: { type: 'string' }, reason: { type: 'string' }, quantity: { type: 'string' }, all: { type: 'boolean' },
  'changed-by': { type: 'string' }, 'changed-at': { type: 'string' }, 'withdraw-unresolved': { type: 'boolean' }, 'read-provider': { type: 'boolean' },
  'public-url': { type: 'string' }, 'link-days': { type: 'string' }, 'session-minutes': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

/** The flags of a command line. */
export type Flags = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values']

/** The one value of a flag that may be repeated only where a command takes several (`--change`): given twice elsewhere, a usage error. */
export const single = (values: ReadonlyArray<string> | undefined, flag: string): string | undefined => {
  if (values !== undefined && values.length > 1) throw new UsageError(`${flag} is given twice: give it once`)
  return values?.[0]
}

/** A flag that must be there and not blank. */
export const required = (value: string | undefined, flag: string): string => {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required`)
  return value
}

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

/** Whether the calendar has that day (JavaScript would read 2026-02-30 as 2 March). */
const isCalendarDay = (text: string): boolean => {
  const [year = 0, month = 0, day = 0] = text.slice(0, 10).split('-').map(Number)
  return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day
}

/** An ISO-8601 instant with its offset (2026-01-06T09:00:00Z), or a usage error naming the flag: --since, --as-of and --now alike. */
export const isoFlag = (text: string | undefined, flag: string): Date | undefined => {
  if (text === undefined) return undefined
  const at = new Date(text)
  if (!isoInstant.test(text) || Number.isNaN(at.getTime()) || !isCalendarDay(text)) {
    throw new UsageError(`${flag} "${text}" is not an ISO-8601 time with its offset (e.g. 2026-01-06T09:00:00Z)`)
  }
  return at
}

/** A whole number flag from `min`, or a usage error naming the flag. */
export const wholeFlag = (text: string | undefined, flag: string, min: number): number | undefined => {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number from ${min}, got "${text}"`)
  return n
}

/** A number flag above 0 and at most `max` (decimals allowed: `--recheck-seconds 0.5`), or a usage error naming the flag. */
export const positiveFlag = (text: string | undefined, flag: string, max: number): number | undefined => {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!/^\d+(\.\d+)?$/.test(text) || !(n > 0) || n > max) throw new UsageError(`${flag} must be a number above 0 and at most ${max}, got "${text}"`)
  return n
}

/** A flag that must be the id (a uuid) of a `what`, or a usage error naming the flag and the value. */
export const uuidFlag = (value: string | undefined, flag: string, what: string): string | undefined => {
  if (value !== undefined && !isUuid(value)) throw new UsageError(`${flag} must be the id of a ${what} (a uuid), not "${visible(value)}"`)
  return value?.toLowerCase()
}

/** Characters JSON.stringify leaves raw that a terminal or an editor may act on: DEL, C1, line and paragraph separators, bidi controls. */
const unsafeInJson = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/** Pretty JSON, with every control character escaped (`\u202e`): the same data, never raw controls. */
export const json = (value: unknown): string => JSON.stringify(value, null, 2)
  .replace(unsafeInJson, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)

/** Write raw text to stdout through the Io. */
export const writeOut = async (io: Io, chunk: string): Promise<void> => {
  if (io.write === undefined) io.out(chunk.replace(/\n$/, ''))
  else await io.write(chunk)
}
