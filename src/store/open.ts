import { isEventStoreDbUrl, openEventStoreDbStorage } from './eventstoredb'
import { openMemoryStorage } from './memory'
import { openSqliteStorage } from './sqlite'
import { Storage } from './storage'

/** The store a user gets when they name none: a SQLite file in the working folder. */
export const defaultStoreUrl = 'sqlite:seatflow.db'

/**
 * Open a store by URL: `sqlite:PATH` (the embedded default), `memory:`, or
 * `esdb://host:port?tls=false` (EventStoreDB; any connection string the client accepts, plus
 * `views=PATH` for the SQLite file of the views and `namespace=PREFIX`). A bare path is a SQLite file.
 */
export const openStorage = (url: string = defaultStoreUrl): Storage => {
  if (url === 'memory:' || url === 'memory') return openMemoryStorage()
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '')
    if (path === '') throw new Error('a sqlite: store URL needs a file path, e.g. sqlite:./seatflow.db')
    return openSqliteStorage(path)
  }
  if (isEventStoreDbUrl(url)) return openEventStoreDbStorage(url)
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[a-z][a-z0-9+.-]+:$/i.test(url)) {
    throw new Error(`unknown store URL "${url}": use sqlite:PATH, memory: or esdb://host:port?tls=false`)
  }
  return openSqliteStorage(url)
}
