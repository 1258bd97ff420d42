import Database from 'better-sqlite3'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cli } from '../support/cli'

const statuses = ['Not Applicable', 'Awaiting Provisioning', 'Provisioned', 'Failed Provisioning']


describe('the seatflow CLI', () => {
  let folder: string
  let db: string
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'seatflow-cli-'))
    db = join(folder, 'demo.db')
    const demo = await cli('demo', '--db', db)
    expect(demo.code).toBe(0)
    for (const status of statuses) expect(demo.out).toContain(status)
    expect(demo.out).toContain('Reminder: 2 License Changes await provisioning')
    expect(demo.out).toContain('0 violation(s)')
  })
  afterAll(() => rmSync(folder, { recursive: true, force: true }))

  test('the demo writes every email it sends as a file beside the store', () => {
    expect(readdirSync(`${db}-mail`).filter((name) => name.endsWith('.eml'))).toHaveLength(8)
  })

  test('log --json gives one array of rows in the documented shape', async () => {
    const { code, out } = await cli('log', '--db', db, '--json')
    expect(code).toBe(0)
    const rows = JSON.parse(out) as Array<Record<string, unknown>>
    expect(rows).toHaveLength(13)
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(expect.arrayContaining([
        'licenseChangeId', 'subscriptionId', 'provider', 'providerKind', 'previousQuantity', 'newQuantity', 'delta',
        'status', 'recordedAt', 'provisionedAt', 'provisionedBy', 'remindersSent',
      ]))
      expect(statuses).toContain(row.status)
      expect(['Do Nothing', 'Manual', 'Automatic']).toContain(row.providerKind)
      expect(row.delta).toBe((row.newQuantity as number) - (row.previousQuantity as number))
      expect(row.provisionedAt === null).toBe(row.status !== 'Provisioned')
    }
  })

  test('audit --json reports events, a digest that is equal run after run, and no violations', async () => {
    const first = JSON.parse((await cli('audit', '--db', db, '--json')).out)
    const second = await cli('audit', '--db', db, '--json')
    expect(second.code).toBe(0)
    expect(JSON.parse(second.out)).toEqual(first)
    expect(first).toMatchObject({ events: 55, position: 55, moment: { basis: 'now' }, digest: expect.stringMatching(/^[0-9a-f]{64}$/), violations: [], mismatches: [] })
  })

  test('reminders lists what is due and --send sends and records it once', async () => {
    const due = JSON.parse((await cli('reminders', '--db', db, '--now', '2026-01-08T12:00:00Z', '--json')).out) as unknown[]
    expect(due).toHaveLength(2)
    const sent = await cli('reminders', '--db', db, '--now', '2026-01-08T12:00:00Z', '--send')
    expect(sent).toMatchObject({ code: 0, out: 'sent 2 reminder(s)' })
    expect(JSON.parse((await cli('reminders', '--db', db, '--now', '2026-01-08T12:00:00Z', '--json')).out)).toEqual([])
  })

  test('provision marks a Manual change and refuses a second time in one line', async () => {
    const rows = JSON.parse((await cli('log', '--db', db, '--json')).out) as Array<{ licenseChangeId: string; status: string; providerKind: string }>
    const awaiting = rows.find((row) => row.status === 'Awaiting Provisioning' && row.providerKind === 'Manual')
    if (awaiting === undefined) throw new Error('the demo leaves a Manual change awaiting')
    expect((await cli('provision', '--db', db, '--change', awaiting.licenseChangeId, '--by', 'Dana')).code).toBe(0)
    const again = await cli('provision', '--db', db, '--change', awaiting.licenseChangeId, '--by', 'Dana')
    expect(again.code).toBe(1)
    expect(again.err).toBe(`seatflow: License Change ${awaiting.licenseChangeId} is Provisioned, not Awaiting Provisioning; nothing was recorded`)
  })

  test('user mistakes get one line on stderr and a non-zero exit, never a stack', async () => {
    expect(await cli('log')).toMatchObject({ code: 2, err: 'seatflow: name the store with --db FILE (or --store URL)' })
    expect(await cli('log', '--db', join(folder, 'missing.db'))).toMatchObject({ code: 2, err: `seatflow: no seatflow store at ${join(folder, 'missing.db')}: check the path` })
    expect(await cli('frobnicate', '--db', db)).toMatchObject({ code: 2, err: 'seatflow: unknown command "frobnicate"' })
    expect((await cli('log', '--db', db, '--colour')).code).toBe(2)
    expect(await cli('reminders', '--db', db, '--now', 'tomorrow')).toMatchObject({ code: 2 })
    const invalid = await cli('provision', '--db', db, '--change', 'not-a-uuid', '--by', 'Dana')
    expect(invalid.code).toBe(2)
    expect(invalid.err).toBe('seatflow: --change must be the id of a License Change (a uuid), not "not-a-uuid"')
  })

  test('an unreadable stored event stops log and audit with its stream, revision, position and type', async () => {
    const broken = join(folder, 'broken.db')
    expect((await cli('demo', '--db', broken)).code).toBe(0)
    const sqlite = new Database(broken)
    const row = sqlite.prepare("SELECT position, stream_id, revision FROM events WHERE type = 'SubscriptionQuantityChanged' ORDER BY position LIMIT 1").get() as { position: number; stream_id: string; revision: number }
    sqlite.prepare("UPDATE events SET data = json_set(data, '$.newQuantity', -4) WHERE position = ?").run(row.position)
    // The live views were built before the damage; forget them so that log must rebuild them from the log.
    sqlite.exec('DELETE FROM view_rows; DELETE FROM checkpoints')
    sqlite.close()
    for (const command of ['audit', 'log']) {
      const { code, err } = await cli(command, '--db', broken)
      expect(code).toBe(1)
      expect(err.split('\n')).toHaveLength(1)
      expect(err).toContain(`SubscriptionQuantityChanged at stream ${row.stream_id} revision ${row.revision} (position ${row.position})`)
      expect(err).toContain('-4')
    }
  })
})
