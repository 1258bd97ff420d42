import { defaultProviderIds } from '../../src/domain/ids'
import { nonConformities } from './api-document'
import { Reply, Service, startService } from './api-support'

const v1 = '/api/v1'
type Json = Readonly<Record<string, unknown>>
const hostile = '</script><img src=x onerror=alert(1)>'

describe.each(['memory', 'sqlite'] as const)('the subscription lifecycle through the API, on %s', (store) => {
  let s: Service
  beforeEach(async () => { s = await startService({ store }) })
  afterEach(async () => {
    await s.close()
    expect(s.replies.flatMap(nonConformities)).toEqual([])
  })
  const post = (path: string, body?: unknown) => s.ask('POST', `${v1}${path}`, { token: s.tokens.operator, body })
  const get = async (path: string): Promise<Json> => (await s.ask('GET', `${v1}${path}`, { token: s.tokens.viewer })).body as Json
  /** A request the service refuses: its status and problem, and nothing written. */
  const refused = async (ask: () => Promise<Reply>, status: number, tag: string): Promise<Json> => {
    const before = await s.position()
    const reply = await ask()
    expect({ status: reply.status, type: reply.headers.get('content-type') }).toEqual({ status, type: 'application/problem+json; charset=utf-8' })
    expect(reply.body).toMatchObject({ status, tag })
    expect(await s.position()).toBe(before)
    return reply.body as Json
  }

  it('refuses a move while a change is unresolved, naming it; with withdrawal it moves and the change ends withdrawn', async () => {
    const { subscriptionId, licenseChangeId } = await s.awaitingChange()
    const problem = await refused(() => post(`/subscriptions/${subscriptionId}/move`, { providerId: defaultProviderIds.doNothing }), 422, 'UnresolvedChangesBlockMove')
    expect(problem).toMatchObject({ licenseChangeIds: [licenseChangeId] })
    expect(String(problem.detail)).toContain(licenseChangeId)
    const moved = await post(`/subscriptions/${subscriptionId}/move`, { providerId: defaultProviderIds.doNothing, withdrawUnresolved: true })
    expect([moved.status, moved.body]).toEqual([200, {
      subscriptionId, fromProviderId: defaultProviderIds.manual, toProviderId: defaultProviderIds.doNothing, withdrawn: [licenseChangeId], drift: null, providerRead: 'not asked',
    }])
    expect((await get(`/license-changes/${licenseChangeId}`)).licenseChange).toMatchObject({ status: 'Failed Provisioning', withdrawnTo: defaultProviderIds.doNothing })
    expect(await get(`/subscriptions/${subscriptionId}`)).toMatchObject({ providerId: defaultProviderIds.doNothing, status: 'Active', suspendedReason: null })
  })

  it('refuses a move to the same provider, to a deactivated one, to none, and of a cancelled subscription', async () => {
    const subscriptionId = await s.virtualSubscription()
    const gone = await s.provider('Gone Distribution')
    await s.seatflow.deactivateProvider({ providerId: gone })
    await refused(() => post(`/subscriptions/${subscriptionId}/move`, { providerId: defaultProviderIds.doNothing }), 422, 'SubscriptionAlreadyOnProvider')
    const deactivated = await refused(() => post(`/subscriptions/${subscriptionId}/move`, { providerId: gone }), 422, 'ProviderDeactivated')
    expect(deactivated.detail).toContain('Gone Distribution')
    await refused(() => post(`/subscriptions/${subscriptionId}/move`, { providerId: '01a234c0-b0c0-7034-a7e1-000000000000' }), 404, 'ProviderNotFound')
    expect((await post(`/subscriptions/${subscriptionId}/cancel`)).status).toBe(200)
    await refused(() => post(`/subscriptions/${subscriptionId}/move`, { providerId: defaultProviderIds.manual }), 422, 'SubscriptionCancelled')
  })

  it('moves to an automatic provider and, when asked, shows its quantity there without writing it', async () => {
    const subscriptionId = await s.virtualSubscription(5)
    s.gateway.changeAtProvider(subscriptionId, 8, { changedBy: 'admin@tenant.example' })
    const moved = await post(`/subscriptions/${subscriptionId}/move`, { providerId: defaultProviderIds.partnerCenter, readProvider: true })
    expect(moved.body).toMatchObject({ providerRead: 'read', drift: { seatflowQuantity: 5, providerQuantity: 8, wouldRecord: { previousQuantity: 5, newQuantity: 8 } } })
    expect(await get(`/subscriptions/${subscriptionId}`)).toMatchObject({ quantity: 5, providerId: defaultProviderIds.partnerCenter })
  })

  it('names every bad field of a move, whether the command or the route checks it', async () => {
    const subscriptionId = await s.virtualSubscription()
    const byRoute = await refused(() => post(`/subscriptions/${subscriptionId}/move`, { providerId: 'nowhere', withdrawUnresolved: 'yes', readProvider: 1 }), 400, 'InvalidRequest')
    expect((byRoute.problems as ReadonlyArray<string>).map((p) => p.split(':')[0])).toEqual(['providerId', 'withdrawUnresolved', 'readProvider'])
    const byCommand = await refused(() => post(`/subscriptions/${subscriptionId}/move`, { providerId: 'nowhere', withdrawUnresolved: 'yes' }), 400, 'InvalidCommand')
    expect(String(byCommand.detail)).toMatch(/providerId[\s\S]*withdrawUnresolved|withdrawUnresolved[\s\S]*providerId/)
    const unknown = await refused(() => post(`/subscriptions/${subscriptionId}/move`, { providerId: defaultProviderIds.manual, force: true }), 400, 'InvalidRequest')
    expect(unknown.problems).toEqual([expect.stringMatching(/^force: is not a field/)])
    await refused(() => post(`/subscriptions/${subscriptionId}/move`), 400, 'InvalidRequest')
  })

  it('suspends with a hostile reason kept as text, records changes Not Applicable, and reactivation records what the provider needs', async () => {
    const { subscriptionId, licenseChangeId: first } = await s.awaitingChange(10)
    await s.seatflow.markProvisioned({ licenseChangeId: first, by: 'Dana' })
    const before = await s.position()
    const suspended = await post(`/subscriptions/${subscriptionId}/suspend`, { reason: hostile })
    expect([suspended.status, suspended.body, suspended.headers.get('content-type')]).toEqual([200, { subscriptionId }, 'application/json; charset=utf-8'])
    const subscriptionText = (await s.ask('GET', `${v1}/subscriptions/${subscriptionId}`, { token: s.tokens.viewer })).text
    expect(subscriptionText).toContain(JSON.stringify(hostile))
    expect(JSON.parse(subscriptionText)).toMatchObject({ status: 'Suspended', suspendedReason: hostile })
    expect((await s.eventsAfter(before)).find((e) => e.type === 'SubscriptionSuspended')?.data).toMatchObject({ reason: hostile })
    await refused(() => post(`/subscriptions/${subscriptionId}/suspend`, { reason: 'again' }), 422, 'SubscriptionAlreadySuspended')
    const changed = await post(`/subscriptions/${subscriptionId}/change-quantity`, { quantity: 14 })
    expect((await s.ask('GET', changed.headers.get('location') ?? '', { token: s.tokens.viewer })).body).toMatchObject({ licenseChange: { status: 'Not Applicable', kind: 'change' } })
    const reactivated = await post(`/subscriptions/${subscriptionId}/reactivate`)
    const reactivation = String((reactivated.body as Json).licenseChangeId)
    expect((await get(`/license-changes/${reactivation}`)).licenseChange).toMatchObject({ kind: 'reactivation', status: 'Awaiting Provisioning', previousQuantity: 10, newQuantity: 14 })
    expect(((await get('/license-changes?kind=reactivation')).items as ReadonlyArray<Json>).map((row) => row.licenseChangeId)).toEqual([reactivation])
    await refused(() => post(`/subscriptions/${subscriptionId}/reactivate`), 422, 'SubscriptionNotSuspended')
  })

  it('refuses a reason with CR/LF or other control characters, naming the field, and writes nothing', async () => {
    const subscriptionId = await s.virtualSubscription()
    for (const reason of ['unpaid\r\nX-Injected: 1', 'unpaid\u0000', 'unpaid\u202egnp.exe', 'line\u2028break', '', '  padded  ', 42]) {
      const problem = await refused(() => post(`/subscriptions/${subscriptionId}/suspend`, { reason }), 400, 'InvalidCommand')
      expect(problem.problems).toEqual([expect.stringMatching(/^reason/)])
    }
    await refused(() => post(`/subscriptions/${subscriptionId}/suspend`, {}), 400, 'InvalidCommand')
    expect(await get(`/subscriptions/${subscriptionId}`)).toMatchObject({ status: 'Active' })
  })

  it('cancels: a License Change to zero, the Cancelled status, and no further change', async () => {
    const { subscriptionId, licenseChangeId: first } = await s.awaitingChange(6)
    await s.seatflow.markProvisioned({ licenseChangeId: first, by: 'Dana' })
    const cancelled = await post(`/subscriptions/${subscriptionId}/cancel`)
    const licenseChangeId = String((cancelled.body as Json).licenseChangeId)
    expect((await get(`/license-changes/${licenseChangeId}`)).licenseChange).toMatchObject({ kind: 'cancellation', previousQuantity: 6, newQuantity: 0, status: 'Awaiting Provisioning' })
    expect(await get(`/subscriptions/${subscriptionId}`)).toMatchObject({ status: 'Cancelled', quantity: 0 })
    await refused(() => post(`/subscriptions/${subscriptionId}/change-quantity`, { quantity: 3 }), 422, 'SubscriptionCancelled')
    await refused(() => post(`/subscriptions/${subscriptionId}/cancel`), 422, 'SubscriptionCancelled')
    await refused(() => post(`/subscriptions/${subscriptionId}/suspend`, { reason: 'late' }), 422, 'SubscriptionCancelled')
    await refused(() => post('/subscriptions/01a234c0-b0c0-7034-a7e1-000000000000/cancel'), 404, 'SubscriptionNotFound')
  })
})
