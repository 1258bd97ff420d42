import { createHash, Hash } from 'node:crypto'
import { ViewStore } from '../store/views'
import { Projection } from './projection'

/** A view store that may visit a view's rows one at a time (a replay's scratch views do). */
type Visitable = ViewStore & { readonly forEachRow?: (view: string, visit: (row: unknown) => void) => void }

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Sorted key lists by the key list as found: rows of one view share a few shapes, so each sorts once. */
const sortedKeys = new Map<string, ReadonlyArray<string>>()

const keysOf = (value: Record<string, unknown>): ReadonlyArray<string> => {
  const keys = Object.keys(value)
  const shape = keys.join('\u0000')
  const known = sortedKeys.get(shape)
  if (known !== undefined) return known
  const sorted = keys.sort(byCodeUnit)
  if (sortedKeys.size < 10_000) sortedKeys.set(shape, sorted)
  return sorted
}

const canonical = (value: unknown, skip: ReadonlyArray<string> = []): string => {
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item)).join(',')}]`
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  const record = value as Record<string, unknown>
  let text = '{'
  for (const key of keysOf(record)) {
    const field = record[key]
    if (field === undefined || skip.includes(key)) continue
    text += `${text.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonical(field)}`
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
const rowText = (row: unknown): string => `${canonical(row, storeLocalFields)}\n`

const visitRows = (views: Visitable, name: string, visit: (row: unknown) => void): void => {
  if (views.forEachRow === undefined) views.rows(name).forEach(visit)
  else views.forEachRow(name, visit)
}

/** The digest of the views from the hash of each: sha256 over every view's name and sha256, in `names` order. */
const combine = (names: ReadonlyArray<string>, hashes: ReadonlyMap<string, Hash>): string => {
  const all = createHash('sha256')
  for (const name of names) all.update(`view ${name} ${hashes.get(name)?.digest('hex') ?? createHash('sha256').digest('hex')}\n`)
  return all.digest('hex')
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
 * that keep it (an index row is its main row, under the same key).
 */
export const digestMainViews = (views: Visitable, projections: ReadonlyArray<Projection<unknown>>, names: ReadonlyArray<string>): string => {
  const hashes = new Map(names.map((name) => [name, createHash('sha256')] as const))
  for (const projection of projections) {
    const main = hashes.get(projection.view)
    const indexes = projection.indexes.flatMap((index) => {
      const hash = hashes.get(index.view)
      return hash === undefined ? [] : [{ keep: index.keep, hash }]
    })
    if (main === undefined && indexes.length === 0) continue
    visitRows(views, projection.view, (row) => {
      const text = rowText(row)
      main?.update(text)
      for (const index of indexes) if (index.keep(row)) index.hash.update(text)
    })
  }
  return combine(names, hashes)
}
