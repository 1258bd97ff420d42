import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** What a test can see of one path: absent, a folder's entries, or a file's content hash, size and mtime. */
const stateOfPath = (path: string): unknown => {
  if (!existsSync(path)) return null
  const stat = statSync(path)
  if (stat.isDirectory()) return { folder: readdirSync(path).sort(), mtimeMs: stat.mtimeMs }
  return { sha256: createHash('sha256').update(readFileSync(path)).digest('hex'), size: stat.size, mtimeMs: stat.mtimeMs }
}

/** A file as a test can see it, with the companions SQLite keeps beside it and seatflow's mail folder. */
export const fileState = (path: string): Record<string, unknown> =>
  Object.fromEntries(['', '-wal', '-shm', '-journal', '-mail'].map((suffix) => [suffix || 'file', stateOfPath(`${path}${suffix}`)]))

/** A SQLite file of another application, closed as that application would leave it. */
export const otherApplicationDatabase = (path: string, journal: 'delete' | 'wal', schema = 'CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT NOT NULL)'): string => {
  const db = new Database(path)
  db.pragma(`journal_mode = ${journal}`)
  db.exec(schema)
  db.close()
  return path
}

/** Things at a path that are not seatflow stores, by what they are. */
export const notStores = (folder: string): ReadonlyArray<readonly [string, string]> => {
  const empty = join(folder, 'empty.db')
  writeFileSync(empty, '')
  const text = join(folder, 'notes.txt')
  writeFileSync(text, 'shopping list: milk, eggs, a store that is a store\n'.repeat(10))
  const aFolder = join(folder, 'a-folder.db')
  mkdirSync(aFolder)
  return [
    ["another application's SQLite file", otherApplicationDatabase(join(folder, 'other-app.sqlite'), 'delete')],
    ["another application's SQLite file in WAL mode", otherApplicationDatabase(join(folder, 'other-app-wal.sqlite'), 'wal')],
    ["another application's SQLite file with a meta table of its own", otherApplicationDatabase(join(folder, 'browser-history.sqlite'), 'wal',
      "CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR); INSERT INTO meta VALUES ('version', '42')")],
    ['an empty (0-byte) file', empty],
    ['a folder', aFolder],
    ['a file that is not SQLite', text],
  ]
}

/** Whether nothing is at a path: no file, no SQLite companion, no mail folder. */
export const isAbsent = (path: string): boolean => Object.values(fileState(path)).every((state) => state === null)
