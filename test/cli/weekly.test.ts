import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSeatflow } from '../../src/app/seatflow'
import { defaultProviderIds } from '../../src/domain/ids'
import { createMemoryMailer } from '../../src/providers/mail'
import { right, subscription } from '../support/app'
import { cli } from '../support/cli'
import { fileState, isAbsent } from '../support/files'
import { eventCount, logRows, scriptedGatewayModule } from '../support/weekly'

const unknownId = '0b5e9d1c-4f7a-4b8e-9a51-3c2d1e0f9a87'

/** What a read-only command must leave as it was: the store file byte for byte and the mail folder (SQLite may add its -wal and -shm). */
const untouched = (db: string) => ({ file: fileState(db).file, mail: fileState(db)['-mail'] })

describe('the CLI for the weekly work, on one SQLite file', () => {
  let folder: string
  let db: string
  let gateway: ReturnType<typeof scriptedGatewayModule>
  const ids = { teams: '', planner: '', visio: '', parent: '', child: '' }

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'seatflow-weekly-'))
    db = join(folder, 'seatflow.db')
    gateway = scriptedGatewayModule(folder)
    const host = await createSeatflow({ store: `sqlite:${db}`, autoProcess: false, mailer: createMemoryMailer() })
    ids.teams = right(await host.createSubscription(subscription('Teams', defaultProviderIds.partnerCenter, 5))).subscriptionId
    ids.planner = right(await host.createSubscription(subscription('Planner', defaultProviderIds.partnerCenter, 2))).subscriptionId
    ids.visio = right(await host.createSubscription(subscription('Visio', defaultProviderIds.manual, 3))).subscriptionId
    ids.parent = right(await host.createSubscription(subscription('Office Bundle', defaultProviderIds.doNothing, 2))).subscriptionId
    ids.child = right(await host.createSubscription({ ...subscription('Exchange', defaultProviderIds.doNothing, 6), bundle: { parentId: ids.parent, multiplier: 3 } })).subscriptionId
    await host.close()
  })
  afterAll(() => rmSync(folder, { recursive: true, force: true }))

  test('subscriptions and providers list what is there, as a table and as JSON, and change nothing', async () => {
    const before = untouched(db)
    const table = await cli('subscriptions', '--db', db)
    expect(table.code).toBe(0)
    expect(table.out.split('\n')[0]).toMatch(/^Subscription +Product +Provider +Quantity +Status +Bundle parent$/)
    expect(table.out).toMatch(new RegExp(`${ids.child} +Exchange +Do Nothing Provider +6 +Active +${ids.parent} x3`))
    const rows = JSON.parse((await cli('subscriptions', '--db', db, '--json')).out) as Array<Record<string, unknown>>
    expect(rows.map((row) => row.product)).toEqual(['Teams', 'Planner', 'Visio', 'Office Bundle', 'Exchange'])
    expect(rows[0]).toMatchObject({ subscriptionId: ids.teams, provider: 'Partner Center', providerId: defaultProviderIds.partnerCenter, quantity: 5, status: 'Active', bundle: null })
    expect(rows[4]).toMatchObject({ bundle: { parentId: ids.parent, multiplier: 3 } })
    const providers = JSON.parse((await cli('providers', '--db', db, '--json')).out) as Array<Record<string, unknown>>
    expect(providers.map((row) => [row.name, row.kind, row.active])).toEqual(expect.arrayContaining([
      ['Do Nothing Provider', 'Do Nothing', true], ['Manual Provider', 'Manual', true], ['Partner Center', 'Automatic', true],
    ]))
    expect((await cli('providers', '--db', db)).out).toMatch(/Partner Center +Automatic +yes +Partner Center API, \d+ attempts/)
    expect(untouched(db)).toEqual(before)
  })

  test('process sends the mails and calls the gateways once, then says when to run again', async () => {
    gateway.script({ quantities: {}, answers: { Teams: { _tag: 'PermanentFailure', reason: 'seat limit reached' }, Planner: { _tag: 'TransientFailure', reason: 'busy', retryAfterSeconds: 3600 } } })
    const first = await cli('process', '--db', db, '--gateways', gateway.module)
    expect(first).toMatchObject({ code: 0, err: '' })
    expect(first.out).toContain('sent 1 provisioning request, tried 2 automatic changes, 0 mail failures, 0 held back by an earlier change')
    const due = /next attempt due at (\S+)$/.exec(first.out)?.[1]
    expect(Date.parse(due ?? '') - Date.now()).toBeGreaterThan(3_000_000)
    expect(readdirSync(`${db}-mail`).filter((name) => name.endsWith('.eml'))).toHaveLength(1)
    const again = JSON.parse((await cli('process', '--db', db, '--gateways', gateway.module, '--json')).out) as Record<string, unknown>
    expect(again).toMatchObject({ requestsSent: 0, changesTried: 0, mailFailures: [], nextAttemptAt: due })
    expect(again.scheduled).toHaveLength(1)
    const rows = await logRows(db)
    expect(rows.find((row) => row.subscriptionId === ids.teams)).toMatchObject({ status: 'Failed Provisioning' })
    expect(rows.find((row) => row.subscriptionId === ids.planner)).toMatchObject({ status: 'Awaiting Provisioning' })
  })

  test('process without gateways says which changes wait for one', async () => {
    const run = await cli('process', '--db', db)
    expect(run.code).toBe(0)
    expect(run.out).toContain('tried 0 automatic changes')
  })

  test('requeue puts a failed change back on the queue; a change that did not fail, or none, is refused in one line', async () => {
    const rows = await logRows(db)
    const teams = rows.find((row) => row.subscriptionId === ids.teams)?.licenseChangeId ?? ''
    const visio = rows.find((row) => row.subscriptionId === ids.visio)?.licenseChangeId ?? ''
    const events = await eventCount(db)
    const notFailed = await cli('requeue', '--db', db, '--change', visio, '--by', 'Dana', '--reason', 'try again')
    expect(notFailed).toMatchObject({ code: 1, out: '' })
    expect(notFailed.err).toMatch(new RegExp(`^seatflow: .*${visio}.*Awaiting Provisioning`))
    expect((await cli('requeue', '--db', db, '--change', unknownId, '--by', 'Dana', '--reason', 'x')).code).toBe(1)
    expect(await cli('requeue', '--db', db, '--change', teams, '--by', 'Dana')).toEqual({ code: 2, out: '', err: 'seatflow: --reason is required' })
    expect(await eventCount(db)).toBe(events)
    const requeued = await cli('requeue', '--db', db, '--change', teams, '--by', 'Dana', '--reason', 'seats freed', '--json')
    expect(requeued.code).toBe(0)
    expect(JSON.parse(requeued.out)).toEqual({ licenseChangeId: teams, status: 'Awaiting Provisioning', by: 'Dana', reason: 'seats freed' })
    gateway.script({ quantities: {}, answers: {} })
    expect((await cli('process', '--db', db, '--gateways', gateway.module)).out).toContain('tried 1 automatic change,')
    expect((await logRows(db)).find((row) => row.licenseChangeId === teams)).toMatchObject({ status: 'Provisioned' })
  })

  test('sync records the quantity a provider reports once, as a Not Applicable change from the provider', async () => {
    const synced = await cli('sync', '--db', db, '--subscription', ids.teams, '--quantity', '9', '--changed-by', 'admin@tenant.example', '--changed-at', '2026-01-06T10:00:00+01:00', '--json')
    expect(synced.code).toBe(0)
    const result = JSON.parse(synced.out) as Record<string, unknown>
    expect(result).toMatchObject({ subscriptionId: ids.teams, outcome: 'recorded', seatflowQuantity: 5, providerQuantity: 9 })
    expect((await logRows(db)).find((row) => row.licenseChangeId === result.licenseChangeId)).toMatchObject({ status: 'Not Applicable', origin: 'provider', previousQuantity: 5, newQuantity: 9 })
    const same = await cli('sync', '--db', db, '--subscription', ids.teams, '--quantity', '9')
    expect(same).toEqual({ code: 0, err: '', out: `subscription ${ids.teams}: the provider has 9, as seatflow does; nothing recorded` })
    expect(await cli('sync', '--db', db, '--subscription', unknownId, '--quantity', '9')).toEqual({ code: 1, out: '', err: expect.stringMatching(new RegExp(`^seatflow: subscription ${unknownId} `)) as unknown })
  })

  test('drift reads the providers through the gateways and shows what a sync would record, writing nothing', async () => {
    gateway.script({ quantities: { [ids.teams]: 11 }, answers: {} })
    const before = untouched(db)
    const without = await cli('drift', '--db', db)
    expect(without).toEqual({ code: 0, err: '', out: '(no drift)\n(no provider was read: give --gateways MODULE to read the automatic providers)' })
    const table = await cli('drift', '--db', db, '--gateways', gateway.module)
    expect(table.out).toMatch(new RegExp(`${ids.teams} +Teams +9 +11 +admin@tenant.example +2026-01-06T10:00:00.000Z +9 -> 11, Not Applicable, from the provider`))
    const report = JSON.parse((await cli('drift', '--db', db, '--gateways', gateway.module, '--json')).out) as { drift: unknown[]; failed: unknown[] }
    expect(report.drift).toEqual([expect.objectContaining({ subscriptionId: ids.teams, seatflowQuantity: 9, providerQuantity: 11, waitingFor: null })])
    // Planner cannot be read by this provider: it is named, and the exit code says so.
    expect(report.failed).toEqual([{ subscriptionId: ids.planner, reason: expect.stringContaining('does not know') as unknown }])
    expect(untouched(db)).toEqual(before)
  })

  test('sync --all reads every Automatic subscription through the gateways and records what changed there', async () => {
    gateway.script({ quantities: { [ids.teams]: 11, [ids.planner]: 2 }, answers: {} })
    const run = await cli('sync', '--db', db, '--all', '--gateways', gateway.module)
    expect(run.code).toBe(0)
    expect(run.out).toContain(`subscription ${ids.teams}: recorded the provider's quantity 11 (was 9)`)
    expect(run.out.split('\n').at(-1)).toBe('read 2 subscription(s): 1 recorded, 1 unchanged or explained; 0 could not be read')
    const report = JSON.parse((await cli('sync', '--db', db, '--all', '--gateways', gateway.module, '--json')).out) as { results: Array<{ outcome: string }>; failed: unknown[] }
    expect(report.results.map((result) => result.outcome)).toEqual(['unchanged', 'unchanged'])
    expect(await cli('sync', '--db', db, '--all')).toEqual({ code: 2, out: '', err: 'seatflow: --gateways is required' })
    expect((await cli('sync', '--db', db, '--all', '--quantity', '3', '--gateways', gateway.module)).code).toBe(2)
  })

  test('a bad flag, value or gateways module is one usage line, and no store is opened or made', async () => {
    const missing = join(folder, 'never-made.db')
    const usage = async (...argv: string[]) => {
      const result = await cli(...argv)
      expect(isAbsent(missing)).toBe(true)
      return result
    }
    expect(await usage('sync', '--db', missing, '--subscription', ids.teams, '--quantity', '-1')).toEqual({ code: 2, out: '', err: 'seatflow: --quantity must be a whole number from 0, got "-1"' })
    expect(await usage('sync', '--db', missing, '--subscription', ids.teams, '--quantity', 'ten')).toEqual({ code: 2, out: '', err: 'seatflow: --quantity must be a whole number from 0, got "ten"' })
    expect(await usage('sync', '--db', missing, '--subscription', ids.teams, '--quantity', '3', '--changed-at', '2026-01-06T10:00:00')).toEqual({ code: 2, out: '', err: 'seatflow: --changed-at "2026-01-06T10:00:00" is not an ISO-8601 time with its offset (e.g. 2026-01-06T09:00:00Z)' })
    expect(await usage('sync', '--db', missing, '--subscription', ids.teams, '--quantity', '3', '--gateways', gateway.module)).toEqual({ code: 2, out: '', err: 'seatflow: --gateways goes with --all (sync --all --gateways MODULE)' })
    expect(await usage('sync', '--db', missing, '--quantity', '3')).toEqual({ code: 2, out: '', err: 'seatflow: --subscription is required' })
    expect(await usage('requeue', '--db', missing, '--change', 'LC-1', '--by', 'Dana', '--reason', 'x')).toEqual({ code: 2, out: '', err: 'seatflow: --change must be the id of a License Change (a uuid), not "LC-1"' })
    for (const command of ['process', 'drift']) {
      const result = await usage(command, '--db', missing, '--gateways', join(folder, 'no-such-module.js'))
      expect(result).toMatchObject({ code: 2, out: '', err: expect.stringMatching(/^seatflow: --gateways ".*no-such-module.js" could not be loaded \(a CommonJS module exporting gateways\): /) })
      expect(result.err.split('\n')).toHaveLength(1)
    }
    expect(await usage('subscriptions', '--db', missing, '--all')).toEqual({ code: 2, out: '', err: 'seatflow: subscriptions does not take --all' })
    expect(await usage('providers', '--db', missing)).toEqual({ code: 2, out: '', err: `seatflow: no seatflow store at ${missing}: check the path` })
  })

  test('the usage names every weekly command with its flags', async () => {
    const { code, out } = await cli('--help')
    expect(code).toBe(0)
    for (const command of ['requeue', 'subscriptions', 'providers', 'sync', 'drift', 'process', 'move', 'suspend', 'reactivate', 'cancel', 'invoice-export', 'invoice-mark']) {
      expect(out).toMatch(new RegExp(`\\n  ${command} +--db FILE`))
    }
  })

  test('sync --all names each subscription it could not read, and exits 1', async () => {
    gateway.script({ quantities: { [ids.teams]: 11 }, answers: {} })
    const run = await cli('sync', '--db', db, '--all', '--gateways', gateway.module)
    expect(run.code).toBe(1)
    expect(run.err).toBe(`seatflow: subscription ${ids.planner} could not be read or synced: the provider does not know subscription ${ids.planner}`)
  })
})
