/** A view row and its key. */
export interface KeyedRow {
  readonly key: string
  readonly row: unknown
}

/** Reads and writes of view rows inside one atomic view transaction. Rows are JSON values. */
export interface ViewTransaction {
  readonly get: (view: string, key: string) => unknown
  readonly put: (view: string, key: string, row: unknown) => void
  readonly delete: (view: string, key: string) => void
}

/**
 * Where projections keep their views and checkpoints. Synchronous: a view update is one
 * atomic transaction that reads the stored checkpoint, applies events and stores the new
 * checkpoint with the rows it wrote, so a crash never leaves a view and its checkpoint apart,
 * and two processes never apply the same event twice.
 */
export interface ViewStore {
  /** The global position up to which `name` has applied the log (0: nothing yet). */
  readonly checkpoint: (name: string) => number
  /**
   * Run `apply` in one transaction: it gets the checkpoint of `name` as stored when the
   * transaction began and returns the new one, stored with its writes. A throw rolls all back.
   */
  readonly update: (name: string, apply: (tx: ViewTransaction, checkpoint: number) => number) => void
  /**
   * Move checkpoint `name` from `from` to `to` if it stands at `from` (0: not stored yet); answers
   * whether it moved. Inside an `update` it commits with that update.
   */
  readonly advance: (name: string, from: number, to: number) => boolean
  /** One row, or undefined. */
  readonly get: (view: string, key: string) => unknown
  /** Every row of a view, in key order. */
  readonly rows: (view: string) => ReadonlyArray<unknown>
  /** Up to `limit` rows of a view after the key `after` (null: from the first), in key order, with their keys: a page. */
  readonly scan: (view: string, after: string | null, limit: number) => ReadonlyArray<KeyedRow>
  /** The rows of `main` under the keys `index` holds (an index view keeps keys, not copies), in key order. */
  readonly indexed: (index: string, main: string) => ReadonlyArray<unknown>
  /** Forget the rows of these views and the checkpoints of these names (to rebuild them). */
  readonly reset: (views: ReadonlyArray<string>, checkpoints: ReadonlyArray<string>) => void
}
