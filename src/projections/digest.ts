import { createHash } from 'node:crypto'
import { ViewStore } from '../store/views'

/** JSON with object keys in code-unit order and undefined fields left out: equal values, equal text. */
export const canonicalJson = (value: unknown): string => canonical(value)

/** A view store that may visit a view's rows one at a time (a replay's scratch views do). */
type Visitable = ViewStore & { readonly forEachRow?: (view: string, visit: (row: unknown) => void) => void }

const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/**
 * Fields that say where a store put an event, not what happened: each store numbers its log its
 * own way (an EventStoreDB position is not a SQLite rowid), so the digest leaves them out and a
 * log moved to another store keeps its digest.
 */
export const storeLocalFields: ReadonlyArray<string> = ['recordedPosition']

const withoutStoreLocal = (row: unknown): unknown => row !== null && typeof row === 'object' && !Array.isArray(row)
  ? Object.fromEntries(Object.entries(row).filter(([key]) => !storeLocalFields.includes(key)))
  : row

/** A stable sha256 over the rows of these views (canonical JSON, key order, store positions left out): equal views, equal digest. */
export const digestViews = (views: Visitable, names: ReadonlyArray<string>): string => {
  const hash = createHash('sha256')
  const visit = (row: unknown): void => { hash.update(`${canonical(withoutStoreLocal(row))}\n`) }
  for (const name of names) {
    hash.update(`view ${name}\n`)
    if (views.forEachRow === undefined) views.rows(name).forEach(visit)
    else views.forEachRow(name, visit)
  }
  return hash.digest('hex')
}
