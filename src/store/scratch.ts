import { checkpointOf } from './checks'
import { RowCoding } from './scratchRecords'
import { openScratchRows } from './scratchRows'
import { ViewStore, ViewTransaction } from './views'

/** A view store that can also visit a view's rows one at a time, in key order, without loading them all. */
export interface StreamingViewStore extends ViewStore {
  readonly forEachRow: (view: string, visit: (row: unknown) => void) => void
  /** Visit a view's rows in key order as they are kept (see `RowCoding`): each body's bytes (valid during the visit) and note. */
  readonly forEachBody: (view: string, visit: (body: Uint8Array, note: unknown) => void) => void
  /** Write one row outside an update (scratch space has no transactions to keep). */
  readonly put: (view: string, key: string, row: unknown) => void
  readonly close: () => void
}

/**
 * Views for a replay: rows live in a throwaway spill file behind a write-back cache of the most
 * recently written rows, so memory stays flat however long the log is (`coding` says how a row is
 * kept there: its JSON by default). It is scratch space, not
 * a store: no durability, and an update that throws leaves it unusable (the replay stops anyway).
 * Rows held in the cache are the projections' own values, never copied: projections return new
 * rows rather than changing old ones.
 */
export const openScratchViews = (options: { readonly cacheRows?: number; readonly coding?: RowCoding } = {}): StreamingViewStore => {
  const rows = openScratchRows(options.cacheRows ?? 5_000, options.coding)
  const checkpoints = new Map<string, number>()
  let broken = false

  const live = (): void => { if (broken) throw new Error('the replay views are unusable after a failed update') }
  const tx: ViewTransaction = { get: rows.get, put: rows.set, delete: (view, key) => rows.set(view, key, undefined) }

  const forEachRow = (view: string, visit: (row: unknown) => void): void => {
    live()
    rows.forEachRow(view, visit)
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
    get: (view, key) => { live(); return rows.get(view, key) },
    put: (view, key, row) => { live(); rows.set(view, key, row) },
    rows: (view) => {
      const found: unknown[] = []
      forEachRow(view, (row) => found.push(row))
      return found
    },
    forEachRow,
    forEachBody: (view, visit) => {
      live()
      rows.forEachBody(view, visit)
    },
    scan: () => { throw new Error('replay views are read whole (forEachRow), not by page') },
    scanWhere: () => undefined,
    indexed: (index, main) => {
      live()
      return rows.keys(index).flatMap((key) => {
        const row = rows.get(main, key)
        return row === undefined ? [] : [row]
      })
    },
    reset: () => { throw new Error('replay views cannot be reset: open new ones') },
    close: rows.close,
  }
}
