import type { Db } from './sqliteDatabase'
import { byCodePoint } from './keyOrder'
import { FieldEquals, KeyedRow, RowFilter } from './views'

/** A field an index keys rows by: as stored, or folded to lower case. */
interface IndexedField {
  readonly field: string
  readonly folded: boolean
}

/** An index of one view's rows in `view_rows`: by its fields, then by key. */
interface ViewIndex {
  readonly name: string
  readonly view: string
  readonly fields: ReadonlyArray<IndexedField>
}

/**
 * The indexes of the SQLite store's views: the License Change Log by status and by each field a
 * provider filter matches (name, id, kind), so that a filtered page reads the matching keys in key
 * order, with LIMIT, instead of the whole view. They are partial expression indexes on
 * `view_rows` (WHERE view = ...): only that view's rows pay for them on writes, the rows and so the
 * views' digest stay as they are, and an old file gets them by CREATE INDEX IF NOT EXISTS when it is
 * opened for writing, with no new schema version (only SQLite's own functions are named, so any
 * version of seatflow can still write the file). Status leads each index: a filter of status alone,
 * or of provider alone, is asked as the alternatives over the other field's few values.
 * Folded fields: SQLite's lower() folds ASCII only, so `value` must be lower-case ASCII, and the one
 * other character JavaScript folds to ASCII (U+212A KELVIN SIGN, to k) is folded by replace().
 */
export const viewIndexes: ReadonlyArray<ViewIndex> = [
  { name: 'license_changes_by_status_provider', view: 'licenseChanges', fields: [{ field: 'status', folded: false }, { field: 'provider', folded: true }] },
  { name: 'license_changes_by_status_provider_id', view: 'licenseChanges', fields: [{ field: 'status', folded: false }, { field: 'providerId', folded: true }] },
  { name: 'license_changes_by_status_provider_kind', view: 'licenseChanges', fields: [{ field: 'status', folded: false }, { field: 'providerKind', folded: true }] },
]

const plainName = /^[A-Za-z][A-Za-z0-9_]*$/

const expressionOf = ({ field, folded }: IndexedField): string => {
  if (!plainName.test(field)) throw new Error(`an indexed field must be a plain name, got ${field}`)
  const value = `json_extract(row, '$.${field}')`
  return folded ? `lower(replace(${value}, char(8490), 'k'))` : value
}

/** The SQL that creates the views' indexes where they are missing. */
export const createViewIndexes = viewIndexes.map(({ name, view, fields }) => {
  if (!plainName.test(view)) throw new Error(`an indexed view must be a plain name, got ${view}`)
  return `CREATE INDEX IF NOT EXISTS ${name} ON view_rows(${fields.map(expressionOf).join(', ')}, key) WHERE view = '${view}';`
}).join('\n')

const asciiLower = /^[ -~]*$/

/** The index that serves one alternative of a filter exactly, or undefined. */
const indexFor = (view: string, conditions: ReadonlyArray<FieldEquals>): ViewIndex | undefined =>
  viewIndexes.find((index) => index.view === view && index.fields.length === conditions.length
    && index.fields.every((f) => conditions.some((c) => c.field === f.field && c.folded === f.folded))
    && conditions.every((c) => !c.folded || (asciiLower.test(c.value) && c.value === c.value.toLowerCase())))

type KeysStatement = ReturnType<typeof keysStatement>

/** The keys of an index's rows with the given field values, after a key, in key order (INDEXED BY: the index, or an error). */
const keysStatement = (db: Db, { name, view, fields }: ViewIndex) => db.prepare<unknown[], { key: string }>(
  `SELECT key FROM view_rows INDEXED BY ${name} WHERE view = '${view}' AND ${fields.map((f) => `${expressionOf(f)} = ?`).join(' AND ')}`
  + ' AND key > ? ORDER BY key LIMIT ?')

/**
 * Filtered pages of the views off the indexes this file holds (a file opened before they existed
 * and not since opened for writing may lack them): each alternative of a filter reads its first
 * keys off its index, the union's first `limit` keys are the page's, and only their rows are read.
 * Undefined when an alternative has no index here.
 */
export const indexedPages = (db: Db) => {
  const present = new Set(db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index'").all().map((found) => found.name))
  const statements = new Map<string, KeysStatement>(viewIndexes.filter((index) => present.has(index.name)).map((index) => [index.name, keysStatement(db, index)]))
  const rowsOf = db.prepare<[string, string], { key: string; row: string }>(
    'SELECT key, row FROM view_rows WHERE view = ? AND key IN (SELECT value FROM json_each(?)) ORDER BY key')
  return (view: string, filter: RowFilter, after: string | null, limit: number): ReadonlyArray<KeyedRow> | undefined => {
    const keys = new Set<string>()
    for (const conditions of filter) {
      const index = indexFor(view, conditions)
      const statement = index === undefined ? undefined : statements.get(index.name)
      if (index === undefined || statement === undefined) return undefined
      const values = index.fields.map((f) => conditions.find((c) => c.field === f.field)?.value)
      statement.all(...values, after ?? '', limit).forEach((found) => keys.add(found.key))
    }
    const page = [...keys].sort(byCodePoint).slice(0, limit)
    return page.length === 0 ? [] : rowsOf.all(view, JSON.stringify(page)).map((found) => ({ key: found.key, row: JSON.parse(found.row) as unknown }))
  }
}
