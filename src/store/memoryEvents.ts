import * as E from 'fp-ts/Either'
import { appendAllByPlan, appendByPlan, AppendLookup, Placed } from './appendPlan'
import { subscribeByReading, WaitForEvents } from './catchUp'
import { batchSizeOf, fromRevisionOf } from './checks'
import { AppendError, AppendManyOptions, AppendResult, EventStore, StreamAppended, ExpectedRevision, NewEvent, ReadAllOptions, StoredEvent, StreamAppend } from './port'
import { decodeRow, EncodedEvent, encodeEvent, EventRow } from './rows'

/** The log in this process: every row in order, by stream and by event id, and who waits for the next. */
interface MemoryLog {
  readonly rows: Array<EventRow>
  readonly streams: Map<string, Array<EventRow>>
  readonly byId: Map<string, EventRow>
  readonly appended: Set<() => void>
}

/** The error of a call after the memory storage closed. */
export const closedError = (): Error => new Error('the memory storage is closed')

/** Resolve once the log passes `position` or `signal` aborts. */
const waitForEventsIn = ({ rows, appended }: MemoryLog): WaitForEvents => (position, signal) => new Promise((resolve) => {
  if (rows.length > position || signal.aborted) return resolve()
  const wake = (): void => {
    appended.delete(wake)
    signal.removeEventListener('abort', wake)
    resolve()
  }
  appended.add(wake)
  signal.addEventListener('abort', wake, { once: true })
  return undefined
})

/** What an append plan looks up in the log. */
const lookupIn = ({ rows, streams, byId }: MemoryLog): AppendLookup => ({
  lastRevision: (streamId) => streams.get(streamId)?.at(-1)?.revision ?? 'no_stream',
  lastPosition: () => rows.length,
  locate: (eventId) => byId.get(eventId),
})

/** Write planned events to the end of the log and wake whoever waits for them. */
const writeTo = ({ rows, streams, byId, appended }: MemoryLog) => (streamId: string, firstRevision: number, events: ReadonlyArray<EncodedEvent>): Placed => {
  const stream = streams.get(streamId) ?? []
  streams.set(streamId, stream)
  const written = events.map((event, i): EventRow => ({
    ...event, streamId, revision: firstRevision + i, position: rows.length + i + 1,
  }))
  rows.push(...written)
  stream.push(...written)
  written.forEach((row) => byId.set(row.eventId, row))
  appended.forEach((wake) => wake())
  return { nextExpectedRevision: firstRevision + events.length - 1, position: rows.length, positions: written.map((row) => row.position) }
}

/** The log in batches from `options.after`, each read checked against `live`. */
async function* readBatches({ rows }: MemoryLog, live: () => void, options: ReadAllOptions): AsyncIterable<ReadonlyArray<StoredEvent>> {
  const size = batchSizeOf(options)
  const until = options.until ?? Number.POSITIVE_INFINITY
  let after = options.after
  for (;;) {
    live()
    // Position p sits at index p - 1.
    const from = Math.max(0, Math.floor(after))
    const to = Math.min(rows.length, from + size, Math.max(0, Math.floor(until)))
    if (to <= from) return
    const batch = rows.slice(from, to).map(decodeRow)
    yield batch
    after = to
    if (batch.length < size) return
  }
}

/** An event store in this process's memory, refusing every call once `isOpen` says it closed. */
export const openMemoryEvents = (isOpen: () => boolean): EventStore => {
  const log: MemoryLog = { rows: [], streams: new Map(), byId: new Map(), appended: new Set() }
  const live = (): void => { if (!isOpen()) throw closedError() }
  const lookup = lookupIn(log)
  const write = writeTo(log)
  const readAll = (options: ReadAllOptions): AsyncIterable<ReadonlyArray<StoredEvent>> => readBatches(log, live, options)

  const append = async (streamId: string, expected: ExpectedRevision, events: ReadonlyArray<NewEvent>)
  : Promise<E.Either<AppendError, AppendResult>> => {
    live()
    return appendByPlan(streamId, expected, events.map(encodeEvent), lookup, write)
  }

  const appendMany = async (appends: ReadonlyArray<StreamAppend>, options?: AppendManyOptions)
  : Promise<E.Either<AppendError, ReadonlyArray<StreamAppended>>> => {
    live()
    const placed = appendAllByPlan(appends, lookup, write)
    if (E.isRight(placed)) options?.within?.(placed.right)
    return placed
  }

  return {
    append,
    appendMany,
    readStream: async (streamId, options) => {
      live()
      return (log.streams.get(streamId) ?? []).slice(fromRevisionOf(options)).map(decodeRow)
    },
    readAll,
    subscribe: (options, onBatch) => subscribeByReading({ readAll }, waitForEventsIn(log), options, onBatch),
    lastPosition: async () => { live(); return log.rows.length },
    close: async () => undefined,
  }
}
