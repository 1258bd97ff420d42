import { existsSync } from 'node:fs'
import { noViews, overlayViews, ViewSource } from './readOnly'
import { checkpointOf } from './checks'
import { Claims, createMemoryClaims } from './claims'
import { toJson } from './rows'
import { openSqliteClaims } from './sqliteClaims'
import { createMemoryRecords, Records } from './records'
import { openSqliteRecords } from './sqliteRecords'
import { NotAStoreError } from './storage'
import { checkStoreFile, Db, metaValue, openDatabase, openStoreForReading, setMetaValue, SqliteSynchronous, viewsOfKey } from './sqliteDatabase'
import { onFile } from './sqliteErrors'
import { indexedPages } from './sqliteViewIndexes'
import { asIs, Relaxed } from './sqliteRelaxed'
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
  scan: db.prepare<[string, string, number], { key: string; row: string }>('SELECT key, row FROM view_rows WHERE view = ? AND key > ? ORDER BY key LIMIT ?'),
  indexed: db.prepare<[string, string], { row: string }>(
    'SELECT m.row FROM view_rows i JOIN view_rows m ON m.view = ? AND m.key = i.key WHERE i.view = ? ORDER BY i.key'),
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

/** The views and checkpoints of an open SQLite file; SQLite's errors name `path`. */
export const openSqliteViews = (db: Db, path: string, relaxed: Relaxed = asIs): ViewStore => {
  const sql = prepareViews(db)
  const scanWhere = indexedPages(db)
  const checkpoint = (name: string): number => sql.checkpoint.get(name)?.position ?? 0

  const updateTx = db.transaction((name: string, apply: (tx: ViewTransaction, checkpoint: number) => number): void => {
    let inProgress = true
    try {
      const stored = checkpoint(name)
      const next = checkpointOf(name, apply(directTransaction(sql, () => inProgress), stored))
      if (next !== stored) sql.saveCheckpoint.run(name, next)
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
    checkpoint: (name) => onFile(path, () => checkpoint(name)),
    update: (name, apply) => onFile(path, () => relaxed(() => (db.inTransaction ? updateTx(name, apply) : updateTx.immediate(name, apply)))),
    advance: (name, from, to) => onFile(path, () => relaxed(() => (db.inTransaction ? advanceTx(name, from, to) : advanceTx.immediate(name, from, to)))),
    get: (view, key) => onFile(path, () => readRow(sql, view, key)),
    rows: (view) => onFile(path, () => sql.rows.all(view).map((found) => JSON.parse(found.row) as unknown)),
    indexed: (index, main) => onFile(path, () => sql.indexed.all(main, index).map((found) => JSON.parse(found.row) as unknown)),
    scan: (view, after, limit) => onFile(path, () => sql.scan.all(view, after ?? '', limit).map((found) => ({ key: found.key, row: JSON.parse(found.row) as unknown }))),
    scanWhere: (view, filter, after, limit) => onFile(path, () => scanWhere(view, filter, after, limit)),
    reset: (views, names) => onFile(path, () => relaxed(() => resetTx.immediate(views, names))),
  }
}

/** The views and checkpoints of a SQLite file opened for reading, as the source of a read-only view store. */
export const sqliteViewSource = (db: Db, path: string): ViewSource => {
  const sql = {
    checkpoint: db.prepare<[string], { position: number }>('SELECT position FROM checkpoints WHERE name = ?'),
    get: db.prepare<[string, string], { row: string }>('SELECT row FROM view_rows WHERE view = ? AND key = ?'),
    entries: db.prepare<[string], { key: string; row: string }>('SELECT key, row FROM view_rows WHERE view = ? ORDER BY key'),
    scan: db.prepare<[string, string, number], { key: string; row: string }>('SELECT key, row FROM view_rows WHERE view = ? AND key > ? ORDER BY key LIMIT ?'),
  }
  const scanWhere = indexedPages(db)
  return {
    checkpoint: (name) => onFile(path, () => sql.checkpoint.get(name)?.position ?? 0),
    get: (view, key) => onFile(path, () => sql.get.get(view, key)?.row),
    entries: (view) => onFile(path, () => sql.entries.all(view).map((found) => [found.key, found.row] as const)),
    pages: {
      scan: (view, after, limit) => onFile(path, () => sql.scan.all(view, after ?? '', limit).map((found) => ({ key: found.key, row: JSON.parse(found.row) as unknown }))),
      scanWhere: (view, filter, after, limit) => onFile(path, () => scanWhere(view, filter, after, limit)),
    },
  }
}

/** A SQLite file that holds only views and checkpoints: the view side of a store whose events live elsewhere. */
export interface SqliteViewFile {
  readonly views: ViewStore
  readonly close: () => Promise<void>
  readonly path: string
  /** False when the views start empty in memory (read-only, and no views file yet). */
  readonly fromFile: boolean
  /** Claims shared by the processes that share this views file. */
  readonly claims: Claims
  /** Records shared by the processes that share this views file. */
  readonly records: Records
}

/** Why a SQLite file may not hold the views of `source`; undefined when it may. */
const viewsMismatch = (db: Db, path: string, source: string, viewsOf: string | undefined): string | undefined => {
  if (db.prepare('SELECT 1 FROM events LIMIT 1').get() !== undefined) {
    return `${path} is a seatflow SQLite store with events, not a views file: choose another views file`
  }
  return viewsOf === undefined || viewsOf === source ? undefined
    : `${path} holds the views of ${viewsOf}, not of ${source}: choose another views file, or delete it to rebuild the views`
}

const refuseMismatch = (db: Db, path: string, source: string): void => {
  const viewsOf = metaValue(db, viewsOfKey)
  const mismatch = viewsMismatch(db, path, source, viewsOf)
  if (mismatch !== undefined) throw new NotAStoreError(path, mismatch)
  if (viewsOf === undefined) setMetaValue(db, viewsOfKey, source)
}

/**
 * Open (or create) a SQLite file for the views of the events at `source` (an address naming the
 * event store). A file that holds events, or the views of another source, is refused.
 */
export const openSqliteViewFile = (path: string, source: string, synchronous: SqliteSynchronous = 'FULL'): SqliteViewFile => {
  if (path !== ':memory:') checkStoreFile(path, 'create')
  const db = openDatabase(path, synchronous)
  try {
    onFile(path, () => db.transaction(() => refuseMismatch(db, path, source)).immediate())
  } catch (error) {
    db.close()
    throw error
  }
  return { views: openSqliteViews(db, path), claims: openSqliteClaims(db), records: openSqliteRecords(db, path), path, fromFile: true, close: async () => { if (db.open) db.close() } }
}

/**
 * The views of the events at `source` for a read-only storage: read from the views file as it
 * stood when opened, written only in this process. No file (or `:memory:`): views that start empty,
 * and no file is made.
 */
export const readSqliteViewFile = (path: string, source: string): SqliteViewFile => {
  if (path === ':memory:' || !existsSync(path)) return { views: overlayViews(noViews), claims: createMemoryClaims(), records: createMemoryRecords(), path, fromFile: false, close: async () => undefined }
  const { db, viewsOf } = openStoreForReading(path)
  const mismatch = onFile(path, () => viewsMismatch(db, path, source, viewsOf))
  if (mismatch !== undefined) {
    db.close()
    throw new NotAStoreError(path, mismatch)
  }
  return { views: overlayViews(sqliteViewSource(db, path)), claims: createMemoryClaims(), records: openSqliteRecords(db, path), path, fromFile: true, close: async () => { if (db.open) db.close() } }
}
