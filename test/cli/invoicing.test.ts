import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSeatflow } from '../../src/app/seatflow'
import { invoiceColumns } from '../../src/cli/invoicing'
import { defaultProviderIds } from '../../src/domain/ids'
import { createSimulatedClock } from '../../src/providers/clock'
import { holdsForbidden } from '../hostile/arbitraries'
import { parseCsv } from '../hostile/outputs'
import { right, subscription } from '../support/app'
import { cli, cliReading } from '../support/cli'
import { fileState, isAbsent } from '../support/files'
import { eventCount, logRows } from '../support/weekly'

/** Names a spreadsheet, a terminal or a browser would act on, had they come out raw. */
const hostileProduct = "=cmd|' /C calc'!A0\r\n<script>alert(1)</script>\tend"
const hostileProvider = '+SUM(1)\r\n@evil\t"quoted", comma'
const january = ['--from', '2026-01-01T00:00:00+01:00', '--to', '2026-02-01T00:00:00Z']

const untouched = (db: string) => ({ file: fileState(db).file, mail: fileState(db)['-mail'] })

/**
 * A store with License Changes recorded on 5, 10 and 20 January and 3 February 2026. Commands refuse
 * control characters in names, but a log may hold them (an import, an older version): the hostile
 * product and provider are written through an export whose names are then replaced, and imported.
 */
const buildStore = async (folder: string): Promise<{ readonly db: string; readonly teams: string; readonly hostile: string }> => {
  const clock = createSimulatedClock('2026-01-05T09:00:00Z')
  const source = join(folder, 'source.db')
  const host = await createSeatflow({ store: `sqlite:${source}`, autoProcess: true, clock })
  const teams = right(await host.createSubscription(subscription('Teams', defaultProviderIds.doNothing, 5))).subscriptionId
  clock.set('2026-01-10T09:00:00Z')
  const { providerId } = right(await host.registerProvider({ name: 'HOSTILE_PROVIDER', kind: 'Do Nothing' }))
  const hostile = right(await host.createSubscription(subscription('HOSTILE_PRODUCT', providerId, 2))).subscriptionId
  clock.set('2026-01-20T09:00:00Z')
  right(await host.changeQuantity({ subscriptionId: teams, quantity: 7 }))
  clock.set('2026-02-03T09:00:00Z')
  right(await host.changeQuantity({ subscriptionId: teams, quantity: 4 }))
  await host.close()
  const inJson = (text: string): string => JSON.stringify(text).slice(1, -1)
  const exported = (await cli('export', '--db', source)).out
    .replaceAll('HOSTILE_PRODUCT', inJson(hostileProduct)).replaceAll('HOSTILE_PROVIDER', inJson(hostileProvider))
  const db = join(folder, 'seatflow.db')
  expect(await cliReading(exported, 'import', '--db', db)).toMatchObject({ code: 0 })
  return { db, teams, hostile }
}

describe('invoice-export and invoice-mark', () => {
  let folder: string
  let store: Awaited<ReturnType<typeof buildStore>>
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'seatflow-invoicing-'))
    store = await buildStore(folder)
  })
  afterAll(() => rmSync(folder, { recursive: true, force: true }))

  test('hostile names come out as inert text in the subscriptions and providers tables and JSON', async () => {
    const table = await cli('subscriptions', '--db', store.db)
    expect(table.code).toBe(0)
    expect(table.out.split('\n')).toHaveLength(4)
    expect(table.out.split('\n').some(holdsForbidden)).toBe(false)
    expect(table.out).toContain('\\u000d\\u000a<script>')
    const rows = JSON.parse((await cli('subscriptions', '--db', store.db, '--json')).out) as Array<{ product: string; provider: string }>
    expect(rows.map((row) => [row.product, row.provider])).toEqual([['Teams', 'Do Nothing Provider'], [hostileProduct, hostileProvider]])
    const providers = await cli('providers', '--db', store.db)
    expect(providers.out.split('\n')).toHaveLength(6)
    expect(providers.out.split('\n').some(holdsForbidden)).toBe(false)
    const raw = (await cli('providers', '--db', store.db, '--json')).out
    expect(holdsForbidden(raw.replace(/\n/g, ''))).toBe(false)
    expect((JSON.parse(raw) as Array<{ name: string }>).map((row) => row.name)).toContain(hostileProvider)
  })

  test('invoice-export writes the Active changes of the period as CSV: the header, neutralised cells, nothing else; it changes nothing', async () => {
    const before = untouched(store.db)
    const exported = await cli('invoice-export', '--db', store.db, ...january)
    expect(exported.code).toBe(0)
    const [header, ...records] = parseCsv(`${exported.out}\n`)
    expect(header).toEqual(invoiceColumns)
    const cell = (record: ReadonlyArray<string> | undefined, column: string): string => record?.[invoiceColumns.indexOf(column as never)] ?? ''
    expect(records.map((record) => [cell(record, 'subscriptionId'), cell(record, 'recordedAt'), cell(record, 'billableDelta'), cell(record, 'statusReason')])).toEqual([
      [store.teams, '2026-01-05T09:00:00.000Z', '5', 'Active'],
      [store.hostile, '2026-01-10T09:00:00.000Z', '2', 'Active'],
      [store.teams, '2026-01-20T09:00:00.000Z', '2', 'Active'],
    ])
    expect(records.flat().filter((text) => /^[=+\-@\t\r]/.test(text))).toEqual([])
    expect(cell(records[1], 'product')).toBe(`'${hostileProduct}`)
    expect(cell(records[1], 'provider')).toBe(`'${hostileProvider}`)
    const json = JSON.parse((await cli('invoice-export', '--db', store.db, ...january, '--json')).out) as Array<Record<string, unknown>>
    expect(json.map((line) => [line.product, line.delta, line.billableDelta])).toEqual([['Teams', 5, 5], [hostileProduct, 2, 2], ['Teams', 2, 2]])
    expect(untouched(store.db)).toEqual(before)
  })

  test('invoice-mark marks the period once per billing run: a second run of it marks nothing, and the export is empty after', async () => {
    const first = await cli('invoice-mark', '--db', store.db, '--run', 'BR-2026-01', ...january)
    expect(first).toEqual({ code: 0, err: '', out: 'billing run BR-2026-01: marked 3 License Change(s) invoiced; 0 already invoiced by this run' })
    const again = JSON.parse((await cli('invoice-mark', '--db', store.db, '--run', 'BR-2026-01', ...january, '--json')).out) as { marked: unknown[]; alreadyInRun: unknown[] }
    expect([again.marked.length, again.alreadyInRun.length]).toEqual([0, 3])
    expect((await cli('invoice-export', '--db', store.db, ...january)).out).toBe(`${invoiceColumns.join(',')}\r`)
    const archived = (await logRows(store.db)).filter((row) => row.statusReason === 'Archived')
    expect(archived.map((row) => row.billingRunId)).toEqual(['BR-2026-01', 'BR-2026-01', 'BR-2026-01'])
  })

  test('invoice-mark by id: another run cannot take a change that is invoiced, the same run counts it as already in', async () => {
    const rows = await logRows(store.db)
    const january = rows.find((row) => row.statusReason === 'Archived')?.licenseChangeId ?? ''
    const february = rows.find((row) => row.statusReason === 'Active')?.licenseChangeId ?? ''
    const events = await eventCount(store.db)
    const other = await cli('invoice-mark', '--db', store.db, '--run', 'BR-2026-02', '--change', february, '--change', january)
    expect(other).toEqual({ code: 1, out: '', err: expect.stringMatching(new RegExp(`^seatflow: .*${january}.*BR-2026-01`)) as unknown })
    expect(await eventCount(store.db)).toBe(events)
    expect((await cli('invoice-mark', '--db', store.db, '--run', 'BR-2026-01', '--change', january)).out).toBe('billing run BR-2026-01: marked 0 License Change(s) invoiced; 1 already invoiced by this run')
    const marked = JSON.parse((await cli('invoice-mark', '--db', store.db, '--run', 'BR-2026-02', '--change', february, '--json')).out) as unknown
    expect(marked).toEqual({ billingRunId: 'BR-2026-02', marked: [february], alreadyInRun: [] })
  })

  test('a bad period, run or change is one usage line before the store is opened', async () => {
    const missing = join(folder, 'never-made.db')
    expect(await cli('invoice-export', '--db', missing, '--from', '2026-01-01T00:00:00Z')).toEqual({ code: 2, out: '', err: 'seatflow: --to is required' })
    expect(await cli('invoice-export', '--db', missing, '--from', '2026-01-01', '--to', '2026-02-01T00:00:00Z')).toEqual({ code: 2, out: '', err: 'seatflow: --from "2026-01-01" is not an ISO-8601 time with its offset (e.g. 2026-01-06T09:00:00Z)' })
    expect(await cli('invoice-export', '--db', missing, '--from', '2026-02-01T00:00:00Z', '--to', '2026-01-01T00:00:00Z')).toEqual({ code: 2, out: '', err: 'seatflow: --to 2026-01-01T00:00:00Z must come after --from 2026-02-01T00:00:00Z' })
    expect(await cli('invoice-mark', '--db', missing, ...january)).toEqual({ code: 2, out: '', err: 'seatflow: --run is required' })
    expect(await cli('invoice-mark', '--db', missing, '--run', 'R')).toEqual({ code: 2, out: '', err: 'seatflow: give the period (--from ISO --to ISO) or the License Changes (--change ID, repeated): one of them' })
    expect(await cli('invoice-mark', '--db', missing, '--run', 'R', '--change', 'LC-1')).toEqual({ code: 2, out: '', err: 'seatflow: --change must be the id of a License Change (a uuid), not "LC-1"' })
    expect(await cli('provision', '--db', missing, '--change', store.teams, '--change', store.teams, '--by', 'Dana')).toEqual({ code: 2, out: '', err: 'seatflow: --change is given twice: give it once' })
    expect(isAbsent(missing)).toBe(true)
  })
})
