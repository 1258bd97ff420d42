import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import { onFile } from './sqliteErrors'
import { classifySchema, peekStoreFile, SchemaSeen, StoreFile } from './sqliteFile'
import { createViewIndexes } from './sqliteViewIndexes'
import { NotAStoreError, StoreAccess } from './storage'

/** How hard SQLite syncs to disk: FULL survives power loss, NORMAL in WAL mode may lose the last commits. */
export type SqliteSynchronous = 'FULL' | 'NORMAL'

/** The schema version this code writes and reads. */
export const sqliteSchemaVersion = 1

/** A prepared statement with its parameters and row type: the part of better-sqlite3's Statement seatflow uses. */
export interface SqliteStatement<Params extends unknown[], Row> {
  run(...params: Params): { readonly changes: number; readonly lastInsertRowid: number | bigint }
  get(...params: Params): Row | undefined
  all(...params: Params): Row[]
  iterate(...params: Params): IterableIterator<Row>
}

/** A function wrapped in a transaction: called as is it runs DEFERRED; `immediate` takes the write lock first. */
export interface SqliteTransaction<Args extends unknown[], Result> {
  (...args: Args): Result
  deferred(...args: Args): Result
  immediate(...args: Args): Result
  exclusive(...args: Args): Result
}

/**
 * An open SQLite connection: the part of better-sqlite3's Database seatflow uses, in seatflow's own types,
 * so the published declarations never name better-sqlite3's (a dev dependency's) types.
 */
export interface Db {
  readonly open: boolean
  /** Whether a transaction is open on this connection (a nested one then runs as a savepoint). */
  readonly inTransaction: boolean
  /** Parameters as a tuple (positional) or one object (named), as better-sqlite3 takes them. */
  prepare<Params extends unknown[] | object = unknown[], Row = unknown>(source: string)
    : Params extends unknown[] ? SqliteStatement<Params, Row> : SqliteStatement<[Params], Row>
  transaction<Args extends unknown[], Result>(run: (...args: Args) => Result): SqliteTransaction<Args, Result>
  exec(source: string): void
  pragma(source: string, options?: { readonly simple?: boolean }): unknown
  close(): void
}

const schemaV1 = `
  CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
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

/** The tables and meta rows of an open database, read through SQLite. */
const schemaThrough = (db: Db): SchemaSeen => {
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
    .all().map((row) => row.name)
  const columns = tables.includes('meta') ? (db.pragma('table_info(meta)') as ReadonlyArray<{ readonly name: string }>).map((c) => c.name) : []
  const rows = columns.includes('key') && columns.includes('value')
    ? db.prepare<[], { key: unknown; value: unknown }>('SELECT key, value FROM meta').all() : []
  return { tables, meta: new Map(rows.map((row) => [String(row.key), String(row.value)])) }
}

/** Why `found` may not be opened with `access`, in a sentence naming the path; undefined when it may. */
const refusalOf = (path: string, found: StoreFile, access: StoreAccess): string | undefined => {
  const making = access === 'create'
  switch (found._tag) {
    case 'Store': return undefined
    case 'NotAStore': return `${path} ${found.reason}`
    case 'NoFile':
      if (!making) return `no seatflow store at ${path}: check the path`
      return existsSync(dirname(path)) ? undefined : `cannot make a store at ${path}: its folder does not exist`
    case 'EmptyFile': return making ? undefined : `${path} is an empty file, not a seatflow store: check the path`
    case 'BlankDatabase': return making ? undefined : `${path} is an empty SQLite database, not a seatflow store: check the path`
  }
}

const refuseUnlessAllowed = (path: string, found: StoreFile, access: StoreAccess): void => {
  const refusal = refusalOf(path, found, access)
  if (refusal !== undefined) throw new NotAStoreError(path, refusal)
}

const migrate = (db: Db, path: string): void => {
  // Checked again under the write lock: the file may have changed since it was inspected.
  const found = classifySchema(schemaThrough(db), sqliteSchemaVersion)
  refuseUnlessAllowed(path, found, 'create')
  if (found._tag === 'BlankDatabase') {
    db.exec(schemaV1)
    db.prepare("INSERT INTO meta(key, value) VALUES ('schema_version', ?)").run(String(sqliteSchemaVersion))
  }
  // A file made before the views' indexes gets them here, once (a few seconds for a log of 1,000,000 events).
  db.exec(createViewIndexes)
}

/** Open a SQLite file (or :memory:), set its pragmas and bring its schema up to date; a file that is not a store is refused unchanged by the check under the lock. */
export const openDatabase = (path: string, synchronous: SqliteSynchronous): Db => {
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new RangeError(`synchronous must be FULL or NORMAL, got ${String(synchronous)}`)
  }
  return onFile(path, () => {
    const db = new Database(path)
    try {
      configure(db, path, synchronous)
      db.transaction(() => migrate(db, path)).immediate()
      return db
    } catch (error) {
      db.close()
      throw error
    }
  })
}

/**
 * What is at `path`, refused (NotAStoreError) unless `access` may open it. Read from the file where
 * that is enough, else through a read-only connection: either way nothing is created or changed.
 */
export const checkStoreFile = (path: string, access: StoreAccess): StoreFile => onFile(path, () => {
  const found = peekStoreFile(path, sqliteSchemaVersion) ?? (() => {
    const db = new Database(path, { readonly: true, fileMustExist: true })
    try {
      return classifySchema(schemaThrough(db), sqliteSchemaVersion)
    } finally {
      db.close()
    }
  })()
  refuseUnlessAllowed(path, found, access)
  return found
})

/** A store opened for reading, and the event store whose views it holds if it is a views file. */
export interface ReadConnection {
  readonly db: Db
  readonly viewsOf: string | undefined
}

/**
 * Open a seatflow store read-only, inside one read transaction: every read sees the store as it
 * stood when it was opened. It is checked to be a store first; nothing is created, migrated or
 * written, and its journal mode is left as it is.
 */
export const openStoreForReading = (path: string): ReadConnection => onFile(path, () => {
  const peeked = peekStoreFile(path, sqliteSchemaVersion)
  if (peeked !== undefined) refuseUnlessAllowed(path, peeked, 'read')
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    db.pragma('query_only = ON')
    db.exec('BEGIN')
    const found = classifySchema(schemaThrough(db), sqliteSchemaVersion)
    refuseUnlessAllowed(path, found, 'read')
    return { db, viewsOf: found._tag === 'Store' ? found.viewsOf : undefined }
  } catch (error) {
    db.close()
    throw error
  }
})

/** A value of the meta table, or undefined. */
export const metaValue = (db: Db, key: string): string | undefined =>
  db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value

/** Set a value of the meta table. */
export const setMetaValue = (db: Db, key: string, value: string): void => {
  db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value)
}

/** The meta key that marks a file holding only the views of events stored elsewhere, and names where. */
export const viewsOfKey = 'views_of'
