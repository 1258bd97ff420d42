import { createPartnerCenterGateway, PartnerCenterOptions } from '../../src/providers/partnerCenter'
import { LoopbackPartnerCenter, PartnerCenterSeed, startPartnerCenter } from '../support/providers/partnerCenterServer'
import { fastTiming, provisioningRequest, simulatedTiming } from '../support/providers/requests'

const tenant = 'tenant-contoso'
const inHours = (n: number): string => new Date(Date.now() + n * 3_600_000).toISOString()
const cancel = (overrides: Parameters<typeof provisioningRequest>[1] = {}) =>
  provisioningRequest('Partner Center', { action: 'cancel', targetQuantity: 0, previousQuantity: 10, ...overrides })
const reactivate = (overrides: Parameters<typeof provisioningRequest>[1] = {}) =>
  provisioningRequest('Partner Center', { action: 'reactivate', targetQuantity: 12, previousQuantity: 10, ...overrides })
const newCommerce = (overrides: Partial<PartnerCenterSeed> = {}): PartnerCenterSeed =>
  ({ customerId: tenant, id: 'sub-1', quantity: 10, cancellationAllowedUntil: inHours(48), ...overrides })

describe('the Partner Center gateway cancels and reactivates against a loopback Partner Center', () => {
  let server: LoopbackPartnerCenter
  const start = async (...seeds: ReadonlyArray<PartnerCenterSeed>) => {
    server = await startPartnerCenter(seeds.length === 0 ? [newCommerce()] : seeds)
  }
  const gateway = (options: Partial<PartnerCenterOptions> = {}) => createPartnerCenterGateway({
    baseUrl: server.baseUrl, customerId: tenant, token: async () => 'test-token', timing: fastTiming(), timeoutMs: 2000, ...options,
  })
  afterEach(async () => { await server.close() })

  it('a cancel within cancellationAllowedUntilDate reads the subscription and PATCHes the full resource with status deleted', async () => {
    await start()
    const attempt = cancel()
    expect(await gateway().changeQuantity(attempt)).toEqual({ _tag: 'Provisioned' })
    expect(server.statusOf('sub-1')).toBe('deleted')
    const [read, patch] = server.requests()
    expect(read?.method).toBe('GET')
    expect(patch?.headers).toMatchObject({ 'if-match': '"1"', 'ms-requestid': attempt.idempotencyKey })
    expect(JSON.parse(patch?.body ?? '')).toMatchObject({ id: 'sub-1', offerId: 'CFQ7TTC0LH18:0001', quantity: 10, status: 'deleted', attributes: { etag: '"1"' } })
  })

  it('a cancel of a subscription already deleted (a lost answer) sends nothing and is Provisioned', async () => {
    await start(newCommerce({ status: 'deleted' }))
    expect(await gateway().changeQuantity(cancel())).toEqual({ _tag: 'Provisioned' })
    expect(server.patches()).toHaveLength(0)
  })

  it('a read of a subscription deleted at Partner Center (say, in its portal) answers 0 seats, so a sync shows the drift to 0', async () => {
    await start(newCommerce({ status: 'deleted' }), newCommerce({ id: 'sub-2', quantity: 7 }))
    const read = gateway().readSubscription
    expect(await read?.({ subscriptionId: 'sub-1', providerId: 'pc', system: 'Partner Center', product: 'Visio' })).toMatchObject({ subscriptionId: 'sub-1', quantity: 0 })
    expect(await read?.({ subscriptionId: 'sub-2', providerId: 'pc', system: 'Partner Center', product: 'Visio' })).toMatchObject({ subscriptionId: 'sub-2', quantity: 7 })
  })

  it('past cancellationAllowedUntilDate, or with none allowed, the cancel is refused without a PATCH, naming the date', async () => {
    const closedAt = inHours(-3)
    await start(newCommerce({ cancellationAllowedUntil: closedAt }), newCommerce({ id: 'sub-2', cancellationAllowedUntil: null }))
    expect(await gateway().changeQuantity(cancel())).toEqual({
      _tag: 'PermanentFailure', code: 'CancellationWindowClosed',
      reason: `Partner Center cannot cancel: the cancellation window closed at ${closedAt} (cancellationAllowedUntilDate); the subscription can only be ended at renewal (turn off its auto-renewal)`,
    })
    expect(await gateway().changeQuantity(cancel({ subscriptionId: 'sub-2' }))).toMatchObject({
      _tag: 'PermanentFailure', code: 'CancellationWindowClosed', reason: expect.stringContaining('reports no cancellation window (cancellationAllowedUntilDate is null)'),
    })
    expect(server.patches()).toHaveLength(0)
    expect(server.statusOf('sub-1')).toBe('active')
  })

  it('a cancel Partner Center refuses itself fails with its code and words (a clock behind, a legacy subscription)', async () => {
    await start(newCommerce({ cancellationAllowedUntil: inHours(-1) }), { customerId: tenant, id: 'legacy', quantity: 10 })
    const behind = gateway({ timing: { ...fastTiming(), now: () => Date.now() - 2 * 3_600_000 } })
    expect(await behind.changeQuantity(cancel())).toEqual({
      _tag: 'PermanentFailure', code: 'CancellationWindowExpired', reason: expect.stringMatching(/^The cancellation window of this subscription ended at /),
    })
    expect(await gateway().changeQuantity(cancel({ subscriptionId: 'legacy' }))).toEqual({
      _tag: 'PermanentFailure', code: 'CancellationNotSupported', reason: 'A legacy subscription cannot be deleted; suspend it instead',
    })
    expect(server.patches()).toHaveLength(2)
    expect([server.statusOf('sub-1'), server.statusOf('legacy')]).toEqual(['active', 'active'])
  })

  it('a cancel accepted with 202 + Location is confirmed by a later read showing deleted, not by a quantity', async () => {
    await start()
    server.acceptNext(1, 1000, '5')
    const pc = gateway({ timing: fastTiming(60) })
    const attempt = cancel()
    const accepted = await pc.changeQuantity(attempt)
    expect(accepted).toEqual({ _tag: 'Accepted', reference: `${server.baseUrl}/v1/customers/${tenant}/subscriptions/sub-1`, retryAfterSeconds: 5 })
    const reference = accepted._tag === 'Accepted' ? accepted.reference : ''
    expect(await pc.checkPending({ ...attempt, reference })).toEqual({ _tag: 'Accepted', reference })
    server.completePending('sub-1')
    expect(await pc.checkPending({ ...attempt, reference })).toEqual({ _tag: 'Provisioned' })
    expect([server.statusOf('sub-1'), server.quantityOf('sub-1')]).toEqual(['deleted', 10])
  })

  it('a cancel accepted with 202 is polled within the attempt until the read shows deleted', async () => {
    await start()
    server.acceptNext(1, 2)
    expect(await gateway().changeQuantity(cancel())).toEqual({ _tag: 'Provisioned' })
    expect(server.statusOf('sub-1')).toBe('deleted')
  })

  it('a cancel repeated after a timeout, a 5xx or a short Retry-After keeps its MS-RequestId and deletes once', async () => {
    await start(newCommerce(), newCommerce({ id: 'sub-2' }), newCommerce({ id: 'sub-3' }))
    server.fault({ kind: 'slow', on: 'PATCH', delayMs: 400 })
    const slow = cancel()
    expect(await gateway({ timeoutMs: 150 }).changeQuantity(slow)).toEqual({ _tag: 'Provisioned' })
    server.fault({ kind: 'answer', on: 'PATCH', answer: { status: 503, json: { code: 'ServiceUnavailable', description: 'try later' } } })
    const unavailable = cancel({ subscriptionId: 'sub-2' })
    expect(await gateway().changeQuantity(unavailable)).toEqual({ _tag: 'Provisioned' })
    server.throttleFirstPatch('1')
    const throttled = cancel({ subscriptionId: 'sub-3' })
    const { timing, waits } = simulatedTiming()
    expect(await gateway({ timing }).changeQuantity(throttled)).toEqual({ _tag: 'Provisioned' })
    expect(waits).toEqual([1000])
    expect(server.patches().map((p) => p.headers['ms-requestid'])).toEqual([slow, slow, unavailable, unavailable, throttled, throttled].map((a) => a.idempotencyKey))
    expect(['sub-1', 'sub-2', 'sub-3'].map(server.statusOf)).toEqual(['deleted', 'deleted', 'deleted'])
  })

  it('a cancel refused for a changed ETag (412) is read and planned again, the next PATCH a new request', async () => {
    await start()
    server.raceNext(1)
    const attempt = cancel()
    expect(await gateway().changeQuantity(attempt)).toEqual({ _tag: 'Provisioned' })
    const ids = server.patches().map((p) => p.headers['ms-requestid'])
    expect(ids).toHaveLength(2)
    expect(ids[0]).toBe(attempt.idempotencyKey)
    expect(ids[1]).not.toBe(attempt.idempotencyKey)
    expect(JSON.parse(server.patches()[1]?.body ?? '')).toMatchObject({ status: 'deleted', attributes: { etag: '"2"' } })
    expect(server.statusOf('sub-1')).toBe('deleted')
  })

  it('a reactivate PATCHes status active with the target quantity; a quantity alone is refused while suspended', async () => {
    await start(newCommerce({ status: 'suspended' }))
    expect(await gateway().changeQuantity(provisioningRequest('Partner Center', { targetQuantity: 12 }))).toMatchObject({ _tag: 'PermanentFailure', code: 'SubscriptionSuspended' })
    const attempt = reactivate({ targetQuantity: 12 })
    expect(await gateway().changeQuantity(attempt)).toEqual({ _tag: 'Provisioned' })
    expect(JSON.parse(server.patches()[1]?.body ?? '')).toMatchObject({ id: 'sub-1', status: 'active', quantity: 12 })
    expect(server.patches()[1]?.headers['ms-requestid']).toBe(attempt.idempotencyKey)
    expect([server.statusOf('sub-1'), server.quantityOf('sub-1')]).toEqual(['active', 12])
  })

  it('a reactivate is confirmed when the read shows active at the quantity: already so sends nothing; a 202 is followed', async () => {
    await start(newCommerce({ quantity: 12 }), newCommerce({ id: 'sub-2', status: 'suspended' }))
    expect(await gateway().changeQuantity(reactivate({ targetQuantity: 12 }))).toEqual({ _tag: 'Provisioned' })
    expect(server.patches()).toHaveLength(0)
    server.acceptNext(1, 1000)
    const pc = gateway({ timing: fastTiming(60) })
    const attempt = reactivate({ subscriptionId: 'sub-2', targetQuantity: 10 })
    const accepted = await pc.changeQuantity(attempt)
    expect(accepted).toMatchObject({ _tag: 'Accepted' })
    const reference = accepted._tag === 'Accepted' ? accepted.reference : ''
    expect(await pc.checkPending({ ...attempt, reference })).toEqual({ _tag: 'Accepted', reference })
    server.completePending('sub-2')
    expect(await pc.checkPending({ ...attempt, reference })).toEqual({ _tag: 'Provisioned' })
    expect(server.statusOf('sub-2')).toBe('active')
  })

  it('a reactivate to fewer seats than Partner Center holds obeys the reduction windows, as any decrease', async () => {
    await start(newCommerce({ status: 'suspended', refundable: [{ quantity: 1, allowedUntilDateTime: inHours(-30) }] }))
    expect(await gateway().changeQuantity(reactivate({ targetQuantity: 8 }))).toMatchObject({
      _tag: 'PermanentFailure', code: 'ReductionWindowClosed', reason: expect.stringContaining('Partner Center cannot remove 2 seats (10 -> 8)'),
    })
    expect(server.patches()).toHaveLength(0)
  })
})
