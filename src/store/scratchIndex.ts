import { Place } from './scratchSpill'

/** The 32-bit FNV-1a hash of a text's UTF-16 code units. */
export const hashOf = (text: string): number => {
  let hash = 2166136261
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619)
  return hash | 0
}

const empty = 0
const removed = -1
/** A slot number is its table's number times this, plus its place in that table. */
const tableSpan = 2 ** 26

/**
 * Where the latest record of each spilled row lies, in typed arrays (20 bytes a slot, outside
 * the JavaScript heap, never scanned by the garbage collector): open-addressing hash tables
 * keyed by the hash of the row's view and key. They keep no keys: a lookup reads the candidate's
 * record to check it. Each slot also keeps the row's group (its view and the first characters of
 * its key), so rows can be visited in key order a group at a time. When a table is three
 * quarters full a new one, twice as large, takes the new rows: nothing is ever moved, so a slot
 * number stays good, and growing never holds two copies.
 */
export interface SpillIndex {
  /** The slots whose hash is `hash`, until `isIt` says one is the row: its slot, or -1. */
  readonly find: (hash: number, isIt: (place: Place) => boolean) => number
  /** A new slot for a row known not to be in the index. */
  readonly insert: (hash: number, place: Place, group: number) => number
  /** The row at this slot now lies here. */
  readonly move: (slot: number, place: Place) => void
  readonly remove: (slot: number) => void
  readonly placeOf: (slot: number) => Place
  /** Every live slot, with its group. */
  readonly forEach: (visit: (slot: number, group: number) => void) => void
}

interface Table {
  readonly hashes: Int32Array
  readonly offsets: Float64Array
  readonly lengths: Int32Array
  readonly groups: Uint32Array
  readonly mask: number
  used: number
}

const tableOf = (capacity: number): Table => ({
  hashes: new Int32Array(capacity), offsets: new Float64Array(capacity), lengths: new Int32Array(capacity),
  groups: new Uint32Array(capacity), mask: capacity - 1, used: 0,
})

/** The place of a slot in its table, or -1 where the probe meets an empty slot first. */
const probe = (table: Table, hash: number, isIt: (place: Place) => boolean): number => {
  for (let at = hash & table.mask; table.lengths[at] !== empty; at = (at + 1) & table.mask) {
    const length = table.lengths[at] ?? 0
    if (table.hashes[at] === hash && length > 0 && isIt({ offset: table.offsets[at] ?? 0, length })) return at
  }
  return -1
}

/** An empty index that grows as rows come in. */
export const createSpillIndex = (firstCapacity = 1 << 12): SpillIndex => {
  const tables: Table[] = [tableOf(firstCapacity)]
  const tableOfSlot = (slot: number): Table => tables[Math.floor(slot / tableSpan)] as Table
  const at = (slot: number): number => slot % tableSpan

  return {
    find: (hash, isIt) => {
      for (let t = tables.length - 1; t >= 0; t -= 1) {
        const found = probe(tables[t] as Table, hash, isIt)
        if (found >= 0) return t * tableSpan + found
      }
      return -1
    },
    insert: (hash, place, group) => {
      let table = tables[tables.length - 1] as Table
      if ((table.used + 1) * 4 > (table.mask + 1) * 3) {
        table = tableOf(Math.min((table.mask + 1) * 2, tableSpan))
        tables.push(table)
      }
      let slot = hash & table.mask
      while (table.lengths[slot] !== empty) slot = (slot + 1) & table.mask
      table.hashes[slot] = hash
      table.groups[slot] = group
      table.offsets[slot] = place.offset
      table.lengths[slot] = place.length
      table.used += 1
      return (tables.length - 1) * tableSpan + slot
    },
    move: (slot, place) => {
      const table = tableOfSlot(slot)
      table.offsets[at(slot)] = place.offset
      table.lengths[at(slot)] = place.length
    },
    remove: (slot) => { tableOfSlot(slot).lengths[at(slot)] = removed },
    placeOf: (slot) => {
      const table = tableOfSlot(slot)
      return { offset: table.offsets[at(slot)] ?? 0, length: table.lengths[at(slot)] ?? 0 }
    },
    forEach: (visit) => {
      tables.forEach((table, t) => {
        for (let slot = 0; slot <= table.mask; slot += 1) if ((table.lengths[slot] ?? 0) > 0) visit(t * tableSpan + slot, table.groups[slot] ?? 0)
      })
    },
  }
}
