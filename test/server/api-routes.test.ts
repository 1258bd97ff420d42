import { defaultProviderIds } from '../../src/domain/ids'
import { nonConformities } from './api-document'
import { Service, startService } from './api-support'

const v1 = '/api/v1'
type Json = Readonly<Record<string, unknown>>
const items = (body: unknown): ReadonlyArray<Json> => (body as { readonly items: ReadonlyArray<Json> }).items
const field = (body: unknown, name: string): unknown => (body as Json)[name]

describe.each(['memory', 'sqlite'] as const)('the API at work, on %s', (store) => {
  let s: Service
  beforeEach(async () => { s = await startService({ store }) })
  afterEach(async () => {
    await s.close()
    expect(s.replies.flatMap(nonConformities)).toEqual([])
  })
  const get = (path: string, token = s.tokens.viewer) => s.ask('GET', `${v1}${path}`, { token })

  it('pages the License Change Log by cursor in id order: every change there when paging began comes once, though changes are recorded while paging', async () => {
    for (let i = 0; i < 7; i += 1) await s.awaitingChange(i + 1)
    const before = items((await get('/license-changes?limit=500')).body).map((row) => String(row.licenseChangeId))
    const seen: string[] = []
    let after: string | null = null
    do {
      const page = await get(`/license-changes?limit=3${after === null ? '' : `&after=${after}`}`)
      seen.push(...items(page.body).map((row) => String(row.licenseChangeId)))
      after = field(page.body, 'next') as string | null
      if (seen.length === 3) await s.awaitingChange(99)
    } while (after !== null)
    expect(seen).toEqual([...seen].sort())
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen.filter((id) => before.includes(id))).toEqual(before)
    expect(seen.length).toBeLessThanOrEqual(8)
  })

  it('filters by status, provider (name, id or kind, any case), subscription and time', async () => {
    const manual = await s.awaitingChange()
    const failed = await s.failedChange()
    const ids = async (query: string) => items((await get(`/license-changes?${query}`)).body).map((row) => row.licenseChangeId)
    expect(await ids('status=Failed%20Provisioning')).toEqual([failed.licenseChangeId])
    expect(await ids('provider=MANUAL%20provider')).toEqual([manual.licenseChangeId])
    expect(await ids(`provider=${defaultProviderIds.partnerCenter.toUpperCase()}`)).toEqual([failed.licenseChangeId])
    expect(await ids('provider=automatic')).toEqual([failed.licenseChangeId])
    expect(await ids(`subscriptionId=${manual.subscriptionId}`)).toEqual([manual.licenseChangeId])
    expect(await ids('since=2026-01-06')).toEqual([])
    expect((await ids('since=2026-01-05T09:00:00%2B00:00')).length).toBe(2)
  })

  it('answers one License Change with its trail, and marks it provisioned by a person, on the record', async () => {
    const { licenseChangeId } = await s.awaitingChange()
    const one = await get(`/license-changes/${licenseChangeId.toUpperCase()}`)
    expect(field(one.body, 'licenseChange')).toMatchObject({ licenseChangeId, status: 'Awaiting Provisioning' })
    expect((field(one.body, 'trail') as ReadonlyArray<Json>).map((e) => e.type)).toEqual(['SubscriptionCreated', 'LicenseChangeRecorded', 'ProvisioningRequested'])
    const marked = await s.ask('POST', `${v1}/license-changes/${licenseChangeId}/mark-provisioned`, { token: s.tokens.operator, body: { by: 'Dana', note: 'done in the portal' } })
    expect([marked.status, marked.body]).toEqual([200, { licenseChangeId }])
    const after = await get(`/license-changes/${licenseChangeId}`)
    expect(field(after.body, 'licenseChange')).toMatchObject({ status: 'Provisioned', provisionedBy: 'Dana' })
    expect((field(after.body, 'trail') as ReadonlyArray<Json>).at(-1)).toMatchObject({ type: 'LicenseChangeProvisioned', actor: 'Otto Operator' })
  })

  it('re-queues a failed change, saying why', async () => {
    const { licenseChangeId } = await s.failedChange()
    s.gateway.queue({ _tag: 'TransientFailure', reason: 'busy', retryAfterSeconds: 3600 })
    const requeued = await s.ask('POST', `${v1}/license-changes/${licenseChangeId}/requeue`, { token: s.tokens.operator, body: { by: 'Dana', reason: 'the offer is back' } })
    expect(requeued.status).toBe(200)
    expect(field((await get(`/license-changes/${licenseChangeId}`)).body, 'licenseChange')).toMatchObject({ status: 'Awaiting Provisioning' })
  })

  it('creates a subscription where its Location says, changes its quantity and answers its trail', async () => {
    const created = await s.ask('POST', `${v1}/subscriptions`, { token: s.tokens.operator, body: { product: 'Teams Premium', providerId: defaultProviderIds.manual, quantity: 4, billingContractId: 'BC-5', contractOwnerEmail: 'owner@customer.example' } })
    expect(created.status).toBe(201)
    const location = created.headers.get('location') ?? ''
    expect(location).toBe(`${v1}/subscriptions/${String(field(created.body, 'subscriptionId'))}`)
    expect((await s.ask('GET', location, { token: s.tokens.viewer })).body).toMatchObject({ product: 'Teams Premium', quantity: 4 })
    const changed = await s.ask('POST', `${location}/change-quantity`, { token: s.tokens.operator, body: { quantity: 6 } })
    expect(changed.status).toBe(201)
    expect((await s.ask('GET', changed.headers.get('location') ?? '', { token: s.tokens.viewer })).body).toMatchObject({ licenseChange: { previousQuantity: 4, newQuantity: 6 } })
    expect(items((await s.ask('GET', `${location}/trail`, { token: s.tokens.viewer })).body).map((e) => e.type)).toContain('SubscriptionQuantityChanged')
    expect(items((await get('/subscriptions')).body).map((row) => row.product)).toContain('Teams Premium')
  })

  it('syncs a quantity the provider reports, by the token, and reports drift', async () => {
    const { licenseChangeId, subscriptionId } = await s.failedChange()
    await s.seatflow.requeue({ licenseChangeId, by: 'Dana', reason: 'retry' })
    s.gateway.changeAtProvider(subscriptionId, 9, { changedBy: 'admin@customer.example' })
    const drift = await get('/subscriptions/drift')
    expect(field(drift.body, 'drift')).toEqual([expect.objectContaining({ subscriptionId, providerQuantity: 9, changedBy: 'admin@customer.example' })])
    const before = await s.position()
    const synced = await s.ask('POST', `${v1}/subscriptions/${subscriptionId}/provider-sync`, { token: s.tokens.operator, body: { quantity: 9, changedBy: 'admin@customer.example' } })
    expect(synced.body).toMatchObject({ subscriptionId, outcome: 'recorded', providerQuantity: 9 })
    expect((await s.eventsAfter(before))[0]?.metadata.actor).toBe('Otto Operator')
    const again = await s.ask('POST', `${v1}/subscriptions/${subscriptionId}/provider-sync`, { token: s.tokens.operator, body: { quantity: 9 } })
    expect(again.body).toMatchObject({ outcome: 'unchanged' })
  })

  it('registers, changes and deactivates a provider; a deactivated one takes no subscription', async () => {
    const registered = await s.ask('POST', `${v1}/providers`, { token: s.tokens.admin, body: { name: 'Synnex US', kind: 'Automatic', system: 'Synnex' } })
    expect(registered.status).toBe(201)
    const at = registered.headers.get('location') ?? ''
    expect((await s.ask('PATCH', at, { token: s.tokens.admin, body: { maxAttempts: 7 } })).status).toBe(200)
    expect((await s.ask('GET', at, { token: s.tokens.viewer })).body).toMatchObject({ name: 'Synnex US', configuration: { kind: 'Automatic', system: 'Synnex', maxAttempts: 7 }, active: true })
    expect((await s.ask('POST', `${at}/deactivate`, { token: s.tokens.admin })).status).toBe(200)
    const refused = await s.ask('POST', `${v1}/subscriptions`, { token: s.tokens.operator, body: { product: 'X', providerId: field(registered.body, 'providerId'), billingContractId: 'BC', contractOwnerEmail: 'o@c.example' } })
    expect(refused.body).toMatchObject({ status: 422, tag: 'ProviderDeactivated' })
    expect(items((await get('/providers')).body)).toHaveLength(4)
  })

  it('sets the copied addresses; the same list again records nothing', async () => {
    const body = { addresses: ['licensing@reseller.example', 'finance@reseller.example'] }
    const set = await s.ask('PUT', `${v1}/settings/copied-email-addresses`, { token: s.tokens.admin, body })
    expect(set.body).toMatchObject({ addresses: body.addresses, changedBy: 'Ada Admin' })
    const before = await s.position()
    const again = await s.ask('PUT', `${v1}/settings/copied-email-addresses`, { token: s.tokens.admin, body })
    expect([again.status, again.body]).toEqual([200, set.body])
    expect(await s.position()).toBe(before)
    expect((await get('/settings/copied-email-addresses')).body).toEqual(set.body)
  })

  it('answers the reminders due at a time', async () => {
    const { licenseChangeId } = await s.awaitingChange()
    expect(items((await get('/reminders/due?at=2026-01-05T10:00:00Z')).body)).toEqual([])
    const due = await get('/reminders/due?at=2026-01-06T10:00:00Z')
    expect(field(due.body, 'at')).toBe('2026-01-06T10:00:00.000Z')
    expect(items(due.body)).toEqual([expect.objectContaining({ licenseChangeId, to: 'owner@customer.example', sequence: 1 })])
  })

  it('audits now and as the log stood at a position or a time', async () => {
    await s.awaitingChange()
    const now = await get('/audit/summary')
    expect(now.body).toMatchObject({ moment: { basis: 'now' }, violations: 0, mismatches: 0, summary: { subscriptions: 1 } })
    const early = await get('/audit/summary?position=3')
    expect(early.body).toMatchObject({ moment: { basis: 'position', position: 3 }, events: 3, summary: { subscriptions: 0 } })
    expect(field((await get('/audit/digest')).body, 'digest')).toBe(field(now.body, 'digest'))
    expect(field((await get('/audit/digest?asOf=2026-01-04')).body, 'events')).toBe(0)
    expect(items((await get('/audit/violations')).body)).toEqual([])
    expect(items((await get('/audit/mismatches')).body)).toEqual([])
  })
})
