import * as E from 'fp-ts/Either'
import { appendAllByPlan, appendByPlan, AppendLookup, Placed } from './appendPlan'
import { subscribeByReading, WaitForEvents } from './catchUp'
import { createMemoryClaims } from './claims'
import { batchSizeOf, checkpointOf, fromRevisionOf } from './checks'
import { AppendError, AppendManyOptions, AppendResult, EventStore, StreamAppended, ExpectedRevision, NewEvent, ReadAllOptions, StoredEvent, StreamAppend } from './port'
import { decodeRow, EncodedEvent, encodeEvent, EventRow, toJson } from './rows'
import { Storage } from './storage'
import { ViewStore, ViewTransaction } from './views'

/** Rows of views by view then key, as JSON text; null marks a row deleted in a pending update. */
type RowTable = Map<string, Map<string, string | null>>

const closedError = (): Error => new Error('the memory storage is closed')

const openMemoryEvents = (isOpen: () => boolean): EventStore => {
  const rows: Array<EventRow> = []
  const streams = new Map<string, Array<EventRow>>()
  const byId = new Map<string, EventRow>()
  const appended = new Set<() => void>()
  const live = (): void => { if (!isOpen()) throw closedError() }

  const waitForEvents: WaitForEvents = (position, signal) => new Promise((resolve) => {
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

  const lookup: AppendLookup = {
    lastRevision: (streamId) => streams.get(streamId)?.at(-1)?.revision ?? 'no_stream',
    lastPosition: () => rows.length,
    locate: (eventId) => byId.get(eventId),
  }

  const write = (streamId: string, firstRevision: number, events: ReadonlyArray<EncodedEvent>): Placed => {
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

  async function* readAll(options: ReadAllOptions): AsyncIterable<ReadonlyArray<StoredEvent>> {
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

  return {
    append,
    appendMany,
    readStream: async (streamId, options) => {
      live()
      return (streams.get(streamId) ?? []).slice(fromRevisionOf(options)).map(decodeRow)
    },
    readAll,
    subscribe: (options, onBatch) => subscribeByReading({ readAll }, waitForEvents, options, onBatch),
    lastPosition: async () => { live(); return rows.length },
    close: async () => undefined,
  }
}

/** Keys compare as SQLite's BINARY collation does: by UTF-8 bytes, that is by code points. */
const byCodePoint = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b))

const parseRow = (text: string | null | undefined): unknown => (text === null || text === undefined ? undefined : JSON.parse(text))

const tableOf = (table: RowTable, view: string): Map<string, string | null> => {
  const found = table.get(view) ?? new Map<string, string | null>()
  table.set(view, found)
  return found
}

const commit = (stored: RowTable, pending: RowTable): void => {
  pending.forEach((writes, view) => writes.forEach((text, key) => {
    if (text === null) stored.get(view)?.delete(key)
    else tableOf(stored, view).set(key, text)
  }))
}

/** A transaction that writes into `pending` and reads through it; unusable once `isOpen` says so. */
const pendingTransaction = (stored: RowTable, pending: RowTable, isOpen: () => boolean): ViewTransaction => {
  const live = (): void => { if (!isOpen()) throw new Error('the view transaction is over') }
  return {
    get: (view, key) => {
      live()
      const written = pending.get(view)?.get(key)
      return parseRow(written !== undefined ? written : stored.get(view)?.get(key))
    },
    put: (view, key, row) => { live(); tableOf(pending, view).set(key, toJson(row, `row ${key} of view ${view}`)) },
    delete: (view, key) => { live(); tableOf(pending, view).set(key, null) },
  }
}

const openMemoryViews = (isOpen: () => boolean): ViewStore => {
  const stored: RowTable = new Map()
  const checkpoints = new Map<string, number>()
  const live = (): void => { if (!isOpen()) throw closedError() }

  const update = (name: string, apply: (tx: ViewTransaction, checkpoint: number) => number): void => {
    live()
    const pending: RowTable = new Map()
    let inProgress = true
    try {
      const next = checkpointOf(name, apply(pendingTransaction(stored, pending, () => inProgress), checkpoints.get(name) ?? 0))
      commit(stored, pending)
      checkpoints.set(name, next)
    } finally {
      inProgress = false
    }
  }

  return {
    checkpoint: (name) => { live(); return checkpoints.get(name) ?? 0 },
    update,
    advance: (name, from, to) => {
      live()
      if ((checkpoints.get(name) ?? 0) !== from) return false
      checkpoints.set(name, checkpointOf(name, to))
      return true
    },
    get: (view, key) => { live(); return parseRow(stored.get(view)?.get(key)) },
    rows: (view) => {
      live()
      return [...(stored.get(view) ?? new Map<string, string | null>()).entries()]
        .sort(([a], [b]) => byCodePoint(a, b))
        .map(([, text]) => parseRow(text))
    },
    indexed: (index, main) => {
      live()
      const rows = stored.get(main)
      return [...(stored.get(index) ?? new Map<string, string | null>()).keys()].sort(byCodePoint)
        .flatMap((key) => { const text = rows?.get(key); return text === undefined || text === null ? [] : [parseRow(text)] })
    },
    reset: (views, names) => {
      live()
      views.forEach((view) => stored.delete(view))
      names.forEach((name) => checkpoints.delete(name))
    },
  }
}

/** A storage that lives in this process only: for tests, examples and trying things out. */
export const openMemoryStorage = (): Storage => {
  let open = true
  const isOpen = (): boolean => open
  const close = async (): Promise<void> => { open = false }
  const views = openMemoryViews(isOpen)
  return {
    events: { ...openMemoryEvents(isOpen), close },
    views,
    transactionalViews: views,
    claims: createMemoryClaims(),
    close,
    describe: 'memory',
  }
}
