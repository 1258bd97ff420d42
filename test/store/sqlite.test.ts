import Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import { openSqliteStorage } from '../../src/store/sqlite'
import { UnreadableRowError } from '../../src/store/rows'
import { collectAll, newEvent, storeContract } from './contract'

let dir: string
let files = 0
const freshFile = (): string => { files += 1; return path.join(dir, `store-${files}.sqlite`) }

beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-sqlite-')) })
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }) })

const corruptFile = (file: string) => async (_storage: unknown, streamId: string, revision: number): Promise<void> => {
  const raw = new Database(file)
  raw.prepare("UPDATE events SET data = '{not json' WHERE stream_id = ? AND revision = ?").run(streamId, revision)
  raw.close()
}

let contractFile = ''
storeContract('sqlite file', () => openSqliteStorage(contractFile = freshFile()), {
  duplicateIds: 'port', corrupt: (storage, streamId, revision) => corruptFile(contractFile)(storage, streamId, revision),
})
// A second connection cannot reach a :memory: database to damage it: the undecodable case runs on the file.
storeContract('sqlite :memory:', () => openSqliteStorage(':memory:'), { duplicateIds: 'port' })

describe('sqlite storage', () => {
  it('keeps events, rows and checkpoints across close and reopen', async () => {
    const file = freshFile()
    const first = openSqliteStorage(file)
    const event = newEvent({ data: { kept: true } })
    await first.events.append('s', 'no_stream', [event])
    first.views.update('p', (tx) => { tx.put('v', 'k', { kept: true }); return 1 })
    await first.close()
    await first.close()
    const second = openSqliteStorage(file)
    expect(await second.events.readStream('s')).toEqual([{ ...event, streamId: 's', revision: 0, position: 1 }])
    expect(second.views.get('v', 'k')).toEqual({ kept: true })
    expect(second.views.checkpoint('p')).toBe(1)
    await second.close()
  })

  it('sets the configured synchronous level and WAL on every open', async () => {
    const file = freshFile()
    await openSqliteStorage(file, { synchronous: 'NORMAL' }).close()
    const normal = openSqliteStorage(file, { synchronous: 'NORMAL' })
    expect(normal.pragmas()).toEqual({ journalMode: 'wal', synchronous: 1, busyTimeout: 5000, foreignKeys: true, viewsSynchronous: 1 })
    await normal.close()
    const full = openSqliteStorage(file)
    expect(full.pragmas()).toMatchObject({ synchronous: 2, viewsSynchronous: 1 })
    expect(full.describe).toContain('FULL')
    full.views.update('p', (tx) => { tx.put('v', 'k', { through: 'views connection' }); return 1 })
    const reader = openSqliteStorage(file)
    expect(reader.views.get('v', 'k')).toEqual({ through: 'views connection' })
    await reader.close()
    await full.close()
    const raw = new Database(file)
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal')
    raw.close()
  })

  it('stores schema version 1 and refuses a file with a newer one', async () => {
    const file = freshFile()
    await openSqliteStorage(file).close()
    const raw = new Database(file)
    expect(raw.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe('1')
    raw.prepare("UPDATE meta SET value = '2' WHERE key = 'schema_version'").run()
    raw.close()
    expect(() => openSqliteStorage(file)).toThrow(/schema version 2.*upgrade seatflow/)
  })

  it('throws UnreadableRowError naming the event when a row holds broken JSON', async () => {
    const file = freshFile()
    const storage = openSqliteStorage(file)
    await storage.events.append('good', 'no_stream', [newEvent()])
    await storage.events.append('broken', 'no_stream', [newEvent(), newEvent({ type: 'Broken' })])
    const raw = new Database(file)
    raw.prepare("UPDATE events SET data = '{not json' WHERE stream_id = 'broken' AND revision = 1").run()
    raw.close()
    const failure = await collectAll(storage.events).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(UnreadableRowError)
    expect(failure).toMatchObject({ streamId: 'broken', revision: 1, position: 3, eventType: 'Broken' })
    expect((failure as Error).message).toMatch(/Broken at stream broken revision 1 \(position 3\).*data is not valid JSON/)
    await expect(storage.events.readStream('broken')).rejects.toBeInstanceOf(UnreadableRowError)
    await storage.close()
  })

  it('lets one of two connections win an append for the same revision', async () => {
    const file = freshFile()
    const one = openSqliteStorage(file)
    const two = openSqliteStorage(file)
    await one.events.append('s', 'no_stream', [newEvent()])
    const results = await Promise.all([one.events.append('s', 0, [newEvent()]), two.events.append('s', 0, [newEvent()])])
    expect(results.filter(E.isRight)).toHaveLength(1)
    expect(results.find(E.isLeft)).toEqual(E.left({ _tag: 'WrongExpectedRevision', streamId: 's', expected: 0, actual: 1 }))
    expect(await two.events.readStream('s')).toHaveLength(2)
    await Promise.all([one.close(), two.close()])
  })

  it('shows a view update on one connection the checkpoint another stored', async () => {
    const file = freshFile()
    const one = openSqliteStorage(file)
    const two = openSqliteStorage(file)
    one.views.update('p', (tx) => { tx.put('v', 'k', 1); return 4 })
    let seen = -1
    two.views.update('p', (tx, checkpoint) => { seen = checkpoint; tx.put('v', 'k', 2); return 5 })
    expect(seen).toBe(4)
    expect(one.views.checkpoint('p')).toBe(5)
    expect(one.views.get('v', 'k')).toBe(2)
    await Promise.all([one.close(), two.close()])
  })
})
