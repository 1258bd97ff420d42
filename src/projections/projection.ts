import { Recorded } from '../domain/envelope'
import { ViewStore } from '../store/views'

/** A secondary view that holds the keys of a projection's rows for which `keep` is true. */
export interface Index<Row> {
  readonly view: string
  readonly keep: (row: Row) => boolean
}

/**
 * A projection: a pure fold of one row per key. `route` names the row an event touches
 * (null: none); `evolve` gives the row's next value (undefined: the row goes away).
 */
export interface Projection<Row> {
  readonly view: string
  readonly route: (event: Recorded) => string | null
  readonly evolve: (row: Row | undefined, event: Recorded) => Row | undefined
  readonly indexes: ReadonlyArray<Index<Row>>
}

/**
 * The rows of a projection's view, or of one of its indexes, typed as the projection's rows: the
 * one place a view is read back as its row type (only the projection ever writes those rows).
 */
export const viewRows = <Row>(views: Pick<ViewStore, 'rows' | 'indexed'>, projection: Projection<Row>, view: string = projection.view): ReadonlyArray<Row> => {
  if (view === projection.view) return views.rows(view) as ReadonlyArray<Row>
  if (!projection.indexes.some((index) => index.view === view)) throw new Error(`${view} is not a view of the projection ${projection.view}`)
  return views.indexed(view, projection.view) as ReadonlyArray<Row>
}
