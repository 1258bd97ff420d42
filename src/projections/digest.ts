import { createHash, Hash } from 'node:crypto'
import { ViewStore } from '../store/views'
import { Projection } from './projection'

/** A view store that may visit a view's rows one at a time (a replay's scratch views do). */
type Visitable = ViewStore & { readonly forEachRow?: (view: string, visit: (row: unknown) => void) => void }

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** How an object of one shape (its own keys, in their order) is written: its keys sorted, each with its `"key":` head. */
interface Plan {
  readonly keys: ReadonlyArray<string>
  readonly sorted: ReadonlyArray<string>
  readonly heads: ReadonlyArray<string>
}

/** Plans by first key: rows of one view share a few shapes, so each is sorted once; keys compare by identity. */
const plans = new Map<string, Plan[]>()
let planCount = 0

const sameKeys = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false
  return true
}

const planOf = (keys: string[]): Plan => {
  const candidates = plans.get(keys[0] ?? '')
  const known = candidates?.find((plan) => sameKeys(plan.keys, keys))
  if (known !== undefined) return known
  const sorted = [...keys].sort(byCodeUnit)
  const plan = { keys, sorted, heads: sorted.map((key) => `${JSON.stringify(key)}:`) }
  if (planCount < 10_000) {
    plans.set(keys[0] ?? '', [...(candidates ?? []), plan])
    planCount += 1
  }
  return plan
}

/** Set when `canonical` meets a value its text cannot give back (undefined in a list, a function, an object of a class). */
let metNonJson = false

const scalarText = (value: unknown): string => {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') metNonJson = true
  return JSON.stringify(value)
}

const listText = (list: ReadonlyArray<unknown>): string => {
  let text = '['
  for (let i = 0; i < list.length; i += 1) text += `${i > 0 ? ',' : ''}${canonical(list[i]) ?? ''}`
  return `${text}]`
}

const canonical = (value: unknown, skip: ReadonlyArray<string> = []): string => {
  if (typeof value !== 'object' || value === null) return scalarText(value)
  if (Array.isArray(value)) return listText(value)
  const record = value as Record<string, unknown>
  const prototype: unknown = Object.getPrototypeOf(record)
  if (prototype !== Object.prototype && prototype !== null) metNonJson = true
  const plan = planOf(Object.keys(record))
  let text = '{'
  for (let i = 0; i < plan.sorted.length; i += 1) {
    const key = plan.sorted[i] as string
    const field = record[key]
    if (field === undefined || (skip.length > 0 && skip.includes(key))) continue
    text += `${text.length > 1 ? ',' : ''}${plan.heads[i] as string}${canonical(field)}`
  }
  return `${text}}`
}

/** JSON with object keys in code-unit order and undefined fields left out: equal values, equal text. */
export const canonicalJson = (value: unknown): string => canonical(value)

/**
 * Fields that say where a store put an event, not what happened: each store numbers its log its
 * own way (an EventStoreDB position is not a SQLite rowid), so the digest leaves them out and a
 * log moved to another store keeps its digest.
 */
export const storeLocalFields: ReadonlyArray<string> = ['recordedPosition']

/** The text a row adds to its view's hash. */
export const rowText = (row: unknown): string => `${canonical(row, storeLocalFields)}\n`

/** The text a row adds to its view's hash when the row is plain JSON (its text gives it back, less the store-local fields); null otherwise. */
export const plainRowText = (row: unknown): string | null => {
  metNonJson = false
  const text = rowText(row)
  return metNonJson ? null : text
}

/** Which of its projection's index views keep a row: bit i for index i. */
export const indexesKeeping = (projection: Projection<unknown>, row: unknown): number => {
  let kept = 0
  projection.indexes.forEach((index, i) => { if (index.keep(row)) kept |= 1 << i })
  return kept
}

/** Visits a view's rows in key order, each as the text it adds to the hash and the indexes (bits) that keep it. */
export type RowTexts = (view: string, visit: (text: string | Uint8Array, kept: number) => void) => void

/** The digest of the views from the hash of each: sha256 over every view's name and sha256, in `names` order. */
const combine = (names: ReadonlyArray<string>, hashes: ReadonlyMap<string, Hash>): string => {
  const all = createHash('sha256')
  for (const name of names) all.update(`view ${name} ${hashes.get(name)?.digest('hex') ?? createHash('sha256').digest('hex')}\n`)
  return all.digest('hex')
}

/**
 * A hash fed through a buffer: rows are a few hundred bytes each, and handing them to the hash one
 * by one costs more than hashing them; the bytes hashed, and so the hash, are the same.
 */
const feedOf = (hash: Hash) => {
  const buffer = Buffer.allocUnsafe(64 * 1024)
  let used = 0
  const flush = (): void => {
    if (used > 0) hash.update(buffer.subarray(0, used))
    used = 0
  }
  return {
    update: (text: string | Uint8Array): void => {
      // A UTF-16 code unit takes at most three bytes of UTF-8.
      const most = typeof text === 'string' ? text.length * 3 : text.length
      if (used + most > buffer.length) flush()
      if (most > buffer.length) hash.update(text)
      else if (typeof text === 'string') used += buffer.write(text, used, 'utf8')
      else {
        buffer.set(text, used)
        used += text.length
      }
    },
    flush,
  }
}

/**
 * The digest of views whose rows come as texts (see `rowText`): each main view is visited once,
 * and each row also feeds the hashes of the index views that keep it (an index row is its main
 * row, under the same key).
 */
export const digestRowTexts = (texts: RowTexts, projections: ReadonlyArray<Projection<unknown>>, names: ReadonlyArray<string>): string => {
  const hashes = new Map(names.map((name) => [name, createHash('sha256')] as const))
  for (const projection of projections) {
    const main = hashes.get(projection.view)
    const feeds = [...(main === undefined ? [] : [{ bit: 0, feed: feedOf(main) }]), ...projection.indexes.flatMap((index, bit) => {
      const hash = hashes.get(index.view)
      return hash === undefined ? [] : [{ bit: 1 << bit, feed: feedOf(hash) }]
    })]
    if (feeds.length === 0) continue
    texts(projection.view, (text, kept) => {
      // Bit 0 is the main view's: every row; an index's bit, the rows it keeps.
      for (const { bit, feed } of feeds) if (bit === 0 || (kept & bit) !== 0) feed.update(text)
    })
    for (const { feed } of feeds) feed.flush()
  }
  return combine(names, hashes)
}

const visitRows = (views: Visitable, name: string, visit: (row: unknown) => void): void => {
  if (views.forEachRow === undefined) views.rows(name).forEach(visit)
  else views.forEachRow(name, visit)
}

/**
 * A stable sha256 over the rows of these views (canonical JSON, key order, store positions left
 * out): equal views, equal digest.
 */
export const digestViews = (views: Visitable, names: ReadonlyArray<string>): string => {
  const hashes = new Map(names.map((name) => [name, createHash('sha256')] as const))
  for (const [name, hash] of hashes) visitRows(views, name, (row) => hash.update(rowText(row)))
  return combine(names, hashes)
}

/**
 * The same digest as `digestViews`, for views where only the projections' main views were
 * written: each main view is read once, and each row also feeds the hashes of the index views
 * that keep it.
 */
export const digestMainViews = (views: Visitable, projections: ReadonlyArray<Projection<unknown>>, names: ReadonlyArray<string>): string => {
  const byView = new Map(projections.map((projection) => [projection.view, projection] as const))
  const texts: RowTexts = (view, visit) => {
    const projection = byView.get(view)
    visitRows(views, view, (row) => visit(rowText(row), projection === undefined ? 0 : indexesKeeping(projection, row)))
  }
  return digestRowTexts(texts, projections, names)
}
