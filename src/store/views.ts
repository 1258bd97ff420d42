/** A view row and its key. */
export interface KeyedRow {
  readonly key: string
  readonly row: unknown
}

/**
 * One condition of a filtered page: the row's string field `field` equals `value`; folded, the
 * field in lower case equals `value`, which must then be lower-case ASCII.
 */
export interface FieldEquals {
  readonly field: string
  readonly value: string
  readonly folded: boolean
}

/** Which rows a filtered page keeps: those that meet every condition of at least one alternative. */
export type RowFilter = ReadonlyArray<ReadonlyArray<FieldEquals>>

/** Whether a row meets a condition, as every view store reads it. */
export const meets = (row: unknown, { field, value, folded }: FieldEquals): boolean => {
  const found = typeof row === 'object' && row !== null ? (row as Record<string, unknown>)[field] : undefined
  return typeof found === 'string' && (folded ? found.toLowerCase() === value : found === value)
}

/** Whether a row passes a filter. */
export const passesFilter = (row: unknown, filter: RowFilter): boolean =>
  filter.some((conditions) => conditions.every((condition) => meets(row, condition)))

/** The first `limit` rows of `entries` (JSON text, in key order) after `after` that pass `filter`, each parsed once. */
export const filterEntries = (entries: Iterable<readonly [string, string]>, after: (key: string) => boolean, filter: RowFilter, limit: number)
  : ReadonlyArray<KeyedRow> => {
  const found: KeyedRow[] = []
  for (const [key, text] of entries) {
    if (found.length >= limit) break
    if (!after(key)) continue
    const row: unknown = JSON.parse(text)
    if (passesFilter(row, filter)) found.push({ key, row })
  }
  return found
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
  /**
   * Up to `limit` rows of a view that pass `filter`, after the key `after` (null: from the first),
   * in key order: a filtered page. Undefined when this store keeps no index that serves the filter
   * (read the view with `scan` instead).
   */
  readonly scanWhere: (view: string, filter: RowFilter, after: string | null, limit: number) => ReadonlyArray<KeyedRow> | undefined
  /** The rows of `main` under the keys `index` holds (an index view keeps keys, not copies), in key order. */
  readonly indexed: (index: string, main: string) => ReadonlyArray<unknown>
  /** Forget the rows of these views and the checkpoints of these names (to rebuild them). */
  readonly reset: (views: ReadonlyArray<string>, checkpoints: ReadonlyArray<string>) => void
}
