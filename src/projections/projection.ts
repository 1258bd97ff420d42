import { Recorded } from '../domain/envelope'

/** A secondary view that holds the rows of a projection for which `keep` is true. */
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
