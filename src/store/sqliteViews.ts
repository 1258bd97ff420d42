import { checkpointOf } from './checks'
import { Claims } from './claims'
import { openSqliteClaims } from './sqliteClaims'
import { toJson } from './rows'
import { Db, metaValue, openDatabase, setMetaValue, SqliteSynchronous, viewsOfKey } from './sqliteDatabase'
import { ViewStore, ViewTransaction } from './views'

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

/** The views and checkpoints of an open SQLite file. */
export const openSqliteViews = (db: Db): ViewStore => {
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

  const advanceTx = db.transaction((name: string, from: number, to: number): boolean => {
    const at = checkpoint(name)
    if (at !== from) return false
    sql.saveCheckpoint.run(name, checkpointOf(name, to))
    return true
  })

  const resetTx = db.transaction((views: ReadonlyArray<string>, names: ReadonlyArray<string>): void => {
    views.forEach((view) => sql.dropView.run(view))
    names.forEach((name) => sql.dropCheckpoint.run(name))
  })

  return {
    checkpoint,
    update: (name, apply) => updateTx.immediate(name, apply),
    advance: (name, from, to) => (db.inTransaction ? advanceTx(name, from, to) : advanceTx.immediate(name, from, to)),
    get: (view, key) => readRow(sql, view, key),
    rows: (view) => sql.rows.all(view).map((found) => JSON.parse(found.row) as unknown),
    reset: (views, names) => resetTx.immediate(views, names),
  }
}

/** A SQLite file that holds only views and checkpoints: the view side of a store whose events live elsewhere. */
export interface SqliteViewFile {
  readonly views: ViewStore
  /** Claims shared by the processes that share this views file. */
  readonly claims: Claims
  readonly close: () => Promise<void>
  readonly path: string
}

const refuseMismatch = (db: Db, path: string, source: string): void => {
  if (db.prepare('SELECT 1 FROM events LIMIT 1').get() !== undefined) {
    throw new Error(`${path} is a seatflow SQLite store with events, not a views file: choose another views file`)
  }
  const viewsOf = metaValue(db, viewsOfKey)
  if (viewsOf === undefined) setMetaValue(db, viewsOfKey, source)
  else if (viewsOf !== source) {
    throw new Error(`${path} holds the views of ${viewsOf}, not of ${source}: choose another views file, or delete it to rebuild the views`)
  }
}

/**
 * Open (or create) a SQLite file for the views of the events at `source` (an address naming the
 * event store). A file that holds events, or the views of another source, is refused.
 */
export const openSqliteViewFile = (path: string, source: string, synchronous: SqliteSynchronous = 'FULL'): SqliteViewFile => {
  const db = openDatabase(path, synchronous)
  try {
    db.transaction(() => refuseMismatch(db, path, source)).immediate()
  } catch (error) {
    db.close()
    throw error
  }
  return { views: openSqliteViews(db), claims: openSqliteClaims(db), path, close: async () => { if (db.open) db.close() } }
}
