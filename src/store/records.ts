/**
 * Small keyed records a service keeps beside the log, never in it (API tokens, stored hashed; the
 * answers of idempotent requests): JSON values by table and key, shared by every process on the
 * store. Writes are durable when they return.
 */
export interface Records {
  readonly get: (table: string, key: string) => unknown
  /** Store `value` unless the key is taken; answers whether it was stored. */
  readonly putIfAbsent: (table: string, key: string, value: unknown) => boolean
  readonly put: (table: string, key: string, value: unknown) => void
  readonly delete: (table: string, key: string) => void
  /** Every record of a table, in key order. */
  readonly list: (table: string) => ReadonlyArray<{ readonly key: string; readonly value: unknown }>
}

/** Records kept in this process: for the memory store. */
export const createMemoryRecords = (): Records => {
  const tables = new Map<string, Map<string, string>>()
  const tableOf = (table: string): Map<string, string> => {
    const found = tables.get(table) ?? new Map<string, string>()
    tables.set(table, found)
    return found
  }
  const parse = (text: string | undefined): unknown => (text === undefined ? undefined : JSON.parse(text))
  return {
    get: (table, key) => parse(tableOf(table).get(key)),
    putIfAbsent: (table, key, value) => {
      if (tableOf(table).has(key)) return false
      tableOf(table).set(key, JSON.stringify(value))
      return true
    },
    put: (table, key, value) => { tableOf(table).set(key, JSON.stringify(value)) },
    delete: (table, key) => { tableOf(table).delete(key) },
    list: (table) => [...tableOf(table)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, text]) => ({ key, value: parse(text) })),
  }
}
