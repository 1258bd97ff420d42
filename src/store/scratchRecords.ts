import { byCodePoint } from './keyOrder'
import { SpillIndex } from './scratchIndex'
import { Place, SpillFile } from './scratchSpill'

/**
 * The records of a replay's spilled rows: a header line (the row's view, key and note, as JSON)
 * and the row's body, in a spill file; and the walk that visits a view's rows in key order, one
 * group of keys (the same first two characters) at a time, so it never holds more than a group.
 */

/** How rows are kept in records: a body (text) and a note beside it (a JSON value). */
export interface RowCoding {
  readonly encode: (view: string, row: unknown) => { readonly body: string; readonly note: unknown }
  readonly decode: (view: string, body: string, note: unknown) => unknown
}

/** Rows kept as their JSON. */
export const jsonCoding: RowCoding = {
  encode: (view, row) => {
    const body: string | undefined = JSON.stringify(row)
    if (body === undefined) throw new TypeError(`a row of view ${view} is not a JSON value`)
    return { body, note: null }
  },
  decode: (_view, body) => JSON.parse(body) as unknown,
}

/** A record read back: its header and its body's bytes (valid until the next read of the file). */
export interface SpilledRecord {
  readonly view: string
  readonly key: string
  readonly note: unknown
  readonly body: Uint8Array
}

const newline = 10

/** The text of a record. */
export const recordText = (view: string, key: string, note: unknown, body: string): string =>
  `${JSON.stringify([view, key, note])}\n${body}`

/** UTF-8 bytes (a record's, or its body's) as text. */
export const textOf = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')

/** Read the record at a place. */
export const readRecord = (spill: SpillFile, place: Place): SpilledRecord => {
  const bytes = spill.read(place)
  const end = bytes.indexOf(newline)
  const [view, key, note] = JSON.parse(textOf(bytes.subarray(0, end))) as [string, string, unknown]
  return { view, key, note, body: bytes.subarray(end + 1) }
}

/** The body of a record as text. */
export const bodyText = (record: SpilledRecord): string => textOf(record.body)

/** Groups of keys: a view and the first two characters of its keys, numbered as they are first met. */
export interface KeyGroups {
  readonly groupOf: (view: string, key: string) => number
  /** The groups of a view, in key order. */
  readonly inOrder: (view: string) => ReadonlyArray<number>
}

/** Key groups, none yet. */
export const createKeyGroups = (): KeyGroups => {
  const ids = new Map<string, number>()
  const byView = new Map<string, Array<{ readonly prefix: string; readonly id: number }>>()
  return {
    groupOf: (view, key) => {
      const prefix = key.slice(0, 2)
      const name = `${view}\u0000${prefix}`
      const known = ids.get(name)
      if (known !== undefined) return known
      const id = ids.size
      ids.set(name, id)
      byView.set(view, [...(byView.get(view) ?? []), { prefix, id }])
      return id
    },
    inOrder: (view) => [...(byView.get(view) ?? [])].sort((a, b) => byCodePoint(a.prefix, b.prefix)).map(({ id }) => id),
  }
}

/** The live slots of these groups, grouped in the order given (a counting sort of the index's slots). */
const slotsByGroup = (index: SpillIndex, order: ReadonlyArray<number>): { readonly slots: Int32Array; readonly starts: Int32Array } => {
  const rank = new Map(order.map((group, i) => [group, i] as const))
  const starts = new Int32Array(order.length + 1)
  index.forEach((_slot, group) => {
    const at = rank.get(group)
    if (at !== undefined) starts[at + 1] = (starts[at + 1] ?? 0) + 1
  })
  for (let i = 1; i < starts.length; i += 1) starts[i] = (starts[i] ?? 0) + (starts[i - 1] ?? 0)
  const next = starts.slice(0, order.length)
  const slots = new Int32Array(starts[order.length] ?? 0)
  index.forEach((slot, group) => {
    const at = rank.get(group)
    if (at === undefined) return
    slots[next[at] ?? 0] = slot
    next[at] = (next[at] ?? 0) + 1
  })
  return { slots, starts }
}

/** A record of a group, its body copied into the group's arena. */
interface Gathered {
  readonly key: string
  readonly note: unknown
  readonly start: number
  readonly end: number
}

/** Visit the spilled rows of a view in key order: every group's records read (bodies into one reused arena), sorted by key, visited. */
export const visitInKeyOrder = (
  spill: SpillFile, index: SpillIndex, groups: KeyGroups, view: string, visit: (record: SpilledRecord) => void,
): void => {
  const order = groups.inOrder(view)
  const { slots, starts } = slotsByGroup(index, order)
  let arena = Buffer.allocUnsafe(1 << 20)
  for (let g = 0; g < order.length; g += 1) {
    const gathered: Gathered[] = []
    let used = 0
    for (let i = starts[g] ?? 0; i < (starts[g + 1] ?? 0); i += 1) {
      const record = readRecord(spill, index.placeOf(slots[i] ?? 0))
      if (used + record.body.length > arena.length) arena = Buffer.concat([arena.subarray(0, used)], Math.max(arena.length * 2, used + record.body.length))
      arena.set(record.body, used)
      gathered.push({ key: record.key, note: record.note, start: used, end: used + record.body.length })
      used += record.body.length
    }
    gathered.sort((a, b) => byCodePoint(a.key, b.key))
    for (const { key, note, start, end } of gathered) visit({ view, key, note, body: arena.subarray(start, end) })
  }
}
