import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStorage } from '../../src/store/open'
import { openSqliteStorage } from '../../src/store/sqlite'
import { peekStoreFile } from '../../src/store/sqliteFile'
import { fileState } from '../support/files'

let folder: string
let files = 0
beforeAll(() => { folder = mkdtempSync(join(tmpdir(), 'seatflow-peek-')) })
afterAll(() => rmSync(folder, { recursive: true, force: true }))

/** A closed SQLite file made by `make`, in WAL mode unless told. */
const database = (make: (db: Database.Database) => void, options: { readonly pageSize?: number; readonly journal?: string } = {}): string => {
  files += 1
  const path = join(folder, `db-${files}.sqlite`)
  const db = new Database(path)
  if (options.pageSize !== undefined) db.pragma(`page_size = ${options.pageSize}`)
  db.pragma(`journal_mode = ${options.journal ?? 'WAL'}`)
  make(db)
  db.close()
  return path
}

const seatflowMeta = "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema_version', '1');"
const manyTables = (n: number): string => Array.from({ length: n }, (_, i) => `CREATE TABLE t${i}(id INTEGER PRIMARY KEY, a TEXT, b TEXT);`).join('')

describe('reading which tables a SQLite file holds from its bytes, without opening it through SQLite', () => {
  test('a seatflow store and a views file are stores; a views file says whose views it holds', async () => {
    const store = join(folder, 'store.db')
    await openSqliteStorage(store).close()
    expect(peekStoreFile(store, 1)).toEqual({ _tag: 'Store', viewsOf: undefined })
    const views = join(folder, 'views.db')
    await openStorage(`esdb://127.0.0.1:1?tls=false&views=${views}`).close()
    expect(peekStoreFile(views, 1)).toEqual({ _tag: 'Store', viewsOf: 'esdb://127.0.0.1:1/' })
  })

  test.each([
    ['a small page size', { pageSize: 512 }],
    ['the largest page size', { pageSize: 65536 }],
    ['a rollback journal', { journal: 'DELETE' }],
  ])('a seatflow meta table is found with %s', (_name, options) => {
    expect(peekStoreFile(database((db) => db.exec(seatflowMeta), options), 1)).toEqual({ _tag: 'Store', viewsOf: undefined })
  })

  test('a schema larger than one page (an interior page of sqlite_master) is walked: meta found after 400 other tables', () => {
    expect(peekStoreFile(database((db) => db.exec(manyTables(400) + seatflowMeta)), 1)).toEqual({ _tag: 'Store', viewsOf: undefined })
    const other = peekStoreFile(database((db) => db.exec(manyTables(400))), 1)
    expect(other).toEqual({ _tag: 'NotAStore', reason: expect.stringContaining('another application (tables: t0, t1, t2, t3, t4 and 395 more)') })
  })

  test('a CREATE statement that overflows its page is read as far as the table name', () => {
    const columns = Array.from({ length: 400 }, (_, i) => `column_with_a_long_name_${i} TEXT`).join(', ')
    const found = peekStoreFile(database((db) => db.exec(`CREATE TABLE wide(${columns})`)), 1)
    expect(found).toEqual({ _tag: 'NotAStore', reason: expect.stringContaining('(tables: wide)') })
  })

  test('a meta table without a seatflow schema version, or of a newer version, is not a store this seatflow opens', () => {
    expect(peekStoreFile(database((db) => db.exec("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES ('version', '42')")), 1))
      .toEqual({ _tag: 'NotAStore', reason: expect.stringContaining('another application (tables: meta)') })
    expect(peekStoreFile(database((db) => db.exec(seatflowMeta.replace("'1'", "'3'"))), 1))
      .toEqual({ _tag: 'NotAStore', reason: 'has schema version 3, but this seatflow reads version 1 at most: upgrade seatflow to open it' })
  })

  test('an empty database, an empty file and a missing one are told apart', () => {
    expect(peekStoreFile(database((db) => db.pragma('user_version = 3')), 1)).toEqual({ _tag: 'BlankDatabase' })
    expect(peekStoreFile(join(folder, 'missing.db'), 1)).toEqual({ _tag: 'NoFile' })
  })

  test('what it cannot read with certainty is left to SQLite: UTF-16 text, a WITHOUT ROWID meta, a -wal file beside it', () => {
    expect(peekStoreFile(database((db) => { db.pragma("encoding = 'UTF-16le'"); db.exec(seatflowMeta) }), 1)).toBeUndefined()
    expect(peekStoreFile(database((db) => db.exec('CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID')), 1)).toBeUndefined()
    const open = join(folder, 'in-use.db')
    const writer = new Database(open)
    writer.pragma('journal_mode = WAL')
    writer.exec(seatflowMeta)
    try {
      expect(peekStoreFile(open, 1)).toBeUndefined()
    } finally { writer.close() }
  })

  test('reading changes nothing: no byte, no mtime, no -wal or -shm', () => {
    const path = database((db) => db.exec(manyTables(50)))
    const before = fileState(path)
    peekStoreFile(path, 1)
    expect(fileState(path)).toEqual(before)
  })
})
