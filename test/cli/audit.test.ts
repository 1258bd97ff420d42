import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { createSeatflow } from '../../src/app/seatflow'
import { logColumns } from '../../src/cli/log'
import { Io, run } from '../../src/cli/main'
import { defaultProviderIds } from '../../src/domain/ids'
import { openStorage } from '../../src/store/open'
import { right, subscription, withoutAtomicAppends } from '../support/app'

const cli = async (argv: ReadonlyArray<string>, extra: Partial<Io> = {}) => {
  let raw = ''
  const err: string[] = []
  const progress: string[] = []
  const code = await run(argv, {
    out: (text) => { raw += `${text}\n` }, write: (chunk) => { raw += chunk }, err: (text) => err.push(text),
    errRaw: (text) => progress.push(text), ...extra,
  })
  return { code, raw, out: raw.replace(/\n$/, ''), err: err.join('\n'), progress: progress.join('') }
}

/** A clock for progress rates: a second passes at every look. */
const ticking = () => { let ms = 0; return () => (ms += 1000) }

/** RFC 4180 records: quoted fields may hold commas, quotes (doubled) and line breaks. */
const parseCsv = (text: string): string[][] => {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1 } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') { record.push(field); field = '' } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field); records.push(record); record = []; field = ''; i += 1
    } else field += c
  }
  return records
}

type Row = { licenseChangeId: string; subscriptionId: string; status: string; provider: string; providerKind: string; recordedAt: string; message: string }

describe('the auditor\'s commands', () => {
  let folder: string
  let db: string
  let rows: ReadonlyArray<Row>
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'seatflow-audit-cli-'))
    db = join(folder, 'demo.db')
    expect((await cli(['demo', '--db', db])).code).toBe(0)
    rows = JSON.parse((await cli(['log', '--db', db, '--json'])).out) as Row[]
  })
  afterAll(() => rmSync(folder, { recursive: true, force: true }))

  test('log --format csv: a header, one RFC 4180 record a License Change, CRLF line ends', async () => {
    const { code, raw } = await cli(['log', '--db', db, '--format', 'csv'])
    expect(code).toBe(0)
    expect(raw.endsWith('\r\n')).toBe(true)
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/(?<!")\n/)
    const [header, ...records] = parseCsv(raw)
    expect(header).toEqual(logColumns)
    expect(records).toHaveLength(rows.length)
    const message = logColumns.indexOf('message')
    expect(records.map((r) => r[message])).toEqual(rows.map((r) => r.message))
    expect(raw).toContain('"') // messages with commas are quoted
  })

  test('log filters by status, provider (name, id or kind) and time, in every format', async () => {
    const json = async (...flags: string[]) => JSON.parse((await cli(['log', '--db', db, '--json', ...flags])).out) as Row[]
    expect(await json('--status', 'Provisioned')).toEqual(rows.filter((r) => r.status === 'Provisioned'))
    expect(await json('--status', 'awaiting provisioning')).toEqual(rows.filter((r) => r.status === 'Awaiting Provisioning'))
    expect(await json('--provider', 'Manual')).toEqual(rows.filter((r) => r.providerKind === 'Manual'))
    const one = rows[0] as Row
    expect(await json('--provider', one.provider)).toEqual(rows.filter((r) => r.provider === one.provider))
    const since = rows[Math.floor(rows.length / 2)]?.recordedAt as string
    const later = await json('--since', since)
    expect(later).toEqual(rows.filter((r) => r.recordedAt >= since))
    expect(later.length).toBeLessThan(rows.length)
    const csv = parseCsv((await cli(['log', '--db', db, '--format', 'csv', '--status', 'Failed Provisioning'])).raw)
    expect(csv).toHaveLength(1 + rows.filter((r) => r.status === 'Failed Provisioning').length)
    expect((await cli(['log', '--db', db, '--status', 'Provisioned'])).out).not.toContain('Awaiting Provisioning')
  })

  test('log refuses bad flags with a usage error', async () => {
    expect(await cli(['log', '--db', db, '--status', 'Done'])).toMatchObject({ code: 2, err: expect.stringContaining('--status must be one of "Not Applicable"') })
    expect(await cli(['log', '--db', db, '--since', 'yesterday'])).toMatchObject({ code: 2, err: expect.stringContaining('--since "yesterday" is not an ISO-8601 time') })
    expect(await cli(['log', '--db', db, '--since', '2026-01-05'])).toMatchObject({ code: 2 })
    expect(await cli(['log', '--db', db, '--format', 'xml'])).toMatchObject({ code: 2, err: 'seatflow: --format must be table, json or csv, not "xml"' })
    expect(await cli(['log', '--db', db, '--json', '--format', 'csv'])).toMatchObject({ code: 2 })
    expect(await cli(['log', '--db', db, '--provider', ' '])).toMatchObject({ code: 2 })
  })

  test('audit --as-of and --position replay up to that moment', async () => {
    const whole = JSON.parse((await cli(['audit', '--db', db, '--json'])).out) as { events: number; digest: string }
    const early = await cli(['audit', '--db', db, '--json', '--as-of', '2026-01-05T09:00:00Z'])
    expect(early.code).toBe(0)
    const report = JSON.parse(early.out) as { events: number; position: number; digest: string; moment: unknown }
    expect(report.moment).toEqual({ basis: 'recorded time', time: '2026-01-05T09:00:00.000Z' })
    expect(report.events).toBeGreaterThan(0)
    expect(report.events).toBeLessThan(whole.events)
    const same = JSON.parse((await cli(['audit', '--db', db, '--json', '--position', String(report.position)])).out) as { digest: string }
    expect(same.digest).toBe(report.digest)
    const text = await cli(['audit', '--db', db, '--as-of', '2026-01-05T09:00:00+00:00'])
    expect(text.out).toContain(`by recorded time (up to the last event recorded at or before it: position ${report.position})`)
    expect(text.out).toContain('License Change Log mismatches: none')
    expect(text.out).toMatch(/License Changes: \d+ \(Not Applicable \d+, Awaiting Provisioning \d+, Provisioned \d+, Failed Provisioning \d+\)/)
  })

  test('audit refuses a bad moment with a usage error', async () => {
    expect(await cli(['audit', '--db', db, '--as-of', '2026-01-05T09:00:00Z', '--position', '3'])).toMatchObject({ code: 2, err: 'seatflow: give --as-of or --position, not both' })
    expect(await cli(['audit', '--db', db, '--position', '-1'])).toMatchObject({ code: 2 })
    expect(await cli(['audit', '--db', db, '--position', '2.5'])).toMatchObject({ code: 2, err: 'seatflow: --position must be a whole number from 0, got "2.5"' })
    expect(await cli(['audit', '--db', db, '--as-of', 'last week'])).toMatchObject({ code: 2 })
  })

  test('audit lists License Change Log mismatches with the difference, and exits 1', async () => {
    const file = join(folder, 'mismatch.db')
    const app = await createSeatflow({ store: withoutAtomicAppends(openStorage(`sqlite:${file}`)), autoProcess: false })
    const created = right(await app.createSubscription(subscription('Visio', defaultProviderIds.manual, 3)))
    await app.close()
    const { code, out } = await cli(['audit', '--db', file])
    expect(code).toBe(1)
    expect(out).toContain('License Change Log mismatches: 1')
    expect(out).toMatch(new RegExp(`${created.subscriptionId}\\s+Visio\\s+3\\s+0\\s+3\\s+0`))
    expect(out).toContain(`subscription ${created.subscriptionId}: quantity 3 but its License Changes add up to 0 (difference 3)`)
  })

  test('trail of a subscription and of a License Change, as a table and as JSON', async () => {
    const failed = rows.find((r) => r.status === 'Failed Provisioning') as Row
    const table = await cli(['trail', '--db', db, '--subscription', failed.subscriptionId])
    expect(table.code).toBe(0)
    expect(table.out.split('\n')[0]).toMatch(/^Position\s+Time\s+Event\s+Actor\s+Caused by\s+License Change\s+Result$/)
    expect(table.out).toContain('SubscriptionCreated')
    expect(table.out).toMatch(/LicenseChangeRecorded\s+seatflow\s+SubscriptionCreated [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\s/)
    const json = JSON.parse((await cli(['trail', '--db', db, '--change', failed.licenseChangeId, '--json'])).out) as Array<{ type: string; result: string; licenseChangeId: string | null }>
    expect(json[0]?.type).toMatch(/^Subscription(Created|QuantityChanged)$/)
    expect(json[json.length - 1]).toMatchObject({ licenseChangeId: failed.licenseChangeId, result: 'Failed Provisioning' })
  })

  test('trail refuses what it cannot follow', async () => {
    const id = '0b5e9d1c-4f7a-4b8e-9a51-3c2d1e0f9a87'
    expect(await cli(['trail', '--db', db])).toMatchObject({ code: 2, err: 'seatflow: give --subscription ID or --change ID' })
    expect(await cli(['trail', '--db', db, '--subscription', id, '--change', id])).toMatchObject({ code: 2 })
    expect(await cli(['trail', '--db', db, '--change', 'LC-7'])).toMatchObject({ code: 2, err: 'seatflow: --change must be the id of a License Change (a uuid), not "LC-7"' })
    expect(await cli(['trail', '--db', db, '--subscription', id])).toMatchObject({ code: 1, err: `seatflow: subscription ${id} does not exist` })
  })

  test('export, import into a fresh file, audit both: the same digest; a second import writes nothing', async () => {
    const exported = await cli(['export', '--db', db])
    expect(exported.code).toBe(0)
    const lines = exported.raw.trim().split('\n')
    expect(lines).toHaveLength(55)
    const copy = join(folder, 'copy.db')
    const first = await cli(['import', '--db', copy], { input: Readable.from([exported.raw]) })
    expect(first).toMatchObject({ code: 0, out: 'imported 55 of 55 event(s)' })
    const again = await cli(['import', '--db', copy], { input: Readable.from([exported.raw]) })
    expect(again).toMatchObject({ code: 0, out: 'imported 0 of 55 event(s); 55 were there already' })
    const digest = async (file: string) => (JSON.parse((await cli(['audit', '--db', file, '--json'])).out) as { digest: string }).digest
    expect(await digest(copy)).toBe(await digest(db))
    expect((await cli(['export', '--db', db, '--from', '40'])).raw.trim().split('\n')).toEqual(lines.slice(39))
  })

  test('import of a bad export writes nothing and names the line', async () => {
    const exported = (await cli(['export', '--db', db])).raw.split('\n')
    exported[2] = '{"broken":'
    const target = join(folder, 'bad.db')
    const failed = await cli(['import', '--db', target], { input: Readable.from([exported.join('\n')]) })
    expect(failed.code).toBe(1)
    expect(failed.err).toMatch(/^seatflow: line 3: not a JSON object \(.+\); nothing was imported$/)
    expect(await cli(['audit', '--db', target, '--json'])).toMatchObject({ code: 2, err: `seatflow: no seatflow store at ${target}: check the path` })
    expect(await cli(['import', '--db', target])).toMatchObject({ code: 2, err: 'seatflow: pipe an export into import: seatflow import --store URL < events.ndjson' })
    expect(await cli(['export', '--db', db, '--from', '0'])).toMatchObject({ code: 2 })
  })

  test('long replays show progress on stderr only when it is a terminal', async () => {
    const quiet = await cli(['audit', '--db', db], { errIsTTY: false, now: ticking() })
    expect(quiet).toMatchObject({ code: 0, err: '', progress: '' })
    const shown = await cli(['audit', '--db', db], { errIsTTY: true, now: ticking() })
    expect(shown.code).toBe(0)
    expect(shown.progress).toMatch(/\rreplaying: 55 events, \d+ events\/s, 0 s left/)
    expect(shown.out).not.toContain('events/s')
    const exported = await cli(['export', '--db', db], { errIsTTY: true, now: ticking() })
    expect(exported.progress).toContain('exporting: 55 events')
    expect(exported.err).toBe('exported 55 event(s) up to position 55')
    expect((await cli(['export', '--db', db], { errIsTTY: false })).err).toBe('')
  })
})
