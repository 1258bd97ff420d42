import Database from 'better-sqlite3'
import { chmodSync, closeSync, copyFileSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSeatflow } from '../../src/app/seatflow'
import { openSqliteStorage } from '../../src/store/sqlite'
import { cli, cliReading } from '../support/cli'
import { cliAsOtherUser } from '../support/cliProcess'
import { fileState, isAbsent, notStores } from '../support/files'

const someId = '0b5e9d1c-4f7a-4b8e-9a51-3c2d1e0f9a87'

/** Every command, with the flags that make it do its work. */
const commandLines: ReadonlyArray<ReadonlyArray<string>> = [
  ['log'], ['log', '--format', 'csv'], ['reminders'], ['reminders', '--send'], ['audit'], ['trail', '--subscription', someId],
  ['export'], ['provision', '--change', someId, '--by', 'Dana'], ['demo'], ['import'],
]

/** The three ways to name a SQLite file: --db, a bare --store path, and a sqlite: URL. */
const namings = (path: string): ReadonlyArray<ReadonlyArray<string>> => [['--store', path], ['--db', path], ['--store', `sqlite:${path}`]]

/** Raw counts of what a store holds, read behind seatflow's back. */
const contentsOf = (path: string) => {
  const db = new Database(path, { readonly: true })
  try {
    const count = (sql: string): unknown => db.prepare(sql).pluck().get()
    return {
      events: count('SELECT count(*) FROM events'), rows: count('SELECT count(*) FROM view_rows'),
      checkpoints: db.prepare('SELECT name, position FROM checkpoints ORDER BY name').all(),
    }
  } finally { db.close() }
}

describe('a store is a store: the CLI and the files it is given', () => {
  let folder: string
  let store: string
  let exported: string
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'seatflow-store-files-'))
    store = join(folder, 'demo.db')
    expect((await cli('demo', '--db', store)).code).toBe(0)
    exported = (await cli('export', '--db', store)).out
  })
  afterAll(() => rmSync(folder, { recursive: true, force: true }))

  const runOn = (argv: ReadonlyArray<string>) => cliReading(argv[0] === 'import' ? exported : undefined, ...argv)

  describe('every command refuses what is not a seatflow store, in one line naming it, and leaves it as it was', () => {
    let fixtures: ReadonlyArray<readonly [string, string]> = []
    beforeAll(() => { fixtures = notStores(mkdtempSync(join(folder, 'not-stores-'))) })
    const kinds = ["another application's SQLite file", "another application's SQLite file in WAL mode",
      "another application's SQLite file with a meta table of its own", 'an empty (0-byte) file', 'a folder', 'a file that is not SQLite']

    test.each(kinds)('%s', async (kind) => {
      const path = fixtures.find(([name]) => name === kind)?.[1] as string
      const before = fileState(path)
      for (const command of commandLines) {
        for (const naming of namings(path)) {
          const result = await runOn([...command, ...naming])
          expect({ argv: [...command, ...naming], code: result.code, lines: result.err.split('\n').length }).toEqual({ argv: [...command, ...naming], code: 2, lines: 1 })
          expect(result.err).toContain(`seatflow: ${path} `)
          expect(result.err).toMatch(/not a seatflow store|not SQLite/)
          expect(fileState(path)).toEqual(before)
        }
      }
    })
  })

  test('a path where nothing is: every command but demo and import refuses it, a bare --store path exactly as --db, and nothing is created', async () => {
    const path = join(folder, 'does-not-exist.db')
    for (const command of commandLines.filter(([name]) => name !== 'demo' && name !== 'import')) {
      for (const naming of namings(path)) {
        const result = await runOn([...command, ...naming])
        expect({ argv: [...command, ...naming], made: !isAbsent(path) }).toEqual({ argv: [...command, ...naming], made: false })
        expect(result).toMatchObject({ code: 2, err: `seatflow: no seatflow store at ${path}: check the path` })
      }
    }
  })

  test('a refused import leaves no file where there was none, and leaves an existing store as it was', async () => {
    const bad = exported.split('\n').map((line, i) => (i === 5 ? '{"broken":' : line)).join('\n')
    for (const naming of namings(join(folder, 'fresh-import.db'))) {
      const refused = await cliReading(bad, 'import', ...naming)
      expect(refused).toMatchObject({ code: 1, err: expect.stringMatching(/^seatflow: line 6: not a JSON object .*; nothing was imported$/) })
      expect(isAbsent(join(folder, 'fresh-import.db'))).toBe(true)
    }
    const before = contentsOf(store)
    expect(await cliReading(bad, 'import', '--db', store)).toMatchObject({ code: 1 })
    expect(existsSync(store)).toBe(true)
    expect(contentsOf(store)).toEqual(before)
    const good = join(folder, 'good-import.db')
    expect(await cliReading(exported, 'import', '--store', good)).toMatchObject({ code: 0, out: 'imported 55 of 55 event(s)' })
  })

  test('log, reminders, audit, trail and export change nothing in a store: no byte of its file, no event, no view', async () => {
    const copy = join(folder, 'read-only-commands.db')
    copyFileSync(store, copy)
    const empty = join(folder, 'no-events-yet.db')
    await openSqliteStorage(empty).close()
    for (const path of [copy, empty]) {
      const before = { file: fileState(path).file, contents: contentsOf(path) }
      for (const command of [['log'], ['log', '--json'], ['reminders', '--now', '2026-02-01T00:00:00Z'], ['audit'], ['trail', '--subscription', someId], ['export']]) {
        const result = await runOn([...command, '--db', path])
        expect(result.code === 0 || (command[0] === 'trail' && result.code === 1)).toBe(true)
        expect({ file: fileState(path).file, contents: contentsOf(path) }).toEqual(before)
      }
    }
    expect(contentsOf(empty).events).toBe(0) // no default providers were written
    expect((await cli('log', '--db', empty)).out).toBe('(no License Changes)')
  })

  test('when the stored views lag the events (another process appended), log and reminders still show the current state, and the file keeps its views', async () => {
    const path = join(folder, 'lagging.db')
    copyFileSync(store, path)
    const rows = JSON.parse((await cli('log', '--db', path, '--json')).out) as Array<{ licenseChangeId: string; status: string; providerKind: string }>
    const awaiting = rows.filter((row) => row.status === 'Awaiting Provisioning' && row.providerKind === 'Manual')
    expect(awaiting.length).toBeGreaterThan(0)
    const writer = await createSeatflow({ store: `sqlite:${path}`, autoProcess: false })
    for (const row of awaiting) expect((await writer.markProvisioned({ licenseChangeId: row.licenseChangeId, by: 'Dana' }))._tag).toBe('Right')
    await writer.close()
    const lagging = contentsOf(path)
    expect(lagging.checkpoints).toContainEqual({ name: 'views', position: 55 })
    expect(lagging.events).toBe(55 + awaiting.length)

    const now = JSON.parse((await cli('log', '--db', path, '--json')).out) as typeof rows
    expect(now.filter((row) => awaiting.some((a) => a.licenseChangeId === row.licenseChangeId)).map((row) => row.status))
      .toEqual(awaiting.map(() => 'Provisioned'))
    expect(JSON.parse((await cli('reminders', '--db', path, '--now', '2026-03-01T00:00:00Z', '--json')).out)).toEqual([])
    expect(contentsOf(path)).toEqual(lagging)
  })

  test('a read-only command on an EventStoreDB store makes no views file', async () => {
    const { startStandIn } = await import('../support/eventstoredb/server')
    const standIn = await startStandIn()
    try {
      const views = join(folder, 'esdb-views.db')
      const url = `${standIn.url}&views=${views}`
      for (const command of [['log'], ['reminders'], ['audit'], ['export']]) {
        expect(await cli(...command, '--store', url)).toMatchObject({ code: 0 })
      }
      expect(isAbsent(views)).toBe(true)
      expect(await cliReading(exported, 'import', '--store', url)).toMatchObject({ code: 0, out: 'imported 55 of 55 event(s)' })
      const log = JSON.parse((await cli('log', '--store', url, '--json')).out) as unknown[]
      expect(log).toHaveLength(13)
    } finally {
      await standIn.stop()
    }
  })

  test('a damaged store is one line naming it and saying to restore it', async () => {
    const path = join(folder, 'damaged.db')
    copyFileSync(store, path)
    const fd = openSync(path, 'r+')
    writeSync(fd, Buffer.alloc(4096 * 8, 0xa5), 0, 4096 * 8, 4096)
    closeSync(fd)
    for (const command of [['log'], ['audit'], ['provision', '--change', someId, '--by', 'Dana']]) {
      const result = await cli(...command, '--db', path)
      expect(result).toMatchObject({ code: 1, err: expect.stringMatching(new RegExp(`^seatflow: ${path} is damaged \\(.+\\): restore it from a backup$`)) })
    }
  })

  test('a store locked by another process is one line naming it; readers are not held up', async () => {
    const path = join(folder, 'locked.db')
    copyFileSync(store, path)
    const holder = new Database(path)
    holder.exec('BEGIN IMMEDIATE')
    try {
      expect((await cli('log', '--db', path)).code).toBe(0)
      const blocked = await cli('provision', '--db', path, '--change', someId, '--by', 'Dana')
      expect(blocked).toMatchObject({ code: 1, err: `seatflow: ${path} is locked by another process (database is locked): try again once that process is done` })
    } finally {
      holder.exec('ROLLBACK')
      holder.close()
    }
  })

  test('a store this user may only read: read-only commands work, writing ones say so in one line naming the file', async () => {
    const shared = mkdtempSync(join(folder, 'shared-'))
    const path = join(shared, 'store.db')
    copyFileSync(store, path)
    chmodSync(path, 0o444)
    chmodSync(shared, 0o777)
    const locked = mkdtempSync(join(folder, 'locked-folder-'))
    const inLocked = join(locked, 'store.db')
    copyFileSync(store, inLocked)
    chmodSync(locked, 0o755)
    chmodSync(folder, 0o755)
    const before = fileState(path).file
    const [log, provision, inReadOnlyFolder] = await cliAsOtherUser([
      ['log', '--db', path, '--json'], ['provision', '--db', path, '--change', someId, '--by', 'Dana'], ['log', '--db', inLocked]])
    expect(log?.code).toBe(0)
    expect(JSON.parse(log?.out ?? '')).toHaveLength(13)
    expect(provision).toEqual({ code: 1, out: '', err: `seatflow: ${path} is read-only for this user (the file is not writable: EACCES): make the file and its folder writable, or open it read-only` })
    expect(inReadOnlyFolder).toMatchObject({ code: 1, err: expect.stringMatching(new RegExp(`^seatflow: ${inLocked} is in a folder this user cannot write \\(.+\\): SQLite needs ${inLocked}-wal and ${inLocked}-shm beside a WAL file even to read it; make the folder writable, or copy the store to one that is$`)) })
    expect(fileState(path).file).toEqual(before)
  }, 60_000)
})
