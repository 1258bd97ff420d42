import Database from 'better-sqlite3'

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
  /** Parameters as a tuple (positional) or one object (named), as better-sqlite3 takes them. */
  prepare<Params extends unknown[] | object = unknown[], Row = unknown>(source: string)
    : Params extends unknown[] ? SqliteStatement<Params, Row> : SqliteStatement<[Params], Row>
  transaction<Args extends unknown[], Result>(run: (...args: Args) => Result): SqliteTransaction<Args, Result>
  exec(source: string): void
  pragma(source: string, options?: { readonly simple?: boolean }): unknown
  close(): void
}

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

/** Open a SQLite file (or :memory:), set its pragmas and bring its schema up to date. */
export const openDatabase = (path: string, synchronous: SqliteSynchronous): Db => {
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

/** A value of the meta table, or undefined. */
export const metaValue = (db: Db, key: string): string | undefined =>
  db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value

/** Set a value of the meta table. */
export const setMetaValue = (db: Db, key: string, value: string): void => {
  db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value)
}

/** The meta key that marks a file holding only the views of events stored elsewhere, and names where. */
export const viewsOfKey = 'views_of'
