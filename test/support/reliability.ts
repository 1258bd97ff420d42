import * as E from 'fp-ts/Either'
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs'
import { Clock } from '../../src/providers/clock'
import { createSeatflow, Seatflow } from '../../src/app/seatflow'
import { Mail, Mailer } from '../../src/providers/mail'
import { createSimulatedGateway } from '../../src/providers/simulated'
import { AppendError, EventStore } from '../../src/store/port'
import { openStorage } from '../../src/store/open'
import { Storage } from '../../src/store/storage'

/** The instant the reliability clocks start at. */
export const reliabilityEpoch = '2026-01-05T09:00:00.000Z'

/** Hours between reminders in the reliability runs. */
export const reminderIntervalHours = 24

/** A positive whole number from the environment, or the default. */
export const envCount = (name: string, fallback: number): number => {
  const text = process.env[name]
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got "${text}"`)
  return value
}

/** Append one line to a file and fsync it before returning: once this returns, the line survives a SIGKILL. */
export const appendDurably = (file: string, line: string): void => {
  const fd = openSync(file, 'a')
  try {
    writeSync(fd, `${line}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** The complete JSON lines of a file; a last line cut short by a kill was never acknowledged and is left out. */
export const readLines = <A>(file: string): ReadonlyArray<A> => {
  if (!existsSync(file)) return []
  const lines = readFileSync(file, 'utf8').split('\n')
  return lines.slice(0, -1).map((line) => JSON.parse(line) as A)
}

/** A line of a mail sink: one send. */
export interface SentMail {
  readonly id: string
  readonly subject: string
}

/**
 * An SMTP-less mail sink: every send appends a durable line (the mail's id) to one file, so the
 * test can count how often each mail went out across processes and kills. `afterSend` runs once
 * the line is on disk (the mail is out) and before the send returns (before it is recorded).
 */
export const createSinkMailer = (file: string, afterSend: (sends: number) => void = () => undefined): Mailer => {
  let sends = 0
  return {
    send: async (mail: Mail) => {
      appendDurably(file, JSON.stringify({ id: mail.id, subject: mail.subject } satisfies SentMail))
      sends += 1
      afterSend(sends)
    },
  }
}

/** Refused appends by stream kind (`subscription`, `licensechange`, ...). */
export type ConflictCounts = Record<string, number>

const streamKind = (streamId: string): string => streamId.split('-')[0] ?? streamId

/**
 * Count the concurrency conflicts the command path meets: the store port answers every append
 * (or multi-stream append) that lost a race with WrongExpectedRevision, and the unit is then
 * decided again from fresh state.
 */
export const countingConflicts = (storage: Storage): { readonly storage: Storage; readonly conflicts: ConflictCounts } => {
  const conflicts: ConflictCounts = {}
  const count = (error: AppendError): void => {
    if (error._tag === 'WrongExpectedRevision') conflicts[streamKind(error.streamId)] = (conflicts[streamKind(error.streamId)] ?? 0) + 1
  }
  const events: EventStore = {
    ...storage.events,
    append: async (streamId, expected, newEvents) => {
      const result = await storage.events.append(streamId, expected, newEvents)
      if (E.isLeft(result)) count(result.left)
      return result
    },
  }
  const appendMany = storage.events.appendMany
  const counted: EventStore = appendMany === undefined ? events : {
    ...events,
    appendMany: async (appends) => {
      const result = await appendMany(appends)
      if (E.isLeft(result)) count(result.left)
      return result
    },
  }
  return { storage: { ...storage, events: counted }, conflicts }
}

/**
 * A Partner Center that honours idempotency keys across processes, as the real one does: its
 * answer is a function of the key (about a third accepted for later confirmation, the rest done).
 */
export const createIdempotentGateway = () => createSimulatedGateway({
  answer: (request) => (parseInt(request.idempotencyKey.slice(0, 2), 16) % 3 === 0
    ? { _tag: 'Accepted', reference: `PC-${request.idempotencyKey}` }
    : undefined),
})

/**
 * A clock that every writer process shares across restarts: simulated hours run `hoursPerSecond`
 * times faster than real time since `t0`, from `base`. With 0 it stands still at `base`.
 */
export const createSharedClock = (base: string, t0: number, hoursPerSecond: number): Clock => ({
  now: () => new Date(Date.parse(base) + (Date.now() - t0) * hoursPerSecond * 3600),
})

/**
 * How long a process's claim on a mail holds in the reliability runs: long enough for any send
 * and record under contention, short enough that a restart after a kill waits it out quickly.
 */
export const reliabilityLeaseSeconds = 2

/** The seatflow of every reliability process: one SQLite file, the sink mailer, Partner Center simulated. */
export const openReliabilityApp = (options: { readonly storage: Storage | string; readonly mailer: Mailer; readonly clock: Clock; readonly autoProcess?: boolean }): Promise<Seatflow> =>
  createSeatflow({
    mailLeaseSeconds: reliabilityLeaseSeconds,
    store: typeof options.storage === 'string' ? openStorage(options.storage) : options.storage,
    mailer: options.mailer,
    clock: options.clock,
    gateways: { 'Partner Center': createIdempotentGateway() },
    reminderIntervalHours,
    autoProcess: options.autoProcess ?? true,
  })

/** A command a worker got acknowledged: it logs this line only after the command's promise resolved Right. */
export interface Acknowledged {
  readonly kind: 'change' | 'sync' | 'provision'
  /** Unique per command: it lands in the metadata of the command's event. */
  readonly correlationId: string
  readonly licenseChangeId: string
  readonly subscriptionId?: string
  readonly quantity?: number
}
