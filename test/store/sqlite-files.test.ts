import Database from 'better-sqlite3'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStorage } from '../../src/store/open'
import { openSqliteStorage } from '../../src/store/sqlite'
import { NotAStoreError, ReadOnlyStoreError, Storage } from '../../src/store/storage'
import { fileState, isAbsent, notStores, otherApplicationDatabase } from '../support/files'
import { collectAll, ContractContext, newEvent } from './contract'
import { viewContract } from './contract-views'

let folder: string
let files = 0
const fresh = (name = 'store'): string => { files += 1; return join(folder, `${name}-${files}.db`) }
beforeAll(() => { folder = mkdtempSync(join(tmpdir(), 'seatflow-store-files-')) })
afterAll(() => rmSync(folder, { recursive: true, force: true }))

/** A store with two events and a view row at checkpoint 1, closed. */
const storeWithEvents = async (): Promise<string> => {
  const path = fresh()
  const storage = openSqliteStorage(path)
  await storage.events.append('s', 'no_stream', [newEvent(), newEvent()])
  storage.views.update('p', (tx) => { tx.put('v', 'a', { n: 1 }); return 1 })
  await storage.close()
  return path
}

describe('opening a SQLite store checks what is at the path first', () => {
  test.each(['create', 'write', 'read'] as const)('with access %s, anything that is not a store is refused by name and left exactly as it was', (access) => {
    for (const [kind, path] of notStores(mkdtempSync(join(folder, `not-stores-${access}-`)))) {
      if (kind === 'an empty (0-byte) file' && access === 'create') continue
      const before = fileState(path)
      const refused = (() => { try { openStorage(`sqlite:${path}`, { access }); return undefined } catch (error) { return error } })()
      expect({ kind, refused }).toEqual({ kind, refused: expect.any(NotAStoreError) })
      expect((refused as Error).message.startsWith(`${path} `)).toBe(true)
      expect(fileState(path)).toEqual(before)
    }
  })

  test('a library caller still gets a new store at a new path, and at an empty file or an empty SQLite database', async () => {
    const blank = fresh('blank')
    const raw = new Database(blank)
    raw.pragma('user_version = 7')
    raw.close()
    const empty = fresh('empty')
    writeFileSync(empty, '')
    for (const path of [fresh('new'), empty, blank]) {
      const storage = openStorage(path)
      await storage.events.append('s', 'no_stream', [newEvent()])
      await storage.close()
      const again = openStorage(`sqlite:${path}`, { access: 'write' })
      expect(await collectAll(again.events)).toHaveLength(1)
      await again.close()
    }
  })

  test('write and read access need a store: a missing path is refused and not made', () => {
    const path = fresh('missing')
    expect(() => openStorage(path, { access: 'write' })).toThrow(new NotAStoreError(path, `no seatflow store at ${path}: check the path`))
    expect(() => openStorage(`sqlite:${path}`, { access: 'read' })).toThrow(`no seatflow store at ${path}: check the path`)
    expect(isAbsent(path)).toBe(true)
    expect(() => openStorage(join(folder, 'no-such-folder', 'x.db'))).toThrow(`cannot make a store at ${join(folder, 'no-such-folder', 'x.db')}: its folder does not exist`)
  })

  test("openSqliteStorage itself refuses another application's file in WAL mode, and makes no -wal or -shm beside it", () => {
    const path = otherApplicationDatabase(fresh('late'), 'wal')
    const before = fileState(path)
    expect(() => openSqliteStorage(path)).toThrow(/is a SQLite database of another application \(tables: notes\)/)
    expect(fileState(path)).toEqual(before)
  })
})

describe('a storage opened read-only', () => {
  test('refuses appends, saying it is opened read-only, and writes no byte to the file', async () => {
    const path = await storeWithEvents()
    const before = fileState(path).file
    const storage = openStorage(`sqlite:${path}`, { access: 'read' })
    expect(storage.readOnly).toBe(true)
    await expect(storage.events.append('s', 1, [newEvent()])).rejects.toThrow(new ReadOnlyStoreError(path))
    await expect(storage.events.append('s', 1, [newEvent()])).rejects.toThrow(`${path} is opened read-only`)
    expect(await collectAll(storage.events)).toHaveLength(2)
    await storage.close()
    expect(fileState(path).file).toEqual(before)
  })

  test('keeps view writes in memory on top of the stored views: the file keeps its own', async () => {
    const path = await storeWithEvents()
    const storage = openStorage(path, { access: 'read' })
    expect(storage.views.get('v', 'a')).toEqual({ n: 1 })
    storage.views.update('p', (tx, checkpoint) => {
      expect(checkpoint).toBe(1)
      expect(tx.get('v', 'a')).toEqual({ n: 1 })
      tx.put('v', 'b', { n: 2 })
      tx.delete('v', 'a')
      return 2
    })
    expect(storage.views.rows('v')).toEqual([{ n: 2 }])
    expect(storage.views.checkpoint('p')).toBe(2)
    storage.views.reset(['v'], ['p'])
    expect(storage.views.rows('v')).toEqual([])
    expect(storage.views.checkpoint('p')).toBe(0)
    await storage.close()
    const again = openSqliteStorage(path, { access: 'write' })
    expect(again.views.rows('v')).toEqual([{ n: 1 }])
    expect(again.views.checkpoint('p')).toBe(1)
    await again.close()
  })

  test('reads the store as it stood when opened, while another connection appends', async () => {
    const path = await storeWithEvents()
    const reader = openStorage(path, { access: 'read' })
    const writer = openSqliteStorage(path)
    await writer.events.append('s', 1, [newEvent()])
    expect(await reader.events.lastPosition()).toBe(2)
    expect(await reader.events.readStream('s')).toHaveLength(2)
    await reader.close()
    const later = openStorage(path, { access: 'read' })
    expect(await later.events.lastPosition()).toBe(3)
    await Promise.all([later.close(), writer.close()])
  })

  test('refuses a views file and a newer schema without changing them', async () => {
    const views = fresh('views')
    await openStorage(`esdb://127.0.0.1:1?tls=false&views=${views}`).close()
    const newer = await storeWithEvents()
    const raw = new Database(newer)
    raw.prepare("UPDATE meta SET value = '2' WHERE key = 'schema_version'").run()
    raw.close()
    const before = [fileState(views).file, fileState(newer).file]
    expect(() => openStorage(views, { access: 'read' })).toThrow(/holds only the views of the events at esdb:\/\/127\.0\.0\.1:1\//)
    expect(() => openStorage(newer, { access: 'read' })).toThrow(/has schema version 2, but this seatflow reads version 1 at most: upgrade seatflow to open it/)
    expect([fileState(views).file, fileState(newer).file]).toEqual(before)
  })

  test('of EventStoreDB makes no views file, reads one that is there, and refuses the views of another namespace', async () => {
    const views = fresh('esdb-views')
    const url = `esdb://127.0.0.1:1?tls=false&views=${views}&namespace=a/`
    const reader = openStorage(url, { access: 'read' })
    expect(reader.readOnly).toBe(true)
    expect(reader.describe).toBe('eventstoredb 127.0.0.1:1 namespace a/ (read-only), views in memory')
    await expect(reader.events.append('s', 'no_stream', [newEvent()])).rejects.toThrow('eventstoredb 127.0.0.1:1 namespace a/ is opened read-only')
    await reader.close()
    expect(isAbsent(views)).toBe(true)
    const writer = openStorage(url)
    writer.views.update('p', (tx) => { tx.put('v', 'k', 'stored'); return 3 })
    await writer.close()
    const again = openStorage(url, { access: 'read' })
    expect(again.views.rows('v')).toEqual(['stored'])
    await again.close()
    expect(() => openStorage(url.replace('namespace=a/', 'namespace=b/'), { access: 'read' })).toThrow(/holds the views of esdb:\/\/127\.0\.0\.1:1\/a\/, not of esdb:\/\/127\.0\.0\.1:1\/b\//)
  })

  describe('meets the view part of the store contract', () => {
    let storage: Storage | undefined
    beforeEach(async () => {
      const path = fresh('contract')
      await openSqliteStorage(path).close()
      storage = openStorage(path, { access: 'read' })
    })
    afterEach(async () => { await storage?.close() })
    const context: ContractContext = {
      storage: () => { if (storage === undefined) throw new Error('no storage open'); return storage },
      events: () => context.storage().events,
      options: { duplicateIds: 'port' },
    }
    viewContract(context)
  })
})
