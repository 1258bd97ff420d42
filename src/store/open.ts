import { openMemoryStorage } from './memory'
import { openSqliteStorage } from './sqlite'
import { Storage } from './storage'

/** The store a user gets when they name none: a SQLite file in the working folder. */
export const defaultStoreUrl = 'sqlite:seatflow.db'

/**
 * Open a store by URL: `sqlite:PATH` (the embedded default), `memory:`. A bare path is a SQLite file.
 */
export const openStorage = (url: string = defaultStoreUrl): Storage => {
  if (url === 'memory:' || url === 'memory') return openMemoryStorage()
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '')
    if (path === '') throw new Error('a sqlite: store URL needs a file path, e.g. sqlite:./seatflow.db')
    return openSqliteStorage(path)
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[a-z][a-z0-9+.-]+:$/i.test(url)) {
    throw new Error(`unknown store URL "${url}": use sqlite:PATH or memory:`)
  }
  return openSqliteStorage(url)
}
