import Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import { AppendError, AppendResult, EventStore, ExpectedRevision, NewEvent, ReadAllOptions, StoredEvent, fromRevisionOf } from './port'
import {
  AppendLookup, EncodedEvent, EventPlace, EventRow, Storage, batchSizeOf, checkpointOf, decodeRow, encodeEvent,
  planAppend, toJson,
} from './storage'
import { ViewStore, ViewTransaction } from './views'

/** How hard SQLite syncs to disk: FULL survives power loss, NORMAL in WAL mode may lose the last commits. */
export type SqliteSynchronous = 'FULL' | 'NORMAL'

/** Options of a SQLite storage. */
export interface SqliteOptions {
  readonly synchronous?: SqliteSynchronous
}

/** The connection settings as SQLite reports them now. */
export interface SqlitePragmas {
  readonly journalMode: string
  /** 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. */
  readonly synchronous: number
  readonly busyTimeout: number
  readonly foreignKeys: boolean
}

/** A SQLite storage, which can also tell its connection settings. */
export interface SqliteStorage extends Storage {
  readonly pragmas: () => SqlitePragmas
}

/** The schema version this code writes and reads. */
export const sqliteSchemaVersion = 1

type Db = Database.Database

const schemaV1 = `
  CREATE TABLE IF NOT EXISTS events(
    position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL,
    revision INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL,
    UNIQUE(stream_id, revision));
  CREATE TABLE IF NOT EXISTS view_rows(
    view TEXT NOT NULL, key TEXT NOT NULL, row TEXT NOT NULL, PRIMARY KEY(view, key)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS checkpoints(name TEXT PRIMARY KEY, position INTEGER NOT NULL);`

const configure = (db: Db, path: string, synchronous: SqliteSynchronous): void => {
  db.pragma('busy_timeout = 5000')
  if (path !== ':memory:' && path !== '') db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${synchronous}`)
  db.pragma('foreign_keys = ON')
}

const migrate = (db: Db, path: string): void => {
  db.exec('CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)')
  const found = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema_version'").get()
  const version = found === undefined ? 0 : Number(found.value)
  if (!Number.isSafeInteger(version) || version > sqliteSchemaVersion) {
    throw new Error(`${path} has schema version ${found?.value ?? '?'}, but this seatflow reads version `
      + `${sqliteSchemaVersion} at most: upgrade seatflow to open it`)
  }
  if (version < 1) {
    db.exec(schemaV1)
    db.prepare("INSERT INTO meta(key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .run(String(sqliteSchemaVersion))
  }
}

const openDatabase = (path: string, synchronous: SqliteSynchronous): Db => {
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new RangeError(`synchronous must be FULL or NORMAL, got ${String(synchronous)}`)
  }
  const db = new Database(path)
  try {
    configure(db, path, synchronous)
    db.transaction(() => migrate(db, path)).immediate()
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

interface SqlEventRow {
  readonly position: number
  readonly event_id: string
  readonly stream_id: string
  readonly revision: number
  readonly type: string
  readonly data: string
  readonly metadata: string
}

const eventColumns = 'position, event_id, stream_id, revision, type, data, metadata'

const fromSql = (row: SqlEventRow): EventRow => ({
  position: row.position, eventId: row.event_id, streamId: row.stream_id, revision: row.revision,
  type: row.type, data: row.data, metadata: row.metadata,
})

const prepareEvents = (db: Db) => ({
  lastRevision: db.prepare<[string], { revision: number | null }>(
    'SELECT max(revision) AS revision FROM events WHERE stream_id = ?'),
  lastPosition: db.prepare<[], { position: number }>('SELECT coalesce(max(position), 0) AS position FROM events'),
  locate: db.prepare<[string], { streamId: string; revision: number; position: number }>(
    'SELECT stream_id AS streamId, revision, position FROM events WHERE event_id = ?'),
  insert: db.prepare<[string, string, number, string, string, string]>(
    'INSERT INTO events(event_id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)'),
  stream: db.prepare<[string, number], SqlEventRow>(`SELECT ${eventColumns} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision`),
  batch: db.prepare<[number, number, number], SqlEventRow>(
    `SELECT ${eventColumns} FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`),
})

const openSqliteEvents = (db: Db): EventStore => {
  const sql = prepareEvents(db)
  const lookup: AppendLookup = {
    lastRevision: (streamId) => sql.lastRevision.get(streamId)?.revision ?? 'no_stream',
    lastPosition: () => sql.lastPosition.get()?.position ?? 0,
    locate: (eventId): EventPlace | undefined => sql.locate.get(eventId),
  }

  const write = (streamId: string, firstRevision: number, events: ReadonlyArray<EncodedEvent>): AppendResult => {
    const positions = events.map((event, i) => Number(sql.insert.run(
      event.eventId, streamId, firstRevision + i, event.type, event.data, event.metadata).lastInsertRowid))
    return { nextExpectedRevision: firstRevision + events.length - 1, position: positions[positions.length - 1] ?? 0 }
  }

  const appendTx = db.transaction((streamId: string, expected: ExpectedRevision, events: ReadonlyArray<EncodedEvent>)
  : E.Either<AppendError, AppendResult> => {
    const plan = planAppend(streamId, expected, events.map((event) => event.eventId), lookup)
    if (E.isLeft(plan)) return plan
    return E.right(plan.right._tag === 'Answer' ? plan.right.result : write(streamId, plan.right.firstRevision, events))
  })

  async function* readAll(options: ReadAllOptions): AsyncIterable<ReadonlyArray<StoredEvent>> {
    const size = batchSizeOf(options)
    const until = options.until ?? Number.MAX_SAFE_INTEGER
    let after = options.after
    for (;;) {
      const batch = sql.batch.all(after, until, size).map((row) => decodeRow(fromSql(row)))
      const last = batch[batch.length - 1]
      if (last === undefined) return
      yield batch
      after = last.position
      if (batch.length < size) return
    }
  }

  return {
    append: async (streamId: string, expected: ExpectedRevision, events: ReadonlyArray<NewEvent>) =>
      appendTx.immediate(streamId, expected, events.map(encodeEvent)),
    readStream: async (streamId, options) => sql.stream.all(streamId, fromRevisionOf(options)).map((row) => decodeRow(fromSql(row))),
    readAll,
    lastPosition: async () => lookup.lastPosition(),
    close: async () => { if (db.open) db.close() },
  }
}

const prepareViews = (db: Db) => ({
  checkpoint: db.prepare<[string], { position: number }>('SELECT position FROM checkpoints WHERE name = ?'),
  saveCheckpoint: db.prepare<[string, number]>(
    'INSERT INTO checkpoints(name, position) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET position = excluded.position'),
  dropCheckpoint: db.prepare<[string]>('DELETE FROM checkpoints WHERE name = ?'),
  get: db.prepare<[string, string], { row: string }>('SELECT row FROM view_rows WHERE view = ? AND key = ?'),
  put: db.prepare<[string, string, string]>(
    'INSERT INTO view_rows(view, key, row) VALUES (?, ?, ?) ON CONFLICT(view, key) DO UPDATE SET row = excluded.row'),
  delete: db.prepare<[string, string]>('DELETE FROM view_rows WHERE view = ? AND key = ?'),
  rows: db.prepare<[string], { row: string }>('SELECT row FROM view_rows WHERE view = ? ORDER BY key'),
  dropView: db.prepare<[string]>('DELETE FROM view_rows WHERE view = ?'),
})

type ViewStatements = ReturnType<typeof prepareViews>

const readRow = (sql: ViewStatements, view: string, key: string): unknown => {
  const found = sql.get.get(view, key)
  return found === undefined ? undefined : JSON.parse(found.row)
}

/** Reads and writes go straight to the database, inside the update's transaction. */
const directTransaction = (sql: ViewStatements, isOpen: () => boolean): ViewTransaction => {
  const live = (): void => { if (!isOpen()) throw new Error('the view transaction is over') }
  return {
    get: (view, key) => { live(); return readRow(sql, view, key) },
    put: (view, key, row) => { live(); sql.put.run(view, key, toJson(row, `row ${key} of view ${view}`)) },
    delete: (view, key) => { live(); sql.delete.run(view, key) },
  }
}

const openSqliteViews = (db: Db): ViewStore => {
  const sql = prepareViews(db)
  const checkpoint = (name: string): number => sql.checkpoint.get(name)?.position ?? 0

  const updateTx = db.transaction((name: string, apply: (tx: ViewTransaction, checkpoint: number) => number): void => {
    let inProgress = true
    try {
      const next = checkpointOf(name, apply(directTransaction(sql, () => inProgress), checkpoint(name)))
      sql.saveCheckpoint.run(name, next)
    } finally {
      inProgress = false
    }
  })

  const resetTx = db.transaction((views: ReadonlyArray<string>, names: ReadonlyArray<string>): void => {
    views.forEach((view) => sql.dropView.run(view))
    names.forEach((name) => sql.dropCheckpoint.run(name))
  })

  return {
    checkpoint,
    update: (name, apply) => updateTx.immediate(name, apply),
    get: (view, key) => readRow(sql, view, key),
    rows: (view) => sql.rows.all(view).map((found) => JSON.parse(found.row) as unknown),
    reset: (views, names) => resetTx.immediate(views, names),
  }
}

const pragmasOf = (db: Db): SqlitePragmas => ({
  journalMode: String(db.pragma('journal_mode', { simple: true })),
  synchronous: Number(db.pragma('synchronous', { simple: true })),
  busyTimeout: Number(db.pragma('busy_timeout', { simple: true })),
  foreignKeys: Number(db.pragma('foreign_keys', { simple: true })) === 1,
})

/**
 * A storage in one SQLite file (events, views and checkpoints), safe to share between processes:
 * every write is one IMMEDIATE transaction and nothing is cached between transactions.
 */
export const openSqliteStorage = (path: string, options?: SqliteOptions): SqliteStorage => {
  const synchronous = options?.synchronous ?? 'FULL'
  const db = openDatabase(path, synchronous)
  const events = openSqliteEvents(db)
  return {
    events,
    views: openSqliteViews(db),
    close: events.close,
    describe: `sqlite ${path} (synchronous ${synchronous})`,
    pragmas: () => pragmasOf(db),
  }
}
