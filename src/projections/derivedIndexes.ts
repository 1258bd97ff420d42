import { StreamingViewStore } from '../store/scratch'
import { Projection } from './projection'

/** The projections as a replay feeds them: their main views only, since indexes can be read off those. */
export const withoutIndexes = (projections: ReadonlyArray<Projection<unknown>>): ReadonlyArray<Projection<unknown>> =>
  projections.map((projection) => ({ ...projection, indexes: [] }))

/**
 * Views in which each index view is read off its projection's main view (the rows it keeps, under
 * the same keys, so in the same order): what a replay that skipped the index writes looks like to
 * its readers, the digest among them.
 */
export const withDerivedIndexes = (views: StreamingViewStore, projections: ReadonlyArray<Projection<unknown>>): StreamingViewStore => {
  const derived = new Map(projections.flatMap((projection) =>
    projection.indexes.map((index) => [index.view, { from: projection.view, keep: index.keep }] as const)))
  const forEachRow = (view: string, visit: (row: unknown) => void): void => {
    const index = derived.get(view)
    if (index === undefined) views.forEachRow(view, visit)
    else views.forEachRow(index.from, (row) => { if (index.keep(row)) visit(row) })
  }
  return {
    ...views,
    forEachRow,
    get: (view, key) => {
      const index = derived.get(view)
      if (index === undefined) return views.get(view, key)
      const row = views.get(index.from, key)
      return row !== undefined && index.keep(row) ? row : undefined
    },
    rows: (view) => {
      const rows: unknown[] = []
      forEachRow(view, (row) => rows.push(row))
      return rows
    },
    indexed: (index) => {
      const rows: unknown[] = []
      forEachRow(index, (row) => rows.push(row))
      return rows
    },
  }
}
