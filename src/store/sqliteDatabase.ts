import Database from 'better-sqlite3'

/** How hard SQLite syncs to disk: FULL survives power loss, NORMAL in WAL mode may lose the last commits. */
export type SqliteSynchronous = 'FULL' | 'NORMAL'

/** The schema version this code writes and reads. */
export const sqliteSchemaVersion = 1

/** An open SQLite connection. */
export type Db = Database.Database

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
