import { Records } from './records'
import { Db } from './sqliteDatabase'
import { onFile } from './sqliteErrors'

/** Records in a table of the store's SQLite file (made on the first write; a store without one reads as empty). */
export const openSqliteRecords = (db: Db, path: string): Records => {
  let ready = false
  const exists = (): boolean => {
    if (!ready) ready = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'records'").get() !== undefined
    return ready
  }
  const table = (): void => {
    if (exists()) return
    db.exec('CREATE TABLE IF NOT EXISTS records(tbl TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(tbl, key)) WITHOUT ROWID')
    ready = true
  }
  const parse = (text: string | undefined): unknown => (text === undefined ? undefined : JSON.parse(text))
  return {
    get: (tbl, key) => onFile(path, () => (exists()
      ? parse(db.prepare<[string, string], { value: string }>('SELECT value FROM records WHERE tbl = ? AND key = ?').get(tbl, key)?.value)
      : undefined)),
    putIfAbsent: (tbl, key, value) => onFile(path, () => {
      table()
      return db.prepare<[string, string, string]>('INSERT OR IGNORE INTO records(tbl, key, value) VALUES (?, ?, ?)').run(tbl, key, JSON.stringify(value)).changes === 1
    }),
    put: (tbl, key, value) => onFile(path, () => {
      table()
      db.prepare<[string, string, string]>('INSERT INTO records(tbl, key, value) VALUES (?, ?, ?) ON CONFLICT(tbl, key) DO UPDATE SET value = excluded.value')
        .run(tbl, key, JSON.stringify(value))
    }),
    delete: (tbl, key) => onFile(path, () => {
      if (exists()) db.prepare<[string, string]>('DELETE FROM records WHERE tbl = ? AND key = ?').run(tbl, key)
    }),
    list: (tbl) => onFile(path, () => (exists()
      ? db.prepare<[string], { key: string; value: string }>('SELECT key, value FROM records WHERE tbl = ? ORDER BY key').all(tbl)
        .map((row) => ({ key: row.key, value: parse(row.value) }))
      : [])),
  }
}
