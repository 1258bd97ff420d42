import { Place } from './scratchSpill'

/** The 32-bit FNV-1a hash of a text's UTF-16 code units. */
export const hashOf = (text: string): number => {
  let hash = 2166136261
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619)
  return hash | 0
}

const removed = -1

/**
 * Where the latest record of each spilled row lies, in typed arrays outside the JavaScript heap
 * (never scanned by the garbage collector): one entry per row, numbered as rows come in (an entry
 * number is the row's slot and stays good), 20 bytes each in columns that double as they fill,
 * and an open-addressing table of entry numbers by the hash of the row's view and key, rebuilt
 * twice as large when half full (4 to 8 bytes a row). The index keeps no keys: a lookup reads the
 * candidate's record to check it. Each entry also keeps the row's group (its view and the first
 * characters of its key), so rows can be visited in key order a group at a time. About 30 bytes a
 * row in all.
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

/** The entries' columns, grown by doubling. */
const columnsOf = (capacity: number) => ({
  hashes: new Int32Array(capacity), offsets: new Float64Array(capacity), lengths: new Int32Array(capacity), groups: new Uint32Array(capacity),
})
type Columns = ReturnType<typeof columnsOf>

const grownColumns = (columns: Columns): Columns => {
  const next = columnsOf(columns.hashes.length * 2)
  next.hashes.set(columns.hashes)
  next.offsets.set(columns.offsets)
  next.lengths.set(columns.lengths)
  next.groups.set(columns.groups)
  return next
}

/** An empty index that grows as rows come in. */
export const createSpillIndex = (firstCapacity = 1 << 12): SpillIndex => {
  let columns = columnsOf(firstCapacity)
  let size = 0
  // The table holds entry numbers plus one (0: an empty slot).
  let table = new Int32Array(firstCapacity * 2)

  const placeOf = (entry: number): Place => ({ offset: columns.offsets[entry] ?? 0, length: columns.lengths[entry] ?? 0 })

  const place = (entry: number): void => {
    const mask = table.length - 1
    let at = (columns.hashes[entry] ?? 0) & mask
    while (table[at] !== 0) at = (at + 1) & mask
    table[at] = entry + 1
  }

  return {
    find: (hash, isIt) => {
      const mask = table.length - 1
      for (let at = hash & mask; table[at] !== 0; at = (at + 1) & mask) {
        const entry = (table[at] ?? 0) - 1
        if (columns.hashes[entry] === hash && (columns.lengths[entry] ?? 0) > 0 && isIt(placeOf(entry))) return entry
      }
      return -1
    },
    insert: (hash, where, group) => {
      if (size === columns.hashes.length) columns = grownColumns(columns)
      const entry = size
      size += 1
      columns.hashes[entry] = hash
      columns.groups[entry] = group
      columns.offsets[entry] = where.offset
      columns.lengths[entry] = where.length
      if (size * 2 > table.length) {
        table = new Int32Array(table.length * 2)
        for (let known = 0; known < size; known += 1) if ((columns.lengths[known] ?? 0) > 0) place(known)
      } else {
        place(entry)
      }
      return entry
    },
    move: (entry, where) => {
      columns.offsets[entry] = where.offset
      columns.lengths[entry] = where.length
    },
    remove: (entry) => { columns.lengths[entry] = removed },
    placeOf,
    forEach: (visit) => {
      for (let entry = 0; entry < size; entry += 1) if ((columns.lengths[entry] ?? 0) > 0) visit(entry, columns.groups[entry] ?? 0)
    },
  }
}
