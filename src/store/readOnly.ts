import { EventStore } from './port'
import { checkpointOf } from './checks'
import { toJson } from './rows'
import { ReadOnlyStoreError } from './storage'
import { ViewStore, ViewTransaction } from './views'

/** The views a read-only view store starts from: rows as JSON text, and checkpoints (0: none). */
export interface ViewSource {
  readonly checkpoint: (name: string) => number
  readonly get: (view: string, key: string) => string | undefined
  /** Every row of a view as [key, JSON text], in key order. */
  readonly entries: (view: string) => ReadonlyArray<readonly [string, string]>
}

/** No views at all: a read-only view store that starts empty. */
export const noViews: ViewSource = { checkpoint: () => 0, get: () => undefined, entries: () => [] }

/** Rows by view then key as JSON text; null marks a row deleted. */
type Written = Map<string, Map<string, string | null>>

const tableOf = (written: Written, view: string): Map<string, string | null> => {
  const found = written.get(view) ?? new Map<string, string | null>()
  written.set(view, found)
  return found
}

/** Code point order, as SQLite's BINARY collation orders UTF-8 keys, without encoding them. */
const codePointOrder = (unit: number): number => (unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit)
const byCodePoint = (a: string, b: string): number => {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) return codePointOrder(x) - codePointOrder(y)
  }
  return a.length - b.length
}

const parse = (text: string): unknown => JSON.parse(text)

/**
 * A view store that reads `source` and keeps every write in this process: the source is never
 * written. Projections catch up in memory on top of the views as stored, so a read-only storage
 * still answers with current views however far its stored views lag behind its events.
 */
export const overlayViews = (source: ViewSource): ViewStore => {
  const written: Written = new Map()
  const hidden = new Set<string>() // views reset here: the source's rows no longer count
  const checkpoints = new Map<string, number>()
  const read = (view: string, key: string): string | undefined => {
    const own = written.get(view)?.get(key)
    if (own !== undefined) return own ?? undefined
    return hidden.has(view) ? undefined : source.get(view, key)
  }

  const update = (name: string, apply: (tx: ViewTransaction, checkpoint: number) => number): void => {
    const pending: Written = new Map()
    let inProgress = true
    const live = (): void => { if (!inProgress) throw new Error('the view transaction is over') }
    const tx: ViewTransaction = {
      get: (view, key) => {
        live()
        const own = pending.get(view)?.get(key)
        const text = own === undefined ? read(view, key) : own ?? undefined
        return text === undefined ? undefined : parse(text)
      },
      put: (view, key, row) => { live(); tableOf(pending, view).set(key, toJson(row, `row ${key} of view ${view}`)) },
      delete: (view, key) => { live(); tableOf(pending, view).set(key, null) },
    }
    try {
      const next = checkpointOf(name, apply(tx, checkpoints.get(name) ?? source.checkpoint(name)))
      pending.forEach((rows, view) => rows.forEach((text, key) => tableOf(written, view).set(key, text)))
      checkpoints.set(name, next)
    } finally {
      inProgress = false
    }
  }

  const rows = (view: string): ReadonlyArray<unknown> => {
    const own = written.get(view)
    const stored = hidden.has(view) ? [] : source.entries(view)
    if (own === undefined) return stored.map(([, text]) => parse(text))
    const merged = new Map(stored)
    own.forEach((text, key) => { if (text === null) merged.delete(key); else merged.set(key, text) })
    return [...merged.keys()].sort(byCodePoint).map((key) => parse(merged.get(key) as string))
  }

  const keys = (view: string): ReadonlyArray<string> => {
    const own = written.get(view)
    const stored = hidden.has(view) ? [] : source.entries(view).map(([key]) => key)
    if (own === undefined) return stored
    const merged = new Set(stored)
    own.forEach((text, key) => { if (text === null) merged.delete(key); else merged.add(key) })
    return [...merged].sort(byCodePoint)
  }

  return {
    checkpoint: (name) => checkpoints.get(name) ?? source.checkpoint(name),
    indexed: (index, main) => keys(index).flatMap((key) => {
      const text = read(main, key)
      return text === undefined ? [] : [parse(text)]
    }),
    update,
    advance: (name, from, to) => {
      if ((checkpoints.get(name) ?? source.checkpoint(name)) !== from) return false
      checkpoints.set(name, checkpointOf(name, to))
      return true
    },
    get: (view, key) => {
      const text = read(view, key)
      return text === undefined ? undefined : parse(text)
    },
    rows,
    reset: (views, names) => {
      views.forEach((view) => { written.delete(view); hidden.add(view) })
      names.forEach((name) => checkpoints.set(name, 0))
    },
  }
}

/** An event store that reads through `events` and refuses every append: `where` is opened read-only. */
export const readOnlyEvents = (events: EventStore, where: string): EventStore => {
  const { appendMany: _atomic, ...reads } = events
  return { ...reads, append: async () => { throw new ReadOnlyStoreError(where) } }
}
