import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'

/** What is at a path where a seatflow SQLite store is asked for. */
export type StoreFile =
  | { readonly _tag: 'NoFile' }
  | { readonly _tag: 'EmptyFile' }
  /** A SQLite database without a table: nothing in it to lose. */
  | { readonly _tag: 'BlankDatabase' }
  /** A seatflow store; `viewsOf` names the event store whose views it holds, if it is a views file. */
  | { readonly _tag: 'Store'; readonly viewsOf: string | undefined }
  /** Something seatflow must leave alone; `reason` follows the path in a sentence. */
  | { readonly _tag: 'NotAStore'; readonly reason: string }

/** The tables of a SQLite database and the rows of its `meta` table, when it has one seatflow can read. */
export interface SchemaSeen {
  readonly tables: ReadonlyArray<string>
  readonly meta: ReadonlyMap<string, string>
}

const notAStore = (reason: string): StoreFile => ({ _tag: 'NotAStore', reason })

const listed = (tables: ReadonlyArray<string>): string =>
  tables.length > 5 ? `${tables.slice(0, 5).join(', ')} and ${tables.length - 5} more` : tables.join(', ')

/** Whether a schema is a seatflow store's, of a version this code reads. */
export const classifySchema = (schema: SchemaSeen, supportedVersion: number): StoreFile => {
  if (schema.tables.length === 0) return { _tag: 'BlankDatabase' }
  const version = schema.meta.get('schema_version')
  if (!schema.tables.includes('meta') || version === undefined) {
    return notAStore(`is a SQLite database of another application (tables: ${listed(schema.tables)}), not a seatflow store: seatflow leaves it as it is`)
  }
  const n = Number(version)
  if (!/^\d+$/.test(version) || !Number.isSafeInteger(n) || n < 1) return notAStore(`has an unreadable seatflow schema version "${version}": restore it from a backup`)
  if (n > supportedVersion) {
    return notAStore(`has schema version ${version}, but this seatflow reads version ${supportedVersion} at most: upgrade seatflow to open it`)
  }
  return { _tag: 'Store', viewsOf: schema.meta.get('views_of') }
}

// The SQLite file format (https://www.sqlite.org/fileformat2.html), read just far enough to list the
// tables and the meta rows of a file whose pages are all in the main file (no -wal beside it).
// Anything unexpected answers undefined: SQLite itself is then asked.

type Value = string | number | null

interface Pages {
  readonly read: (page: number) => Buffer | undefined
  /** Usable bytes of a page (page size less the reserved bytes). */
  readonly usable: number
}

const varint = (bytes: Buffer, at: number): readonly [number, number] | undefined => {
  let value = 0
  for (let i = 0; i < 9; i += 1) {
    const byte = bytes[at + i]
    if (byte === undefined) return undefined
    if (i === 8) return [value * 256 + byte, at + 9]
    value = value * 128 + (byte & 0x7f)
    if (byte < 0x80) return [value, at + i + 1]
  }
  return undefined
}

const contentSize = (type: number): number | undefined =>
  type <= 4 ? type : type === 5 ? 6 : type <= 7 ? 8 : type <= 9 ? 0 : type <= 11 ? undefined : Math.floor((type - 12) / 2)

const valueOf = (bytes: Buffer, at: number, type: number, size: number): Value => {
  if (type === 0 || type >= 12 && type % 2 === 0) return null
  if (type >= 13) return bytes.toString('utf8', at, at + size)
  if (type === 8 || type === 9) return type - 8
  if (type === 7) return bytes.readDoubleBE(at)
  return size === 8 ? Number(bytes.readBigInt64BE(at)) : bytes.readIntBE(at, size)
}

/** The first `columns` values of a table b-tree leaf cell, when they lie on this page. */
const cellValues = (page: Buffer, at: number, usable: number, columns: number): ReadonlyArray<Value> | undefined => {
  const payload = varint(page, at)
  const rowid = payload === undefined ? undefined : varint(page, payload[1])
  if (payload === undefined || rowid === undefined) return undefined
  const [size, start] = [payload[0], rowid[1]]
  const most = Math.floor((usable - 12) * 32 / 255) - 23
  const spill = most + (size - most) % (usable - 4)
  const end = start + (size <= usable - 35 ? size : spill <= usable - 35 ? spill : most)
  const header = varint(page, start)
  if (header === undefined) return undefined
  const values: Value[] = []
  let typeAt = header[1]
  let valueAt = start + header[0]
  while (values.length < columns && typeAt < start + header[0]) {
    const type = varint(page, typeAt)
    const length = type === undefined ? undefined : contentSize(type[0])
    if (type === undefined || length === undefined || valueAt + length > end) return undefined
    values.push(valueOf(page, valueAt, type[0], length))
    typeAt = type[1]
    valueAt += length
  }
  return values.length === columns ? values : undefined
}

/** Every row (its first `columns` values) of the table b-tree rooted at `root`. */
const tableRows = (pages: Pages, root: number, columns: number, depth = 0): ReadonlyArray<ReadonlyArray<Value>> | undefined => {
  const page = depth > 20 ? undefined : pages.read(root)
  if (page === undefined) return undefined
  const head = root === 1 ? 100 : 0
  const cells = page.readUInt16BE(head + 3)
  const kind = page[head]
  const pointers = Array.from({ length: cells }, (_, i) => page.readUInt16BE(head + (kind === 0x0d ? 8 : 12) + 2 * i))
  if (kind === 0x0d) {
    const rows = pointers.map((at) => cellValues(page, at, pages.usable, columns))
    return rows.every((row) => row !== undefined) ? rows as ReadonlyArray<ReadonlyArray<Value>> : undefined
  }
  if (kind !== 0x05) return undefined
  const children = [...pointers.map((at) => page.readUInt32BE(at)), page.readUInt32BE(head + 8)]
  const rows = children.map((child) => tableRows(pages, child, columns, depth + 1))
  return rows.every((part) => part !== undefined) ? (rows as ReadonlyArray<ReadonlyArray<ReadonlyArray<Value>>>).flat() : undefined
}

const schemaOf = (pages: Pages): SchemaSeen | undefined => {
  const master = tableRows(pages, 1, 4)
  if (master === undefined) return undefined
  const tables = master.filter(([type, name]) => type === 'table' && typeof name === 'string' && !name.startsWith('sqlite_'))
  const metaRoot = tables.find(([, name]) => name === 'meta')?.[3]
  const metaRows = typeof metaRoot === 'number' && metaRoot > 0 ? tableRows(pages, metaRoot, 2) : []
  if (metaRows === undefined) return undefined
  return {
    tables: tables.map(([, name]) => String(name)),
    meta: new Map(metaRows.flatMap(([key, value]) => (typeof key === 'string' && typeof value === 'string' ? [[key, value] as const] : []))),
  }
}

const sqliteMagic = Buffer.from('SQLite format 3\0', 'latin1')

/** The schema in the main file, read with plain file reads (no lock, no -wal or -shm made). */
const schemaOnDisk = (fd: number, header: Buffer): SchemaSeen | undefined => {
  const sized = header.readUInt16BE(16)
  const pageSize = sized === 1 ? 65536 : sized
  if (header.readUInt32BE(56) > 1 || pageSize < 512) return undefined // UTF-16 text (0: none stored yet): let SQLite read it
  let budget = 10_000 // pages: a damaged file must not send the walk round in circles
  const read = (page: number): Buffer | undefined => {
    budget -= 1
    const bytes = Buffer.alloc(pageSize)
    return budget >= 0 && page >= 1 && readSync(fd, bytes, 0, pageSize, (page - 1) * pageSize) === pageSize ? bytes : undefined
  }
  try {
    return schemaOf({ read, usable: pageSize - (header[20] ?? 0) })
  } catch (error) {
    // A damaged page points outside itself: SQLite will say what is wrong. (Node's errors may come from another realm.)
    if (typeof error === 'object' && error !== null && (error as { readonly name?: unknown }).name === 'RangeError') return undefined
    throw error
  }
}

/**
 * What a path holds, seen with plain file reads only: nothing is created, locked or changed, not
 * even the -wal and -shm files SQLite makes beside a WAL database it opens. Undefined when only
 * SQLite can tell (a -wal file holds pages the main file lacks, or the file is out of the ordinary).
 */
export const peekStoreFile = (path: string, supportedVersion: number): StoreFile | undefined => {
  const stat = statSync(path, { throwIfNoEntry: false })
  if (stat === undefined) return { _tag: 'NoFile' }
  if (stat.isDirectory()) return notAStore('is a folder, not a seatflow store: name the store file')
  if (!stat.isFile()) return notAStore('is not a regular file, so not a seatflow store')
  if (stat.size === 0) return { _tag: 'EmptyFile' }
  const fd = openSync(path, 'r')
  try {
    const header = Buffer.alloc(100)
    if (readSync(fd, header, 0, 100, 0) < 100 || !header.subarray(0, 16).equals(sqliteMagic)) {
      return notAStore('is not a SQLite file, so not a seatflow store: seatflow leaves it as it is')
    }
    if (existsSync(`${path}-wal`)) return undefined
    const schema = schemaOnDisk(fd, header)
    return schema === undefined ? undefined : classifySchema(schema, supportedVersion)
  } finally {
    closeSync(fd)
  }
}
