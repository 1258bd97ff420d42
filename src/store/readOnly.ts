import { EventStore } from './port'
import { checkpointOf } from './checks'
import { byCodePoint } from './keyOrder'
import { applyPending, RowTable, tableOf } from './pendingRows'
import { ReadOnlyStoreError } from './storage'
import { filterEntries, ViewStore, ViewTransaction } from './views'

/** The views a read-only view store starts from: rows as JSON text, and checkpoints (0: none). */
export interface ViewSource {
  readonly checkpoint: (name: string) => number
  readonly get: (view: string, key: string) => string | undefined
  /** Every row of a view as [key, JSON text], in key order. */
  readonly entries: (view: string) => ReadonlyArray<readonly [string, string]>
  /** Pages read off the source itself (a page of keys, or off its indexes), where it can. */
  readonly pages?: Pick<ViewStore, 'scan' | 'scanWhere'>
}

/** No views at all: a read-only view store that starts empty. */
export const noViews: ViewSource = { checkpoint: () => 0, get: () => undefined, entries: () => [] }

const parse = (text: string): unknown => JSON.parse(text)

/** A source under this process's writes: rows written here, views reset here, checkpoints moved here. */
interface Overlay {
  readonly source: ViewSource
  readonly written: RowTable
  /** Views reset here: the source's rows no longer count. */
  readonly hidden: Set<string>
  readonly checkpoints: Map<string, number>
}

/** A row's JSON text: written here, else the source's unless its view was reset here. */
const readThrough = ({ source, written, hidden }: Overlay, view: string, key: string): string | undefined => {
  const own = written.get(view)?.get(key)
  if (own !== undefined) return own ?? undefined
  return hidden.has(view) ? undefined : source.get(view, key)
}

/** The source's own pages of a view, when this process has neither written nor reset that view. */
const pagesOf = ({ source, written, hidden }: Overlay, view: string): Pick<ViewStore, 'scan' | 'scanWhere'> | undefined =>
  (written.has(view) || hidden.has(view) ? undefined : source.pages)

const checkpointIn = ({ source, checkpoints }: Overlay, name: string): number => checkpoints.get(name) ?? source.checkpoint(name)

/** Apply an update on top of the overlay; its writes stay in this process. */
const updateOverlay = (overlay: Overlay, name: string, apply: (tx: ViewTransaction, checkpoint: number) => number): void => {
  const below = (view: string, key: string): string | undefined => readThrough(overlay, view, key)
  const { pending, next } = applyPending(name, below, (tx) => apply(tx, checkpointIn(overlay, name)))
  pending.forEach((rows, view) => rows.forEach((text, key) => tableOf(overlay.written, view).set(key, text)))
  overlay.checkpoints.set(name, next)
}

/** A view's rows as [key, JSON text] in key order: the source's under the writes made here. */
const entriesOf = ({ source, written, hidden }: Overlay, view: string): ReadonlyArray<readonly [string, string]> => {
  const own = written.get(view)
  const stored = hidden.has(view) ? [] : source.entries(view)
  if (own === undefined) return stored
  const merged = new Map(stored)
  own.forEach((text, key) => { if (text === null) merged.delete(key); else merged.set(key, text) })
  return [...merged.entries()].sort(([a], [b]) => byCodePoint(a, b))
}

/**
 * A view store that reads `source` and keeps every write in this process: the source is never
 * written. Projections catch up in memory on top of the views as stored, so a read-only storage
 * still answers with current views however far its stored views lag behind its events.
 */
export const overlayViews = (source: ViewSource): ViewStore => {
  const overlay: Overlay = { source, written: new Map(), hidden: new Set(), checkpoints: new Map() }
  const get = (view: string, key: string): unknown => {
    const text = readThrough(overlay, view, key)
    return text === undefined ? undefined : parse(text)
  }
  return {
    checkpoint: (name) => checkpointIn(overlay, name),
    indexed: (index, main) => entriesOf(overlay, index).flatMap(([key]) => {
      const text = readThrough(overlay, main, key)
      return text === undefined ? [] : [parse(text)]
    }),
    update: (name, apply) => updateOverlay(overlay, name, apply),
    advance: (name, from, to) => {
      if (checkpointIn(overlay, name) !== from) return false
      overlay.checkpoints.set(name, checkpointOf(name, to))
      return true
    },
    get,
    rows: (view) => entriesOf(overlay, view).map(([, text]) => parse(text)),
    scan: (view, after, limit) => pagesOf(overlay, view)?.scan(view, after, limit) ?? entriesOf(overlay, view).filter(([key]) => after === null || byCodePoint(key, after) > 0)
      .slice(0, limit).map(([key, text]) => ({ key, row: parse(text) })),
    scanWhere: (view, filter, after, limit) => pagesOf(overlay, view)?.scanWhere(view, filter, after, limit) ?? filterEntries(entriesOf(overlay, view), (key) => after === null || byCodePoint(key, after) > 0, filter, limit),
    reset: (views, names) => {
      views.forEach((view) => { overlay.written.delete(view); overlay.hidden.add(view) })
      names.forEach((name) => overlay.checkpoints.set(name, 0))
    },
  }
}

/** An event store that reads through `events` and refuses every append: `where` is opened read-only. */
export const readOnlyEvents = (events: EventStore, where: string): EventStore => {
  const { appendMany: _atomic, ...reads } = events
  return { ...reads, append: async () => { throw new ReadOnlyStoreError(where) } }
}
