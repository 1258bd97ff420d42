import { checkpointOf } from './checks'
import { toJson } from './rows'
import { ViewTransaction } from './views'

/** Rows by view then key, as JSON text; null marks a row deleted (in a pending update, or over rows that still hold it). */
export type RowTable = Map<string, Map<string, string | null>>

/** The rows of `view` in `table`, an empty table of them made on first use. */
export const tableOf = (table: RowTable, view: string): Map<string, string | null> => {
  const found = table.get(view) ?? new Map<string, string | null>()
  table.set(view, found)
  return found
}

/** A row's JSON text as it stands under a pending update; undefined when there is none. */
export type RowBelow = (view: string, key: string) => string | undefined

/** An update's writes and the checkpoint it returned, checked. */
export interface PendingUpdate {
  readonly pending: RowTable
  readonly next: number
}

/**
 * Run one view update of checkpoint `name`: `apply` writes into pending rows and reads through
 * them to `below`. Its transaction is unusable once the update is over; the caller commits.
 */
export const applyPending = (name: string, below: RowBelow, apply: (tx: ViewTransaction) => number): PendingUpdate => {
  const pending: RowTable = new Map()
  let inProgress = true
  const live = (): void => { if (!inProgress) throw new Error('the view transaction is over') }
  const tx: ViewTransaction = {
    get: (view, key) => {
      live()
      const own = pending.get(view)?.get(key)
      const text = own === undefined ? below(view, key) : own ?? undefined
      return text === undefined ? undefined : JSON.parse(text)
    },
    put: (view, key, row) => { live(); tableOf(pending, view).set(key, toJson(row, `row ${key} of view ${view}`)) },
    delete: (view, key) => { live(); tableOf(pending, view).set(key, null) },
  }
  try {
    return { pending, next: checkpointOf(name, apply(tx)) }
  } finally {
    inProgress = false
  }
}
