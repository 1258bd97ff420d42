import { createHash } from 'node:crypto'
import { ViewStore } from '../store/views'

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

/** A stable sha256 over the rows of these views (canonical JSON, key order): equal views, equal digest. */
export const digestViews = (views: Visitable, names: ReadonlyArray<string>): string => {
  const hash = createHash('sha256')
  const visit = (row: unknown): void => { hash.update(`${canonical(row)}\n`) }
  for (const name of names) {
    hash.update(`view ${name}\n`)
    if (views.forEachRow === undefined) views.rows(name).forEach(visit)
    else views.forEachRow(name, visit)
  }
  return hash.digest('hex')
}
