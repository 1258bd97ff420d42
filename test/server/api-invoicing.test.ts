import { nonConformities } from './api-document'
import { Reply, Service, startService } from './api-support'

const v1 = '/api/v1'
type Json = Readonly<Record<string, unknown>>
const items = (body: unknown): ReadonlyArray<Json> => (body as { readonly items: ReadonlyArray<Json> }).items
const ids = (body: unknown): ReadonlyArray<unknown> => items(body).map((row) => row.licenseChangeId)

describe.each(['memory', 'sqlite'] as const)('invoicing through the API, on %s', (store) => {
  let s: Service
  beforeEach(async () => { s = await startService({ store }) })
  afterEach(async () => {
    await s.close()
    expect(s.replies.flatMap(nonConformities)).toEqual([])
  })
  const run = (billingRunId: string, body?: unknown, headers?: Readonly<Record<string, string>>) =>
    s.ask('POST', `${v1}/invoicing/runs/${encodeURIComponent(billingRunId)}`, { token: s.tokens.operator, body, ...(headers === undefined ? {} : { headers }) })
  const get = (path: string) => s.ask('GET', `${v1}${path}`, { token: s.tokens.viewer })
  const refused = async (ask: () => Promise<Reply>, status: number, tag: string): Promise<Json> => {
    const before = await s.position()
    const reply = await ask()
    expect(reply.body).toMatchObject({ status, tag })
    expect(reply.status).toBe(status)
    expect(await s.position()).toBe(before)
    return reply.body as Json
  }
  /** Three License Changes: two on the first day (one a reduction), one a day later. */
  const threeChanges = async () => {
    const a = await s.awaitingChange(10)
    const b = await s.awaitingChange(4)
    const reduced = await s.seatflow.changeQuantity({ subscriptionId: b.subscriptionId, quantity: 3 })
    s.clock.advanceHours(24)
    const c = await s.awaitingChange(2)
    return { a: a.licenseChangeId, b: b.licenseChangeId, reduced: reduced._tag === 'Right' ? reduced.right.licenseChangeId : '', c: c.licenseChangeId }
  }

  it('answers the Active changes of a period with the seats each bills, oldest first', async () => {
    const { a, b, reduced, c } = await threeChanges()
    const firstDay = await get('/invoicing/active?from=2026-01-05&to=2026-01-06')
    expect(ids(firstDay.body)).toEqual([a, b, reduced])
    expect(items(firstDay.body).map((line) => [line.billableDelta, line.statusReason])).toEqual([[10, 'Active'], [4, 'Active'], [-1, 'Active']])
    expect(ids((await get('/invoicing/active?from=2026-01-06T00:00:00%2B00:00')).body)).toEqual([c])
    expect(ids((await get('/invoicing/active')).body)).toHaveLength(4)
    const bad = await refused(() => get('/invoicing/active?from=yesterday&to=2026-13-45&until=2026-01-01'), 400, 'InvalidRequest')
    expect((bad.problems as ReadonlyArray<string>).map((p) => p.split(':')[0])).toEqual(['from', 'to', 'until'])
  })

  it('pages the Active changes by log position: every line once, in order, though a line is invoiced between pages', async () => {
    const { a, b, reduced, c } = await threeChanges()
    const first = await get('/invoicing/active?limit=2')
    expect(ids(first.body)).toEqual([a, b])
    const next = (first.body as Json).next
    expect(next).toEqual(items(first.body)[1]?.recordedPosition)
    expect((await run('BR-paging', { licenseChangeIds: [a] })).status).toBe(200)
    const second = await get(`/invoicing/active?limit=2&after=${String(next)}`)
    expect([ids(second.body), (second.body as Json).next]).toEqual([[reduced, c], null])
    expect((await get('/invoicing/active?limit=3')).body).toMatchObject({ next: null })
    const bad = await refused(() => get('/invoicing/active?limit=0&after=-1'), 400, 'InvalidRequest')
    expect((bad.problems as ReadonlyArray<string>).map((p) => p.split(':')[0])).toEqual(['limit', 'after'])
  })

  it('marks named changes invoiced by a run: archived, filtered, and a repeated run writes nothing', async () => {
    const { a, b, reduced, c } = await threeChanges()
    const marked = await run('BR-2026-01', { licenseChangeIds: [a, b] })
    expect([marked.status, marked.body]).toEqual([200, { billingRunId: 'BR-2026-01', marked: [a, b], alreadyInRun: [], markedCount: 2, alreadyInRunCount: 0 }])
    expect(ids((await get('/license-changes?statusReason=Archived')).body)).toEqual([a, b].sort())
    expect(ids((await get('/license-changes?statusReason=Active')).body)).toEqual([reduced, c].sort())
    expect(((await get(`/license-changes/${a}`)).body as Json).licenseChange).toMatchObject({ statusReason: 'Archived', billingRunId: 'BR-2026-01', invoicedAt: '2026-01-06T09:00:00.000Z' })
    expect(ids((await get('/invoicing/active')).body)).toEqual([reduced, c])
    expect(ids((await get(`/license-changes?statusReason=Archived&subscriptionId=${String(((await get(`/license-changes/${b}`)).body as Json & { licenseChange: Json }).licenseChange.subscriptionId)}`)).body)).toEqual([b])
    const badFilter = await refused(() => get('/license-changes?statusReason=Invoiced&kind=upgrade'), 400, 'InvalidRequest')
    expect(badFilter.problems).toEqual([
      'statusReason: expected one of Active, Archived; got "Invoiced"', 'kind: expected one of change, cancellation, reactivation; got "upgrade"',
    ])
    const before = await s.position()
    const again = await run('BR-2026-01', { licenseChangeIds: [b, a] })
    expect(again.body).toMatchObject({ marked: [], alreadyInRun: [b, a], markedCount: 0, alreadyInRunCount: 2 })
    expect(await s.position()).toBe(before)
    const other = await refused(() => run('BR-2026-02', { licenseChangeIds: [c, a] }), 422, 'AlreadyInvoiced')
    expect(other.detail).toContain('BR-2026-01')
    expect(ids((await get('/license-changes?statusReason=Active')).body)).toContain(c)
    await refused(() => run('BR-2026-02', { licenseChangeIds: [c, '01a234c0-b0c0-7034-a7e1-000000000000'] }), 404, 'LicenseChangeNotFound')
  })

  it('marks a period\'s Active changes in one request, once per run and once per Idempotency-Key', async () => {
    const { a, b, reduced, c } = await threeChanges()
    const period = { from: '2026-01-05T00:00:00Z', to: '2026-01-06T00:00:00Z' }
    const first = await run('January', period, { 'idempotency-key': 'january-1' })
    expect(first.body).toMatchObject({ marked: [a, b, reduced], markedCount: 3 })
    const before = await s.position()
    const replayed = await run('January', period, { 'idempotency-key': 'january-1' })
    expect([replayed.headers.get('idempotent-replayed'), replayed.body]).toEqual(['true', first.body])
    const repeated = await run('January', period)
    expect(repeated.body).toMatchObject({ marked: [], markedCount: 0 })
    expect(await s.position()).toBe(before)
    await refused(() => run('January', { from: period.from }, { 'idempotency-key': 'january-1' }), 422, 'IdempotencyKeyReused')
    const rest = await run('January', { from: '2026-01-06' })
    expect(rest.body).toMatchObject({ marked: [c] })
    expect(((await get(`/license-changes/${c}`)).body as Json).licenseChange).toMatchObject({ statusReason: 'Archived', billingRunId: 'January' })
    const trail = items((await get(`/subscriptions/${String((((await get(`/license-changes/${c}`)).body as Json).licenseChange as Json).subscriptionId)}/trail`)).body)
    expect(trail.at(-1)).toMatchObject({ actor: 'Otto Operator' })
  })

  it('names every bad part of a billing run request and writes nothing', async () => {
    const { a } = await threeChanges()
    const listed = await refused(() => run('BR-1', { licenseChangeIds: ['nope', a] }), 400, 'InvalidCommand')
    expect(listed.problems).toEqual([expect.stringMatching(/^licenseChangeIds/)])
    await refused(() => run('BR-1', { licenseChangeIds: [] }), 400, 'InvalidCommand')
    const period = await refused(() => run('BR-1', { from: 'last month', to: 5 }), 400, 'InvalidRequest')
    expect((period.problems as ReadonlyArray<string>).map((p) => p.split(':')[0])).toEqual(['from', 'to'])
    const backwards = await refused(() => run('BR-1', { from: '2026-02-01', to: '2026-01-01' }), 400, 'InvalidRequest')
    expect(backwards.problems).toEqual(['to: must be after from'])
    await refused(() => run('BR-1', {}), 400, 'InvalidRequest')
    await refused(() => run('BR-1', { licenseChangeIds: [a], from: '2026-01-01' }), 400, 'InvalidRequest')
    const runId = await refused(() => run('BR\r\n1', { licenseChangeIds: [a] }), 400, 'InvalidRequest')
    expect(runId.problems).toEqual([expect.stringMatching(/^billingRunId: must not contain control characters/)])
    await refused(() => run(' BR-1', { licenseChangeIds: [a] }), 400, 'InvalidRequest')
    await refused(() => run('BR\u202e1-RB', { licenseChangeIds: [a] }), 400, 'InvalidRequest')
    const long = await refused(() => run('x'.repeat(201), { licenseChangeIds: [a] }), 400, 'InvalidRequest')
    expect(long.problems).toEqual(['billingRunId: must be at most 200 characters (got 201)'])
    expect((await run('\u{1F9FE}'.repeat(200), { licenseChangeIds: [a] })).body).toMatchObject({ markedCount: 1 })
    const tooLong = await refused(() => run('x'.repeat(2_501), { licenseChangeIds: [a] }), 400, 'BadUrl')
    expect(JSON.stringify(tooLong)).not.toContain('xxxx')
    await refused(() => s.ask('POST', `${v1}/invoicing/runs/%E0%A4%A`, { token: s.tokens.operator, body: { licenseChangeIds: [a] } }), 400, 'BadUrl')
  })

  it('keeps a hostile billing run id as text, in the answer and the events', async () => {
    const { a } = await threeChanges()
    const hostile = '</script><img src=x onerror=alert(1)>'
    const before = await s.position()
    const marked = await run(hostile, { licenseChangeIds: [a] })
    expect([marked.status, marked.headers.get('content-type')]).toEqual([200, 'application/json; charset=utf-8'])
    expect(marked.body).toMatchObject({ billingRunId: hostile })
    expect((await s.eventsAfter(before)).map((e) => e.data)).toEqual([expect.objectContaining({ licenseChangeId: a, billingRunId: hostile })])
  })
})
