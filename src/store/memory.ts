import { createMemoryClaims } from './claims'
import { createMemoryRecords } from './records'
import { checkpointOf } from './checks'
import { closedError, openMemoryEvents } from './memoryEvents'
import { applyPending, RowTable, tableOf } from './pendingRows'
import { Storage } from './storage'
import { filterEntries, ViewStore, ViewTransaction } from './views'

/** Keys compare as SQLite's BINARY collation does: by UTF-8 bytes, that is by code points. */
const byCodePoint = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b))

const parseRow = (text: string | null | undefined): unknown => (text === null || text === undefined ? undefined : JSON.parse(text))

const commit = (stored: RowTable, pending: RowTable): void => {
  pending.forEach((writes, view) => writes.forEach((text, key) => {
    if (text === null) stored.get(view)?.delete(key)
    else tableOf(stored, view).set(key, text)
  }))
}

const openMemoryViews = (isOpen: () => boolean): ViewStore => {
  const stored: RowTable = new Map()
  const checkpoints = new Map<string, number>()
  const live = (): void => { if (!isOpen()) throw closedError() }

  const update = (name: string, apply: (tx: ViewTransaction, checkpoint: number) => number): void => {
    live()
    const below = (view: string, key: string): string | undefined => stored.get(view)?.get(key) ?? undefined
    const { pending, next } = applyPending(name, below, (tx) => apply(tx, checkpoints.get(name) ?? 0))
    commit(stored, pending)
    checkpoints.set(name, next)
  }

  return {
    checkpoint: (name) => { live(); return checkpoints.get(name) ?? 0 },
    update,
    advance: (name, from, to) => {
      live()
      if ((checkpoints.get(name) ?? 0) !== from) return false
      checkpoints.set(name, checkpointOf(name, to))
      return true
    },
    get: (view, key) => { live(); return parseRow(stored.get(view)?.get(key)) },
    rows: (view) => {
      live()
      return [...(stored.get(view) ?? new Map<string, string | null>()).entries()]
        .sort(([a], [b]) => byCodePoint(a, b))
        .map(([, text]) => parseRow(text))
    },
    scan: (view, after, limit) => {
      live()
      return [...(stored.get(view) ?? new Map<string, string | null>()).entries()]
        .filter(([key]) => after === null || byCodePoint(key, after) > 0).sort(([a], [b]) => byCodePoint(a, b)).slice(0, limit)
        .map(([key, text]) => ({ key, row: parseRow(text) }))
    },
    scanWhere: (view, filter, after, limit) => {
      live()
      const entries = [...(stored.get(view) ?? new Map<string, string | null>()).entries()]
        .flatMap(([key, text]) => (text === null ? [] : [[key, text] as const])).sort(([a], [b]) => byCodePoint(a, b))
      return filterEntries(entries, (key) => after === null || byCodePoint(key, after) > 0, filter, limit)
    },
    indexed: (index, main) => {
      live()
      const rows = stored.get(main)
      return [...(stored.get(index) ?? new Map<string, string | null>()).keys()].sort(byCodePoint)
        .flatMap((key) => { const text = rows?.get(key); return text === undefined || text === null ? [] : [parseRow(text)] })
    },
    reset: (views, names) => {
      live()
      views.forEach((view) => stored.delete(view))
      names.forEach((name) => checkpoints.delete(name))
    },
  }
}

/** A storage that lives in this process only: for tests, examples and trying things out. */
export const openMemoryStorage = (): Storage => {
  let open = true
  const isOpen = (): boolean => open
  const close = async (): Promise<void> => { open = false }
  const views = openMemoryViews(isOpen)
  return {
    events: { ...openMemoryEvents(isOpen), close },
    views,
    transactionalViews: views,
    claims: createMemoryClaims(),
    records: createMemoryRecords(),
    close,
    describe: 'memory',
  }
}
