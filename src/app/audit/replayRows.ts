import { digestRowTexts, indexesKeeping, plainRowText, rowText, storeLocalFields } from '../../projections/digest'
import { Projection } from '../../projections/projection'
import { RowCoding, textOf } from '../../store/scratchRecords'
import { StreamingViewStore } from '../../store/scratch'

/**
 * How a replay keeps the rows that leave its cache: as the very text each adds to the digest
 * (canonical JSON without the store-local fields), with a note of those fields and of the index
 * views that keep the row. The digest at the end then hashes the stored texts in key order,
 * with no row parsed or written out again; a row read back is parsed from that text.
 */

/** The note beside a row's text: the indexes that keep it, its store-local fields, and its JSON when the text cannot give it back. */
type Note = readonly [number, Readonly<Record<string, unknown>> | null, string | null]

const localsOf = (row: unknown): Readonly<Record<string, unknown>> | null => {
  if (typeof row !== 'object' || row === null) return null
  const record = row as Readonly<Record<string, unknown>>
  const found = storeLocalFields.filter((field) => record[field] !== undefined)
  return found.length === 0 ? null : Object.fromEntries(found.map((field) => [field, record[field]]))
}

/** The coding of a replay's rows for these projections. */
export const digestCoding = (projections: ReadonlyArray<Projection<unknown>>): RowCoding => {
  const byView = new Map(projections.map((projection) => [projection.view, projection] as const))
  return {
    encode: (view, row) => {
      const projection = byView.get(view)
      const kept = projection === undefined ? 0 : indexesKeeping(projection, row)
      // Rows are JSON values; a row the canonical text cannot give back (a list holding undefined, a Date) keeps its JSON too.
      const plain = plainRowText(row)
      const note: Note = [kept, localsOf(row), plain === null ? JSON.stringify(row) : null]
      return { body: plain ?? rowText(row), note }
    },
    decode: (_view, body, note) => {
      const [, locals, json] = note as Note
      if (json !== null) return JSON.parse(json) as unknown
      const row = JSON.parse(body) as unknown
      return locals === null ? row : { ...(row as object), ...locals }
    },
  }
}

/** Rows of one view that a digest's walk also hands over, decoded, as it reads them. */
export interface AlsoVisit {
  readonly view: string
  readonly coding: RowCoding
  readonly visit: (row: unknown) => void
}

/** The digest of a replay's views kept with `digestCoding`: the same value as `digestMainViews` gives of the same rows. */
export const digestOfKept = (views: StreamingViewStore, projections: ReadonlyArray<Projection<unknown>>, names: ReadonlyArray<string>, also?: AlsoVisit): string =>
  digestRowTexts((view, visit) => views.forEachBody(view, (body, note) => {
    visit(body, (note as Note)[0])
    if (also !== undefined && view === also.view) also.visit(also.coding.decode(view, textOf(body), note))
  }), projections, names)
