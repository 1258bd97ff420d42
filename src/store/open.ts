import { rmSync } from 'node:fs'
import * as E from 'fp-ts/Either'
import { isEventStoreDbUrl, openEventStoreDbStorage, parseEventStoreDbUrl } from './eventstoredb'
import { openMemoryStorage } from './memory'
import { readOnlyEvents } from './readOnly'
import { openSqliteStorage } from './sqlite'
import { readSqliteViewFile } from './sqliteViews'
import { Storage, StoreAccess } from './storage'

/** The store a user gets when they name none: a SQLite file in the working folder. */
export const defaultStoreUrl = 'sqlite:seatflow.db'

/** Where a store URL points. */
export type StoreAddress =
  | { readonly _tag: 'Memory' }
  | { readonly _tag: 'Sqlite'; readonly path: string }
  /** `views` is the SQLite file of its views (`:memory:` for none). */
  | { readonly _tag: 'EventStoreDb'; readonly url: string; readonly views: string }

/**
 * Read a store URL: `sqlite:PATH`, a bare PATH (the same), `memory:`, or `esdb://host:port?...`.
 * Left says, in a sentence, why it names no store.
 */
export const parseStoreUrl = (url: string): E.Either<string, StoreAddress> => {
  if (url === 'memory:' || url === 'memory') return E.right({ _tag: 'Memory' })
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '')
    return path === '' ? E.left('a sqlite: store URL needs a file path, e.g. sqlite:./seatflow.db') : E.right({ _tag: 'Sqlite', path })
  }
  if (isEventStoreDbUrl(url)) {
    const parsed = E.tryCatch(() => parseEventStoreDbUrl(url), (error) => (error instanceof Error ? error.message : String(error)))
    return E.map(({ views }: { readonly views: string }): StoreAddress => ({ _tag: 'EventStoreDb', url, views }))(parsed)
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[a-z][a-z0-9+.-]+:$/i.test(url)) {
    return E.left(`unknown store URL "${url}": use sqlite:PATH, memory: or esdb://host:port?tls=false`)
  }
  return url.trim() === '' ? E.left('a store needs a file path or a URL, e.g. sqlite:./seatflow.db') : E.right({ _tag: 'Sqlite', path: url })
}

/** How to open a store. */
export interface OpenOptions {
  /**
   * `create` (default): an existing store, or a new one where there is none; `write`: an existing
   * store only; `read`: an existing store, read-only: nothing is created, migrated or written.
   */
  readonly access?: StoreAccess
}

/** The same EventStoreDB URL with its views kept in memory: the storage a read-only one reads events through. */
const withViewsInMemory = (url: string): string => {
  const { connectionString, namespace } = parseEventStoreDbUrl(url)
  const namespaced = namespace === '' ? '' : `&namespace=${encodeURIComponent(namespace)}`
  return `${connectionString}${connectionString.includes('?') ? '&' : '?'}views=memory${namespaced}`
}

/** An EventStoreDB store read-only: appends refused, views read from the views file if there is one (never made). */
const openEventStoreDbForReading = (url: string): Storage => {
  const address = parseEventStoreDbUrl(url)
  const remote = openEventStoreDbStorage(withViewsInMemory(url))
  let viewFile: ReturnType<typeof readSqliteViewFile>
  try {
    // The same source as openEventStoreDbStorage records in a views file it makes.
    viewFile = readSqliteViewFile(address.views, `esdb://${address.address}/${address.namespace}`)
  } catch (error) {
    void remote.close()
    throw error
  }
  const where = `eventstoredb ${address.address}${address.namespace === '' ? '' : ` namespace ${address.namespace}`}`
  return {
    events: readOnlyEvents(remote.events, where),
    views: viewFile.views,
    claims: viewFile.claims,
    records: viewFile.records,
    readOnly: true,
    close: async () => { await Promise.all([remote.close(), viewFile.close()]) },
    describe: `${where} (read-only), views ${viewFile.fromFile ? `read from ${address.views}` : 'in memory'}`,
  }
}

const openMemoryForReading = (): Storage => {
  const storage = openMemoryStorage()
  return { ...storage, events: readOnlyEvents(storage.events, 'the memory store'), readOnly: true }
}

/**
 * Open a store by URL: `sqlite:PATH` (the embedded default), `memory:`, or
 * `esdb://host:port?tls=false` (EventStoreDB; any connection string the client accepts, plus
 * `views=PATH` for the SQLite file of the views and `namespace=PREFIX`). A bare path is a SQLite
 * file, exactly as `sqlite:PATH`. A path that holds something other than a seatflow store (a
 * folder, another application's SQLite file, an empty file unless creating) is refused untouched.
 */
export const openStorage = (url: string = defaultStoreUrl, options: OpenOptions = {}): Storage => {
  const address = parseStoreUrl(url)
  if (E.isLeft(address)) throw new Error(address.left)
  const access = options.access ?? 'create'
  switch (address.right._tag) {
    case 'Memory': return access === 'read' ? openMemoryForReading() : openMemoryStorage()
    case 'Sqlite': return openSqliteStorage(address.right.path, { access })
    case 'EventStoreDb': return access === 'read' ? openEventStoreDbForReading(url) : openEventStoreDbStorage(url)
  }
}

/** The SQLite files a store keeps on this machine: its file, or an EventStoreDB store's views file. */
export const localFilesOf = (address: StoreAddress): ReadonlyArray<string> => {
  switch (address._tag) {
    case 'Memory': return []
    case 'Sqlite': return [address.path]
    case 'EventStoreDb': return address.views === ':memory:' ? [] : [address.views]
  }
}

/** Delete a SQLite file and what SQLite keeps beside it (-wal, -shm, -journal). Only for a file this process made. */
export const removeSqliteFiles = (path: string): void => {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true })
}
