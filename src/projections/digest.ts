import { createHash } from 'node:crypto'
import { ViewStore } from '../store/views'

/**
 * Fields that hold a store's global position: where an event landed, not what happened. Each store
 * numbers positions its own way (SQLite densely from 1, EventStoreDB by log offset), so the digest
 * leaves them out and the same history gives the same digest on every store.
 */
export const storePositionFields: ReadonlySet<string> = new Set(['recordedPosition'])

const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => v !== undefined && !storePositionFields.has(k))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** A stable sha256 over the rows of these views (canonical JSON, key order, store positions left out): equal views, equal digest. */
export const digestViews = (views: ViewStore, names: ReadonlyArray<string>): string => {
  const hash = createHash('sha256')
  for (const name of names) {
    hash.update(`view ${name}\n`)
    for (const row of views.rows(name)) hash.update(`${canonical(row)}\n`)
  }
  return hash.digest('hex')
}
