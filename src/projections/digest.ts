import { createHash } from 'node:crypto'
import { ViewStore } from '../store/views'

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

/** A stable sha256 over the rows of these views (canonical JSON, key order): equal views, equal digest. */
export const digestViews = (views: ViewStore, names: ReadonlyArray<string>): string => {
  const hash = createHash('sha256')
  for (const name of names) {
    hash.update(`view ${name}\n`)
    for (const row of views.rows(name)) hash.update(`${canonical(row)}\n`)
  }
  return hash.digest('hex')
}
