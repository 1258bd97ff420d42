import { createSpillIndex, hashOf } from './scratchIndex'
import {
  bodyText, createKeyGroups, jsonCoding, readRecord, recordText, RowCoding, SpilledRecord, visitInKeyOrder,
} from './scratchRecords'
import { openSpillFile, Place } from './scratchSpill'

/** Where a cached row stands in the index: its slot, known not to be there, or not known yet. */
const absent = -1
const unknown = -2

/** A cached row (undefined: deleted), whether the file must hear of it, and where its record is. */
interface Cached {
  readonly view: string
  readonly key: string
  row: unknown
  dirty: boolean
  slot: number
}

const separator = '\u0000'

/** View rows in a scratch file behind a write-back cache of the most recently used ones. */
export interface ScratchRows {
  readonly get: (view: string, key: string) => unknown
  /** Write a row (undefined: delete it). */
  readonly set: (view: string, key: string, row: unknown) => void
  /** Visit every row of a view in key order, the cache written back first. */
  readonly forEachRow: (view: string, visit: (row: unknown) => void) => void
  /** Visit every row of a view in key order as it is kept: its body's bytes (valid during the visit) and its note. */
  readonly forEachBody: (view: string, visit: (body: Uint8Array, note: unknown) => void) => void
  /** Every key of a view in key order, the cache written back first. */
  readonly keys: (view: string) => ReadonlyArray<string>
  readonly close: () => void
}

/** A spill file with its index: how rows leave the cache, and how they are found again. */
const openSpilledRows = (coding: RowCoding) => {
  const spill = openSpillFile()
  const index = createSpillIndex()
  const groups = createKeyGroups()

  const isRow = (view: string, key: string) => (place: Place): boolean => {
    const record = readRecord(spill, place)
    return record.view === view && record.key === key
  }

  /** The slot of a cached row's record now, or absent (`hash`: its view's and key's). */
  const slotOf = (entry: Cached, hash: number): number => {
    if (entry.slot !== unknown) return entry.slot
    return index.find(hash, isRow(entry.view, entry.key))
  }

  return {
    spill,
    index,
    groups,
    /** Tell the file of a changed row: append its record and point the index at it, or forget a deleted one. */
    persist: (entry: Cached): void => {
      // A row without a slot is looked for, then inserted, under one hash, computed once.
      const hash = entry.slot < 0 ? hashOf(entry.view + separator + entry.key) : 0
      const slot = slotOf(entry, hash)
      if (entry.row === undefined) {
        if (slot >= 0) index.remove(slot)
        entry.slot = absent
      } else {
        const { body, note } = coding.encode(entry.view, entry.row)
        const place = spill.append(recordText(entry.view, entry.key, note, body))
        if (slot >= 0) index.move(slot, place)
        entry.slot = slot >= 0 ? slot : index.insert(hash, place, groups.groupOf(entry.view, entry.key))
      }
      entry.dirty = false
    },
    /** A spilled row, decoded, with its slot; or absent. */
    load: (view: string, key: string, composite: string): { readonly row: unknown; readonly slot: number } => {
      let row: unknown
      const slot = index.find(hashOf(composite), (place) => {
        const record = readRecord(spill, place)
        if (record.view !== view || record.key !== key) return false
        row = coding.decode(view, bodyText(record), record.note)
        return true
      })
      return { row, slot }
    },
  }
}

/**
 * One cache per view, each in its own least-recently-used order: the rows of a small view that
 * many events read (subscriptions) are not pushed out by the many rows of a large one. A view's
 * cache that grows past `cacheRows` writes its least recently used tenth to the file.
 */
const createCaches = (cacheRows: number, persist: (entry: Cached) => void) => {
  const caches = new Map<string, Map<string, Cached>>()
  const evict = (cache: Map<string, Cached>): void => {
    let count = Math.ceil(cacheRows / 10)
    for (const [key, entry] of cache) {
      if (count <= 0) break
      if (entry.dirty) persist(entry)
      cache.delete(key)
      count -= 1
    }
  }
  return {
    cacheOf: (view: string): Map<string, Cached> => {
      const known = caches.get(view)
      if (known !== undefined) return known
      const made = new Map<string, Cached>()
      caches.set(view, made)
      return made
    },
    writeBack: (): void => {
      for (const cache of caches.values()) for (const entry of cache.values()) if (entry.dirty) persist(entry)
    },
    remember: (cache: Map<string, Cached>, entry: Cached): void => {
      cache.set(entry.key, entry)
      if (cache.size > cacheRows) evict(cache)
    },
  }
}

/**
 * Open scratch rows that keep at most about `cacheRows` rows of each view in memory, the most
 * recently used. Rows leave the cache as
 * records appended to a spill file (written once, never in place), an index in typed arrays
 * finds the latest record of each, and rows are visited in key order a key group at a time.
 */
export const openScratchRows = (cacheRows: number, coding: RowCoding = jsonCoding): ScratchRows => {
  const { spill, index, groups, persist, load } = openSpilledRows(coding)
  const { cacheOf, writeBack, remember } = createCaches(cacheRows, persist)

  const get = (view: string, key: string): unknown => {
    const cache = cacheOf(view)
    const cached = cache.get(key)
    if (cached !== undefined) {
      cache.delete(key)
      cache.set(key, cached)
      return cached.row
    }
    const { row, slot } = load(view, key, view + separator + key)
    remember(cache, { view, key, row, dirty: false, slot })
    return row
  }

  const set = (view: string, key: string, row: unknown): void => {
    const cache = cacheOf(view)
    const cached = cache.get(key)
    if (cached === undefined) {
      remember(cache, { view, key, row, dirty: true, slot: unknown })
      return
    }
    // The entry moves to the most recently used end, with its new row.
    cache.delete(key)
    cached.row = row
    cached.dirty = true
    cache.set(key, cached)
  }

  const visit = (view: string, each: (record: SpilledRecord) => void): void => {
    writeBack()
    visitInKeyOrder(spill, index, groups, view, each)
  }

  return {
    get,
    set,
    forEachRow: (view, each) => visit(view, (record) => each(coding.decode(view, bodyText(record), record.note))),
    forEachBody: (view, each) => visit(view, (record) => each(record.body, record.note)),
    keys: (view) => {
      const keys: string[] = []
      visit(view, (record) => keys.push(record.key))
      return keys
    },
    close: spill.close,
  }
}
