import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createKeyFilter, KeyFilter } from './keyFilter'
import { toJson } from './rows'

/** A cached row: its value (undefined: deleted) and whether the file must hear of it. */
interface Cached {
  row: unknown
  dirty: boolean
}

const separator = '\u0000'

/** A throwaway SQLite file in a folder of its own, with the statements the rows need; no journal, no sync. */
const openScratchFile = () => {
  const folder = mkdtempSync(join(tmpdir(), 'seatflow-replay-'))
  const db = new Database(join(folder, 'views.db'))
  db.pragma('journal_mode = OFF')
  db.pragma('synchronous = OFF')
  db.exec('CREATE TABLE rows(view TEXT NOT NULL, key TEXT NOT NULL, row TEXT NOT NULL, PRIMARY KEY(view, key)) WITHOUT ROWID')
  const sql = {
    get: db.prepare<[string, string], { row: string }>('SELECT row FROM rows WHERE view = ? AND key = ?'),
    put: db.prepare<[string, string, string]>('INSERT INTO rows(view, key, row) VALUES (?, ?, ?) ON CONFLICT(view, key) DO UPDATE SET row = excluded.row'),
    delete: db.prepare<[string, string]>('DELETE FROM rows WHERE view = ? AND key = ?'),
    rows: db.prepare<[string], { row: string }>('SELECT row FROM rows WHERE view = ? ORDER BY key'),
    keys: db.prepare<[string], { key: string }>('SELECT key FROM rows WHERE view = ? ORDER BY key'),
  }
  return { folder, db, sql }
}

type ScratchFile = ReturnType<typeof openScratchFile>

/** Put one row in the file, or take it out (only if the file may hold it). */
const writeRow = ({ sql }: ScratchFile, inFile: KeyFilter, composite: string, row: unknown): void => {
  const at = composite.indexOf(separator)
  const view = composite.slice(0, at)
  const key = composite.slice(at + 1)
  if (row !== undefined) {
    sql.put.run(view, key, toJson(row, `row ${key} of view ${view}`))
    inFile.add(composite)
  } else if (inFile.mayHold(composite)) {
    sql.delete.run(view, key)
  }
}

/** Write the changed rows among cached entries to the file, in one transaction. */
const writeBackTo = (file: ScratchFile, inFile: KeyFilter) => file.db.transaction((entries: ReadonlyArray<readonly [string, Cached]>) => {
  for (const [composite, cached] of entries) {
    if (!cached.dirty) continue
    writeRow(file, inFile, composite, cached.row)
    cached.dirty = false
  }
})

/** View rows in a scratch file behind a write-back cache of the most recently used ones. */
export interface ScratchRows {
  readonly get: (view: string, key: string) => unknown
  /** Write a row (undefined: delete it). */
  readonly set: (view: string, key: string, row: unknown) => void
  /** Visit every row of a view in key order, the cache written back first. */
  readonly forEachRow: (view: string, visit: (row: unknown) => void) => void
  /** Every key of a view in key order, the cache written back first. */
  readonly keys: (view: string) => ReadonlyArray<string>
  readonly close: () => void
}

/** Open scratch rows that keep at most about `cacheRows` rows in memory. */
export const openScratchRows = (cacheRows: number): ScratchRows => {
  const file = openScratchFile()
  const cache = new Map<string, Cached>()
  const inFile = createKeyFilter()
  const writeBack = writeBackTo(file, inFile)

  /** Write the oldest tenth of the cache to the file and forget it. */
  const evict = (): void => {
    const oldest: Array<readonly [string, Cached]> = []
    for (const entry of cache) {
      oldest.push(entry)
      if (oldest.length >= Math.ceil(cacheRows / 10)) break
    }
    writeBack(oldest)
    for (const [composite] of oldest) cache.delete(composite)
  }

  const get = (view: string, key: string): unknown => {
    const composite = view + separator + key
    const cached = cache.get(composite)
    if (cached !== undefined) return cached.row
    const stored = inFile.mayHold(composite) ? file.sql.get.get(view, key) : undefined
    const row: unknown = stored === undefined ? undefined : JSON.parse(stored.row)
    cache.set(composite, { row, dirty: false })
    if (cache.size > cacheRows) evict()
    return row
  }

  const set = (view: string, key: string, row: unknown): void => {
    const composite = view + separator + key
    cache.delete(composite)
    cache.set(composite, { row, dirty: true })
    if (cache.size > cacheRows) evict()
  }

  return {
    get,
    set,
    forEachRow: (view, visit) => {
      writeBack([...cache])
      for (const { row } of file.sql.rows.iterate(view)) visit(JSON.parse(row))
    },
    keys: (view) => {
      writeBack([...cache])
      return file.sql.keys.all(view).map(({ key }) => key)
    },
    close: () => {
      file.db.close()
      rmSync(file.folder, { recursive: true, force: true })
    },
  }
}
