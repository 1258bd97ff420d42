/** A SQLite or file system error on a store's file, told as what happened to which file and what to do. */
export class SqliteFileError extends Error {
  constructor(readonly path: string, readonly code: string, message: string, options: { readonly cause: unknown }) {
    super(message, options)
    this.name = 'SqliteFileError'
  }
}

/** What happened, and what to do, for an error code of SQLite or of the file system. */
const adviceFor = (code: string, path: string): readonly [string, string] | undefined => {
  if (/^SQLITE_READONLY_(DIRECTORY|CANTINIT|CANTLOCK)/.test(code)) {
    return ['is in a folder this user cannot write', `SQLite needs ${path}-wal and ${path}-shm beside a WAL file even to read it; make the folder writable, or copy the store to one that is`]
  }
  if (code.startsWith('SQLITE_READONLY')) return ['is read-only for this user', 'make the file and its folder writable, or open it read-only']
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return ['is locked by another process', 'try again once that process is done']
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return ['is damaged', 'restore it from a backup']
  if (code.startsWith('SQLITE_CANTOPEN')) return ['cannot be opened', 'check that it is a file this user may read and write, in a folder that exists']
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return ['cannot grow: the disk is full', 'free some space and try again']
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return ['could not be read or written (a disk or file system error)', 'check the disk and the file']
  if (['SQLITE_PERM', 'SQLITE_AUTH', 'EACCES', 'EPERM'].includes(code)) return ['is not accessible to this user', 'give this user access to it and its folder']
  if (code === 'EISDIR') return ['is a folder, not a seatflow store', 'name the store file']
  return code.startsWith('SQLITE_') ? ['could not be used by SQLite', 'check the file; if it is sound, report this message to seatflow'] : undefined
}

const codeOf = (error: unknown): string | undefined => {
  const code = typeof error === 'object' && error !== null ? (error as { readonly code?: unknown }).code : undefined
  return typeof code === 'string' ? code : undefined
}

const messageOf = (error: unknown): string =>
  typeof error === 'object' && error !== null && typeof (error as { readonly message?: unknown }).message === 'string'
    ? (error as { readonly message: string }).message : String(error)

/**
 * The error to throw for `error`, raised while using the SQLite file at `path`: an error of SQLite
 * or of the file system names the file, what happened and what to do; any other is kept as it is.
 */
export const onFileError = (path: string, error: unknown): unknown => {
  const code = codeOf(error)
  const advice = code === undefined || error instanceof SqliteFileError ? undefined : adviceFor(code, path)
  if (code === undefined || advice === undefined) return error
  return new SqliteFileError(path, code, `${path} ${advice[0]} (${messageOf(error)}): ${advice[1]}`, { cause: error })
}

/** Run `work` on the SQLite file at `path`; an error of SQLite or the file system is thrown again naming the file. */
export const onFile = <A>(path: string, work: () => A): A => {
  try {
    return work()
  } catch (error) {
    throw onFileError(path, error)
  }
}
