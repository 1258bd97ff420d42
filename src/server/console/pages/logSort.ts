import * as E from 'fp-ts/Either'
import { LicenseChangeRow } from '../../../projections/licenseChangeLog'

/**
 * The orders the console's License Change Log can be sorted in (`sort=product`, `sort=-recorded`),
 * beside its default (the API's: by License Change id). Every order is total: rows that tie on
 * the column are ordered by License Change id (in the same direction). Sorted pages page with a
 * keyset cursor: the column's value and the id of the last row shown; the next page is the rows
 * strictly after it in that order. Unlike an offset, a change recorded meanwhile never shifts a
 * page (it lands before the cursor, unseen on later pages, or after it, seen once); only a row
 * whose own sorted value changes between two pages (a status sort while a change is provisioned)
 * can move across the cursor, as it would in any live listing.
 */

/** The columns the log sorts on. */
export const sortColumns = ['recorded', 'product', 'provider', 'quantity', 'status'] as const
/** A column the log sorts on. */
export type SortColumn = (typeof sortColumns)[number]

/** An order of the log: a column, ascending or descending. */
export interface LogSort {
  readonly column: SortColumn
  readonly descending: boolean
}

/** A value of a sorted column: text (compared case-insensitively) or a number. */
type SortValue = string | number

/** Where a sorted page starts after: the last shown row's value and id. */
export interface SortCursor {
  readonly value: SortValue
  readonly id: string
}

/** What a bad `sort` parameter gets told (fixed words: the parameter is never echoed). */
export const sortProblem = `sort: choose one of ${sortColumns.flatMap((column) => [column, `-${column}`]).join(', ')} (or none: the default order)`

/** The order a `sort` parameter asks: null for the default, Left for a value that is none of the orders. */
export const sortOf = (text: string | undefined): E.Either<string, LogSort | null> => {
  if (text === undefined || text === '') return E.right(null)
  const descending = text.startsWith('-')
  const column = sortColumns.find((name) => name === (descending ? text.slice(1) : text))
  return column === undefined ? E.left(sortProblem) : E.right({ column, descending })
}

/** The `sort` parameter of an order. */
export const sortParameter = (sort: LogSort): string => `${sort.descending ? '-' : ''}${sort.column}`

/** A row's value in a column. */
export const valueOf = (column: SortColumn, row: LicenseChangeRow): SortValue => {
  switch (column) {
    case 'recorded': return row.recordedAt
    case 'product': return row.product.toLowerCase()
    case 'provider': return row.provider.toLowerCase()
    case 'quantity': return row.newQuantity
    case 'status': return row.status
  }
}

const compare = (a: SortValue, b: SortValue): number => (a < b ? -1 : a > b ? 1 : 0)

/** The total order of a sort over (value, id) pairs. */
const orderOf = (sort: LogSort) => (a: SortCursor, b: SortCursor): number =>
  (sort.descending ? -1 : 1) * (compare(a.value, b.value) || compare(a.id, b.id))

/** Rows in a sort's order. */
export const sortRows = (sort: LogSort, rows: ReadonlyArray<LicenseChangeRow>): ReadonlyArray<LicenseChangeRow> => {
  const order = orderOf(sort)
  return rows.map((row) => ({ row, value: valueOf(sort.column, row), id: row.licenseChangeId }))
    .sort(order).map(({ row }) => row)
}

/** The whole order of some rows under a sort: each row's value and id, first to last. */
export const orderOfRows = (sort: LogSort, rows: ReadonlyArray<LicenseChangeRow>): ReadonlyArray<SortCursor> =>
  rows.map((row) => ({ value: valueOf(sort.column, row), id: row.licenseChangeId })).sort(orderOf(sort))

/** A sorted page: the ids of its rows, and the cursor of the next (null: the last). */
export interface SortedPage {
  readonly ids: ReadonlyArray<string>
  readonly next: SortCursor | null
}

/** The page of an order strictly after the cursor (found by binary search: the order is total). */
export const pageAfter = (sort: LogSort, ordered: ReadonlyArray<SortCursor>, after: SortCursor | null, limit: number): SortedPage => {
  const order = orderOf(sort)
  let low = 0
  let high = ordered.length
  while (after !== null && low < high) {
    const middle = (low + high) >> 1
    if (order(ordered[middle] ?? after, after) <= 0) low = middle + 1
    else high = middle
  }
  const page = ordered.slice(low, low + limit)
  const last = page[page.length - 1]
  return { ids: page.map(({ id }) => id), next: low + limit < ordered.length && last !== undefined ? last : null }
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A cursor as the `after` parameter carries it: URL-safe base64 of `[value, id]`. */
export const cursorText = (cursor: SortCursor): string => Buffer.from(JSON.stringify([cursor.value, cursor.id])).toString('base64url')

/** The cursor an `after` parameter carries for a sort, or null when it carries none of that sort's. */
export const cursorOf = (sort: LogSort, text: string): SortCursor | null => {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
  } catch {
    return null
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return null
  const [value, id] = parsed as [unknown, unknown]
  const kind = sort.column === 'quantity' ? 'number' : 'string'
  return typeof value === kind && (typeof value === 'string' || Number.isFinite(value)) && typeof id === 'string' && uuid.test(id)
    ? { value: value as SortValue, id } : null
}
