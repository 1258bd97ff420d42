import { createPartnerCenterGateway, PartnerCenterOptions } from '../../src/providers/partnerCenter'
import { LoopbackPartnerCenter, PartnerCenterSeed, startPartnerCenter } from '../support/providers/partnerCenterServer'
import { fastTiming, provisioningRequest, simulatedTiming } from '../support/providers/requests'

const tenant = 'tenant-contoso'
const inHours = (n: number): string => new Date(Date.now() + n * 3_600_000).toISOString()
const request = (overrides: Parameters<typeof provisioningRequest>[1] = {}) => provisioningRequest('Partner Center', overrides)

describe('the Partner Center gateway against a loopback Partner Center', () => {
  let server: LoopbackPartnerCenter
  const start = async (seeds: ReadonlyArray<PartnerCenterSeed> = [{ customerId: tenant, id: 'sub-1', quantity: 10 }]) => {
    server = await startPartnerCenter(seeds)
  }
  const gateway = (options: Partial<PartnerCenterOptions> = {}) => createPartnerCenterGateway({
    baseUrl: server.baseUrl, customerId: tenant, token: async () => 'test-token', timing: fastTiming(), timeoutMs: 2000, ...options,
  })
  afterEach(async () => { await server.close() })

  it('reads the subscription, PATCHes the full resource with the absolute quantity and its ETag, and a 200 is Provisioned', async () => {
    await start()
    const attempt = request({ targetQuantity: 12 })
    expect(await gateway().changeQuantity(attempt)).toEqual({ _tag: 'Provisioned' })
    expect(server.quantityOf('sub-1')).toBe(12)
    const [read, patch] = server.requests()
    expect(read).toMatchObject({ method: 'GET', path: `/v1/customers/${tenant}/subscriptions/sub-1` })
    expect(patch?.headers).toMatchObject({ 'if-match': '"1"', 'ms-requestid': attempt.idempotencyKey, authorization: 'Bearer test-token' })
    expect(patch?.headers['ms-correlationid']).toBe(read?.headers['ms-correlationid'])
    expect(read?.headers['ms-requestid']).not.toBe(attempt.idempotencyKey)
    expect(JSON.parse(patch?.body ?? '')).toMatchObject({ id: 'sub-1', offerId: 'CFQ7TTC0LH18:0001', quantity: 12, attributes: { etag: '"1"' } })
  })

  it('sends nothing when the subscription already holds the target (a lost answer of an earlier attempt)', async () => {
    await start([{ customerId: tenant, id: 'sub-1', quantity: 12 }])
    expect(await gateway().changeQuantity(request({ targetQuantity: 12 }))).toEqual({ _tag: 'Provisioned' })
    expect(server.patches()).toHaveLength(0)
  })

  it('follows a 202 + Location by polling until the quantity shows', async () => {
    await start()
    server.acceptNext(1, 3)
    expect(await gateway().changeQuantity(request({ targetQuantity: 15 }))).toEqual({ _tag: 'Provisioned' })
    expect(server.quantityOf('sub-1')).toBe(15)
    expect(server.requests().filter((r) => r.method === 'GET').length).toBeGreaterThanOrEqual(4)
  })

  it('answers Accepted with the Location when the change is still pending at the bound, and checkPending finishes it later', async () => {
    await start()
    server.acceptNext(1, 1000, '4')
    const pc = gateway({ timing: fastTiming(60) })
    const attempt = request({ targetQuantity: 15 })
    const accepted = await pc.changeQuantity(attempt)
    expect(accepted).toEqual({ _tag: 'Accepted', reference: `${server.baseUrl}/v1/customers/${tenant}/subscriptions/sub-1`, retryAfterSeconds: 4 })
    const reference = accepted._tag === 'Accepted' ? accepted.reference : ''
    expect(await pc.checkPending({ ...attempt, reference })).toEqual({ _tag: 'Accepted', reference })
    server.completePending('sub-1')
    expect(await pc.checkPending({ ...attempt, reference })).toEqual({ _tag: 'Provisioned' })
    const correlations = new Set(server.requests().map((r) => r.headers['ms-correlationid']))
    expect(correlations.size).toBe(1)
  })

  it('waits a short Retry-After within the attempt and repeats the PATCH with the same MS-RequestId', async () => {
    await start()
    server.throttleFirstPatch('1')
    const { timing, waits } = simulatedTiming()
    const attempt = request({ targetQuantity: 12 })
    expect(await gateway({ timing }).changeQuantity(attempt)).toEqual({ _tag: 'Provisioned' })
    expect(server.patches().map((p) => p.headers['ms-requestid'])).toEqual([attempt.idempotencyKey, attempt.idempotencyKey])
    expect(waits).toEqual([1000])
    expect(server.quantityOf('sub-1')).toBe(12)
  })

  it('throttled, then accepted (202 + Location): waits, repeats, polls, and the change is Provisioned in one attempt', async () => {
    await start()
    server.throttleFirstPatch('1')
    server.acceptNext(1, 2)
    const { timing, waits } = simulatedTiming()
    const attempt = request({ targetQuantity: 14 })
    expect(await gateway({ timing }).changeQuantity(attempt)).toEqual({ _tag: 'Provisioned' })
    expect(waits[0]).toBe(1000)
    expect(new Set(server.patches().map((p) => p.headers['ms-requestid']))).toEqual(new Set([attempt.idempotencyKey]))
    expect(server.quantityOf('sub-1')).toBe(14)
  })

  it('a longer Retry-After, or throttling that outlasts the wait, is a transient failure carrying it (seconds or an HTTP date)', async () => {
    await start()
    const tooMany = (retryAfter: string) => ({ kind: 'answer', on: 'PATCH', answer: { status: 429, headers: { 'retry-after': retryAfter }, json: { code: 'TooManyRequests', description: 'Rate limit exceeded' } } }) as const
    server.fault(tooMany('30'))
    const first = simulatedTiming()
    expect(await gateway({ timing: first.timing }).changeQuantity(request())).toEqual({
      _tag: 'TransientFailure', retryAfterSeconds: 30, reason: 'Partner Center PATCH subscription answered 429 (TooManyRequests: Rate limit exceeded)',
    })
    expect(first.waits).toEqual([])
    server.fault(tooMany('4'), tooMany('4'), tooMany('4'))
    const burst = simulatedTiming()
    expect(await gateway({ timing: burst.timing }).changeQuantity(request())).toMatchObject({ _tag: 'TransientFailure', retryAfterSeconds: 4 })
    expect(burst.waits).toEqual([4000, 4000])
    server.fault(tooMany('7'))
    expect(await gateway({ timing: simulatedTiming().timing, throttleWaitSeconds: 5 }).changeQuantity(request())).toMatchObject({ _tag: 'TransientFailure', retryAfterSeconds: 7 })
    server.fault({ kind: 'answer', on: 'GET', answer: { status: 429, headers: { 'retry-after': new Date(Date.now() + 30_000).toUTCString() } } })
    const dated = await gateway({ timing: simulatedTiming().timing }).changeQuantity(request())
    expect(dated).toMatchObject({ _tag: 'TransientFailure' })
    expect(dated._tag === 'TransientFailure' && dated.retryAfterSeconds).toBeGreaterThanOrEqual(29)
    expect(server.quantityOf('sub-1')).toBe(10)
  })

  it('repeats a PATCH through a burst of 5xx with the same MS-RequestId, and gives up as transient after the burst outlasts it', async () => {
    await start()
    const unavailable = { kind: 'answer', on: 'PATCH', answer: { status: 503, json: { code: 'ServiceUnavailable', description: 'try later' } } } as const
    server.fault(unavailable, unavailable)
    const attempt = request({ targetQuantity: 13 })
    expect(await gateway().changeQuantity(attempt)).toEqual({ _tag: 'Provisioned' })
    expect(server.patches().map((p) => p.headers['ms-requestid'])).toEqual([attempt.idempotencyKey, attempt.idempotencyKey, attempt.idempotencyKey])

    server.fault(unavailable, unavailable, unavailable)
    expect(await gateway().changeQuantity(request({ targetQuantity: 14 }))).toEqual({
      _tag: 'TransientFailure', reason: 'Partner Center PATCH subscription answered 503 (ServiceUnavailable: try later)',
    })
    expect(server.quantityOf('sub-1')).toBe(13)
  })

  it('a slow answer past the timeout is repeated with the same MS-RequestId and applied once; without repeats it is transient', async () => {
    await start()
    server.fault({ kind: 'slow', on: 'PATCH', delayMs: 400 })
    const attempt = request({ targetQuantity: 16 })
    expect(await gateway({ timeoutMs: 150 }).changeQuantity(attempt)).toEqual({ _tag: 'Provisioned' })
    expect(server.patches().map((p) => p.headers['ms-requestid'])).toEqual([attempt.idempotencyKey, attempt.idempotencyKey])
    expect(server.quantityOf('sub-1')).toBe(16)

    server.fault({ kind: 'slow', on: 'GET', delayMs: 400 })
    const result = await gateway({ timeoutMs: 150, callRetries: 0 }).changeQuantity(request({ targetQuantity: 17 }))
    expect(result).toEqual({ _tag: 'TransientFailure', reason: `Partner Center GET subscription: no answer from GET ${server.baseUrl}/v1/customers/${tenant}/subscriptions/sub-1 within 150 ms` })
  })

  it('malformed JSON is a transient failure that says so', async () => {
    await start()
    server.fault({ kind: 'malformed', on: 'GET' })
    const result = await gateway().changeQuantity(request())
    expect(result).toMatchObject({ _tag: 'TransientFailure', reason: expect.stringContaining('malformed JSON in the answer to Partner Center GET') })
    expect(server.patches()).toHaveLength(0)
  })

  it('re-reads and retries after an ETag mismatch (412) a bounded number of times, each PATCH a new request', async () => {
    await start()
    server.raceNext(2)
    expect(await gateway().changeQuantity(request({ targetQuantity: 20 }))).toEqual({ _tag: 'Provisioned' })
    const ids = server.patches().map((p) => p.headers['ms-requestid'])
    expect(ids).toHaveLength(3)
    expect(new Set(ids).size).toBe(3)

    server.raceNext(10)
    expect(await gateway({ etagRetries: 2 }).changeQuantity(request({ targetQuantity: 21 }))).toEqual({
      _tag: 'TransientFailure', reason: 'Partner Center refused the update 3 times because the subscription changed meanwhile (ETag mismatch)',
    })
    expect(server.quantityOf('sub-1')).toBe(20)
  })

  it('"Subscription is not ready to be updated" is transient; business errors, 403 and 404 are permanent with the code and description', async () => {
    await start()
    server.fault({ kind: 'answer', on: 'PATCH', answer: { status: 409, json: { code: 800204, description: 'Subscription is not ready to be updated' } } })
    expect(await gateway().changeQuantity(request())).toMatchObject({ _tag: 'TransientFailure', reason: expect.stringContaining('800204: Subscription is not ready to be updated') })
    server.fault({ kind: 'answer', on: 'PATCH', answer: { status: 400, json: { code: 800002, description: 'The quantity exceeds the maximum of 300 seats for this offer' } } })
    expect(await gateway().changeQuantity(request())).toEqual({ _tag: 'PermanentFailure', code: '800002', reason: 'The quantity exceeds the maximum of 300 seats for this offer' })
    server.fault({ kind: 'answer', on: 'GET', answer: { status: 403, json: { code: 600001, description: 'The partner is not authorized for this customer' } } })
    expect(await gateway().changeQuantity(request())).toEqual({ _tag: 'PermanentFailure', code: '600001', reason: 'The partner is not authorized for this customer' })
    expect(await gateway().changeQuantity(request({ subscriptionId: 'unknown' }))).toEqual({ _tag: 'PermanentFailure', code: '20002', reason: 'Subscription not found' })
    expect(server.quantityOf('sub-1')).toBe(10)
  })

  it('a refused token (401) is transient: the host may refresh it', async () => {
    await start()
    expect(await gateway({ token: async () => 'stale' }).changeQuantity(request())).toMatchObject({ _tag: 'TransientFailure', reason: expect.stringContaining('401') })
  })

  it('sends a new-commerce decrease only when the seats fit in the provider-reported windows', async () => {
    await start([
      { customerId: tenant, id: 'closed', quantity: 10, refundable: [{ quantity: 2, allowedUntilDateTime: inHours(-30) }] },
      { customerId: tenant, id: 'open', quantity: 10, refundable: [{ quantity: 4, allowedUntilDateTime: inHours(30) }] },
    ])
    const refused = await gateway().changeQuantity(request({ subscriptionId: 'closed', targetQuantity: 8 }))
    expect(refused).toMatchObject({ _tag: 'PermanentFailure', code: 'ReductionWindowClosed', reason: expect.stringMatching(/cannot remove 2 seats \(10 -> 8\): no seats are removable now; the reduction window closed at \d{4}-/) })
    expect(await gateway().changeQuantity(request({ subscriptionId: 'open', targetQuantity: 6 }))).toEqual({ _tag: 'Provisioned' })
    expect(server.patches().map((p) => p.path)).toEqual([`/v1/customers/${tenant}/subscriptions/open`])
  })

  it('maps subscriptions to tenants and Partner Center ids with `locate`, and reads a subscription for two-way sync', async () => {
    await start([{ customerId: 'tenant-fabrikam', id: 'pc-77', quantity: 9 }])
    const pc = createPartnerCenterGateway({
      baseUrl: server.baseUrl, token: async () => 'test-token', timing: fastTiming(),
      locate: (s) => ({ customerId: 'tenant-fabrikam', subscriptionId: `pc-${s.subscriptionId}` }),
    })
    server.changeInPortal('pc-77', 11)
    expect(await pc.readSubscription?.({ subscriptionId: '77', providerId: 'p', system: 'Partner Center', product: 'Visio' })).toEqual({ subscriptionId: '77', quantity: 11 })
    expect(await pc.changeQuantity(request({ subscriptionId: '77', targetQuantity: 3 }))).toEqual({ _tag: 'Provisioned' })
    expect(server.quantityOf('pc-77')).toBe(3)
    await expect(pc.readSubscription?.({ subscriptionId: 'nope', providerId: 'p', system: 'Partner Center', product: 'Visio' })).rejects.toThrow('could not read subscription nope: Subscription not found')
  })

  it('refuses a configuration that cannot find a customer tenant', async () => {
    await start()
    expect(() => createPartnerCenterGateway({ token: async () => 't' })).toThrow('give `customerId` (one customer tenant) or `locate`')
    expect(() => gateway({ timeoutMs: -1 })).toThrow('timeoutMs must be a non-negative number, got -1')
    expect(() => gateway({ throttleWaitSeconds: Number.NaN })).toThrow('throttleWaitSeconds must be a non-negative number, got NaN')
  })
})
