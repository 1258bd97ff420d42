import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkpointOf } from './checks'
import { toJson } from './rows'
import { ViewStore, ViewTransaction } from './views'

/** A view store that can also visit a view's rows one at a time, in key order, without loading them all. */
export interface StreamingViewStore extends ViewStore {
  readonly forEachRow: (view: string, visit: (row: unknown) => void) => void
  /** Write one row outside an update (scratch space has no transactions to keep). */
  readonly put: (view: string, key: string, row: unknown) => void
  readonly close: () => void
}

/** A cached row: its value (undefined: deleted) and whether the file must hear of it. */
interface Cached {
  row: unknown
  dirty: boolean
}

const separator = '\u0000'

/** 2^23 bits (1 MiB): a few percent of false positives at a million keys, and flat however many there are. */
const filterBits = 2 ** 23

const fnv1a = (text: string, seed: number): number => {
  let hash = seed
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619)
  return hash >>> 0
}

/**
 * The keys that may be in the file (a Bloom filter): a row never written there is not looked up,
 * which spares a query for every new License Change. Never a false "absent".
 */
const createKeyFilter = () => {
  const bits = new Uint32Array(filterBits / 32)
  const positions = (key: string): readonly [number, number, number] => {
    const a = fnv1a(key, 2166136261)
    const b = (fnv1a(key, 374761393) | 1) >>> 0
    return [a % filterBits, (a + b) % filterBits, (a + 2 * b) % filterBits]
  }
  return {
    add: (key: string): void => { for (const bit of positions(key)) bits[bit >>> 5] = (bits[bit >>> 5] ?? 0) | (1 << (bit & 31)) },
    mayHold: (key: string): boolean => positions(key).every((bit) => ((bits[bit >>> 5] ?? 0) & (1 << (bit & 31))) !== 0),
  }
}

/**
 * Views for a replay: rows live in a throwaway SQLite file behind a write-back cache of the most
 * recently written rows, so memory stays flat however long the log is. It is scratch space, not
 * a store: no durability, and an update that throws leaves it unusable (the replay stops anyway).
 * Rows held in the cache are the projections' own values, never copied: projections return new
 * rows rather than changing old ones.
 */
export const openScratchViews = (options: { readonly cacheRows?: number } = {}): StreamingViewStore => {
  const cacheRows = options.cacheRows ?? 5_000
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
  const cache = new Map<string, Cached>()
  const inFile = createKeyFilter()
  const checkpoints = new Map<string, number>()
  let broken = false

  const write = db.transaction((entries: ReadonlyArray<readonly [string, Cached]>) => {
    for (const [composite, cached] of entries) {
      if (!cached.dirty) continue
      const at = composite.indexOf(separator)
      const view = composite.slice(0, at)
      const key = composite.slice(at + 1)
      if (cached.row === undefined) {
        if (inFile.mayHold(composite)) sql.delete.run(view, key)
      } else {
        sql.put.run(view, key, toJson(cached.row, `row ${key} of view ${view}`))
        inFile.add(composite)
      }
      cached.dirty = false
    }
  })

  /** Write the oldest tenth of the cache to the file and forget it. */
  const evict = (): void => {
    const oldest: Array<readonly [string, Cached]> = []
    for (const entry of cache) {
      oldest.push(entry)
      if (oldest.length >= Math.ceil(cacheRows / 10)) break
    }
    write(oldest)
    for (const [composite] of oldest) cache.delete(composite)
  }

  const get = (view: string, key: string): unknown => {
    const composite = view + separator + key
    const cached = cache.get(composite)
    if (cached !== undefined) return cached.row
    const stored = inFile.mayHold(composite) ? sql.get.get(view, key) : undefined
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

  const live = (): void => { if (broken) throw new Error('the replay views are unusable after a failed update') }
  const tx: ViewTransaction = { get, put: set, delete: (view, key) => set(view, key, undefined) }

  const forEachRow = (view: string, visit: (row: unknown) => void): void => {
    live()
    write([...cache])
    for (const { row } of sql.rows.iterate(view)) visit(JSON.parse(row))
  }

  return {
    checkpoint: (name) => checkpoints.get(name) ?? 0,
    update: (name, apply) => {
      live()
      try {
        checkpoints.set(name, checkpointOf(name, apply(tx, checkpoints.get(name) ?? 0)))
      } catch (error) {
        broken = true
        throw error
      }
    },
    advance: (name, from, to) => {
      if ((checkpoints.get(name) ?? 0) !== from) return false
      checkpoints.set(name, checkpointOf(name, to))
      return true
    },
    get: (view, key) => { live(); return get(view, key) },
    put: (view, key, row) => { live(); set(view, key, row) },
    rows: (view) => {
      const rows: unknown[] = []
      forEachRow(view, (row) => rows.push(row))
      return rows
    },
    forEachRow,
    indexed: (index, main) => {
      live()
      write([...cache])
      const rows: unknown[] = []
      for (const { key } of sql.keys.all(index)) {
        const row = get(main, key)
        if (row !== undefined) rows.push(row)
      }
      return rows
    },
    reset: () => { throw new Error('replay views cannot be reset: open new ones') },
    close: () => {
      db.close()
      rmSync(folder, { recursive: true, force: true })
    },
  }
}
