import { accessSync, constants, existsSync } from 'node:fs'
import * as E from 'fp-ts/Either'
import { appendAllByPlan, appendByPlan, AppendLookup, IdPlace, Placed } from './appendPlan'
import { pause, subscribeByReading, WaitForEvents } from './catchUp'
import { batchSizeOf, fromRevisionOf } from './checks'
import { createMemoryClaims } from './claims'
import { AppendError, AppendResult, EventStore, ExpectedRevision, NewEvent, ReadAllOptions, StoredEvent, StreamAppend, StreamAppended } from './port'
import { overlayViews, readOnlyEvents } from './readOnly'
import { decodeRow, EncodedEvent, encodeEvent, EventRow } from './rows'
import { openSqliteClaims } from './sqliteClaims'
import { openSqliteRecords } from './sqliteRecords'
import { checkStoreFile, Db, openDatabase, openStoreForReading, ReadConnection, SqliteSynchronous } from './sqliteDatabase'
import { onFile, onFileError } from './sqliteErrors'
import { StoreFile } from './sqliteFile'
import { asIs, Relaxed, relaxedOn } from './sqliteRelaxed'
import { openSqliteViews, sqliteViewSource } from './sqliteViews'
import { NotAStoreError, Storage, StoreAccess } from './storage'

export type { SqliteSynchronous } from './sqliteDatabase'
export { sqliteSchemaVersion } from './sqliteDatabase'

/** Options of a SQLite storage. */
export interface SqliteOptions {
  /** `create` (default): a store, made where no file is (or an empty one); `write`: an existing store only; `read`: an existing store, read-only. */
  readonly access?: StoreAccess
  readonly synchronous?: SqliteSynchronous
  /** How often a subscription looks for new events, in milliseconds (other processes may append). Default: 100. */
  readonly pollMs?: number
}

/** The connection settings as SQLite reports them now. */
export interface SqlitePragmas {
  readonly journalMode: string
  /** 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. */
  readonly synchronous: number
  readonly busyTimeout: number
  readonly foreignKeys: boolean
  /** The synchronous level of the connection that writes views and checkpoints. */
  readonly viewsSynchronous: number
}

/** A SQLite storage, which can also tell its connection settings. */
export interface SqliteStorage extends Storage {
  readonly pragmas: () => SqlitePragmas
}

/** The events' columns, named as an EventRow's fields: a row comes out of SQLite in the shape the store hands on. */
const eventColumns = 'position, event_id AS eventId, stream_id AS streamId, revision, type, data, metadata'

const prepareEvents = (db: Db) => ({
  lastRevision: db.prepare<[string], { revision: number | null }>(
    'SELECT max(revision) AS revision FROM events WHERE stream_id = ?'),
  lastPosition: db.prepare<[], { position: number }>('SELECT coalesce(max(position), 0) AS position FROM events'),
  locate: db.prepare<[string], { streamId: string; revision: number; position: number }>(
    'SELECT stream_id AS streamId, revision, position FROM events WHERE event_id = ?'),
  insert: db.prepare<[string, string, number, string, string, string]>(
    'INSERT INTO events(event_id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)'),
  stream: db.prepare<[string, number], EventRow>(`SELECT ${eventColumns} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision`),
  batch: db.prepare<[number, number, number], EventRow>(
    `SELECT ${eventColumns} FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`),
})

const openSqliteEvents = (db: Db, path: string, pollMs: number, relaxed: Relaxed = asIs): EventStore => {
  const sql = prepareEvents(db)
  const lookup: AppendLookup = {
    lastRevision: (streamId) => sql.lastRevision.get(streamId)?.revision ?? 'no_stream',
    lastPosition: () => onFile(path, () => sql.lastPosition.get()?.position ?? 0),
    locate: (eventId): IdPlace | undefined => sql.locate.get(eventId),
  }

  const write = (streamId: string, firstRevision: number, events: ReadonlyArray<EncodedEvent>): Placed => {
    const positions = events.map((event, i) => Number(sql.insert.run(
      event.eventId, streamId, firstRevision + i, event.type, event.data, event.metadata).lastInsertRowid))
    return { nextExpectedRevision: firstRevision + events.length - 1, position: positions[positions.length - 1] ?? 0, positions }
  }

  const appendTx = db.transaction((streamId: string, expected: ExpectedRevision, events: ReadonlyArray<EncodedEvent>)
  : E.Either<AppendError, AppendResult> => appendByPlan(streamId, expected, events, lookup, write))
  const appendManyTx = db.transaction((appends: ReadonlyArray<StreamAppend>, within: ((placed: ReadonlyArray<StreamAppended>) => void) | undefined)
  : E.Either<AppendError, ReadonlyArray<StreamAppended>> => {
    const placed = appendAllByPlan(appends, lookup, write)
    if (E.isRight(placed)) within?.(placed.right)
    return placed
  })

  async function* readAll(options: ReadAllOptions): AsyncIterable<ReadonlyArray<StoredEvent>> {
    const size = batchSizeOf(options)
    const until = options.until ?? Number.MAX_SAFE_INTEGER
    let after = options.after
    for (;;) {
      const batch = onFile(path, () => sql.batch.all(after, until, size)).map(decodeRow)
      const last = batch[batch.length - 1]
      if (last === undefined) return
      yield batch
      after = last.position
      if (batch.length < size) return
    }
  }

  const waitForEvents: WaitForEvents = async (position, signal) => {
    while (!signal.aborted && lookup.lastPosition() <= position) await pause(pollMs, signal)
  }

  return {
    append: async (streamId: string, expected: ExpectedRevision, events: ReadonlyArray<NewEvent>) => {
      const encoded = events.map(encodeEvent)
      return onFile(path, () => appendTx.immediate(streamId, expected, encoded))
    },
    appendMany: async (appends, options) => onFile(path, () => (options?.durable === false
      ? relaxed(() => appendManyTx.immediate(appends, options.within))
      : appendManyTx.immediate(appends, options?.within))),
    readStream: async (streamId, options) => {
      const from = fromRevisionOf(options)
      return onFile(path, () => sql.stream.all(streamId, from)).map(decodeRow)
    },
    readAll,
    subscribe: (options, onBatch) => subscribeByReading({ readAll }, waitForEvents, options, onBatch),
    lastPosition: async () => lookup.lastPosition(),
    close: async () => { if (db.open) db.close() },
  }
}

const pragmasOf = (db: Db, viewsDb: Db): SqlitePragmas => ({
  journalMode: String(db.pragma('journal_mode', { simple: true })),
  synchronous: Number(db.pragma('synchronous', { simple: true })),
  busyTimeout: Number(db.pragma('busy_timeout', { simple: true })),
  foreignKeys: Number(db.pragma('foreign_keys', { simple: true })) === 1,
  viewsSynchronous: Number(viewsDb.pragma('synchronous', { simple: true })),
})

const isFile = (path: string): boolean => path !== ':memory:' && path !== ''

const refuseViewsFile = (path: string, found: StoreFile | ReadConnection): void => {
  const viewsOf = 'viewsOf' in found ? found.viewsOf : undefined
  if (viewsOf !== undefined) {
    throw new NotAStoreError(path, `${path} holds only the views of the events at ${viewsOf}: open that store instead (its URL with views=${path})`)
  }
}

/**
 * A store this user cannot write is refused before it is opened for writing: SQLite would open it
 * read-only without a word, and the first write would fail after the command was decided.
 */
const refuseUnwritable = (path: string): void => {
  if (!existsSync(path)) return
  try {
    accessSync(path, constants.W_OK)
  } catch (error) {
    const reason = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'no write permission'
    throw onFileError(path, Object.assign(new Error(`the file is not writable: ${reason}`), { code: 'SQLITE_READONLY' }))
  }
}

/**
 * A store opened read-only: one read-only connection in one read transaction, so every read sees
 * the store as it stood when opened. Appends are refused; views catch up in memory on top of the
 * stored ones (never written to the file), so they are current however far the stored views lag.
 */
const openSqliteReader = (path: string, pollMs: number): SqliteStorage => {
  const connection = openStoreForReading(path)
  const { db } = connection
  try {
    refuseViewsFile(path, connection)
  } catch (error) {
    db.close()
    throw error
  }
  const events = readOnlyEvents(openSqliteEvents(db, path, pollMs), path)
  return {
    events,
    views: overlayViews(sqliteViewSource(db, path)),
    claims: createMemoryClaims(),
    records: openSqliteRecords(db, path),
    readOnly: true,
    close: () => events.close(),
    describe: `sqlite ${path} (read-only)`,
    pragmas: () => pragmasOf(db, db),
  }
}

/**
 * A storage in one SQLite file (events, views and checkpoints), safe to share between processes:
 * every write is one IMMEDIATE transaction and nothing is cached between transactions.
 * Views and checkpoints are written through a second connection with `synchronous = NORMAL`: they
 * are rebuilt from the events, and a view and its checkpoint still commit together, so a power
 * loss can only set them back, never apart; events keep the durability asked for (FULL by default).
 * The file is checked first: a folder, an empty file (unless creating) or another application's
 * SQLite file is refused and left exactly as it was. `access: 'read'` opens it read-only.
 */
export const openSqliteStorage = (path: string, options?: SqliteOptions): SqliteStorage => {
  const access = options?.access ?? 'create'
  const pollMs = options?.pollMs ?? 100
  if (access === 'read') return openSqliteReader(path, pollMs)
  const synchronous = options?.synchronous ?? 'FULL'
  if (isFile(path)) {
    refuseViewsFile(path, checkStoreFile(path, access))
    refuseUnwritable(path)
  }
  const db = openDatabase(path, synchronous)
  const relaxed = relaxedOn(db, synchronous)
  const events = openSqliteEvents(db, path, pollMs, relaxed)
  const views = openSqliteViews(db, path, relaxed)
  return {
    events,
    views,
    transactionalViews: views,
    claims: openSqliteClaims(db, relaxed),
    records: openSqliteRecords(db, path),
    close: () => events.close(),
    describe: `sqlite ${path} (synchronous ${synchronous}; views and claims NORMAL)`,
    pragmas: () => ({ ...pragmasOf(db, db), viewsSynchronous: relaxed(() => Number(db.pragma('synchronous', { simple: true }))) }),
  }
}
