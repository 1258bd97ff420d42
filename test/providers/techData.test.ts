import { createTechDataGateway, TechDataOptions } from '../../src/providers/techData'
import { LoopbackIon, startIon } from '../support/providers/ionServer'
import { fastTiming, provisioningRequest, simulatedTiming } from '../support/providers/requests'

const request = (overrides: Parameters<typeof provisioningRequest>[1] = {}) => provisioningRequest('TechData', overrides)

describe('the TechData (StreamOne Ion) gateway against a loopback Ion', () => {
  let server: LoopbackIon
  let persisted: string[]
  beforeEach(async () => {
    server = await startIon([{ customerId: 'cust-9', id: 'sub-1', quantity: 10 }])
    persisted = []
  })
  afterEach(async () => { await server.close() })

  const gateway = (options: Partial<TechDataOptions> = {}) => createTechDataGateway({
    baseUrl: server.baseUrl, accountId: 'acct-1', customerId: 'cust-9', timing: fastTiming(), timeoutMs: 2000,
    refreshToken: () => persisted.at(-1) ?? 'refresh-0', onRefreshToken: (token) => { persisted.push(token) }, ...options,
  })
  const tokenCalls = () => server.requests().filter((r) => r.path === '/oauth/token')

  it('places an order with an UPDATE item carrying the new total, and hands the rotated refresh token to the host', async () => {
    expect(await gateway().changeQuantity(request({ targetQuantity: 14 }))).toEqual({ _tag: 'Provisioned' })
    expect(server.quantityOf('sub-1')).toBe(14)
    const [order] = server.orders()
    expect(order?.path).toBe('/api/v3/accounts/acct-1/customers/cust-9/orders')
    expect(JSON.parse(order?.body ?? '')).toEqual({ orderItems: [{ action: 'UPDATE', resourceId: 'sub-1', quantity: 14 }] })
    expect(new URLSearchParams(tokenCalls()[0]?.body)).toEqual(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'refresh-0' }))
    expect(persisted).toEqual(['refresh-1'])
    expect(server.currentRefreshToken()).toBe('refresh-1')
  })

  it('keeps the access token between changes, makes one token call for concurrent changes, and a fresh gateway uses the persisted token', async () => {
    const ion = gateway()
    await Promise.all([ion.changeQuantity(request({ targetQuantity: 11 })), ion.changeQuantity(request({ subscriptionId: 'sub-1', targetQuantity: 11 }))])
    await ion.changeQuantity(request({ targetQuantity: 12 }))
    expect(tokenCalls()).toHaveLength(1)
    expect(await gateway().changeQuantity(request({ targetQuantity: 13 }))).toEqual({ _tag: 'Provisioned' })
    expect(persisted).toEqual(['refresh-1', 'refresh-2'])
  })

  it('a refresh token that was already used fails with Ion\'s invalid_grant', async () => {
    await gateway().changeQuantity(request({ targetQuantity: 11 }))
    const stale = gateway({ refreshToken: () => 'refresh-0' })
    expect(await stale.changeQuantity(request({ targetQuantity: 12 }))).toEqual({
      _tag: 'PermanentFailure', code: 'invalid_grant', reason: 'The refresh token is invalid or was already used',
    })
  })

  it('an access token the API refuses (401) is forgotten: the next attempt gets a new one', async () => {
    const ion = gateway()
    await ion.changeQuantity(request({ targetQuantity: 11 }))
    server.fault({ kind: 'answer', on: 'GET /api', answer: { status: 401, json: { code: 'UNAUTHORIZED', message: 'token expired' } } })
    expect(await ion.changeQuantity(request({ targetQuantity: 12 }))).toMatchObject({ _tag: 'TransientFailure', reason: expect.stringContaining('401') })
    expect(await ion.changeQuantity(request({ targetQuantity: 12 }))).toEqual({ _tag: 'Provisioned' })
    expect(tokenCalls()).toHaveLength(2)
  })

  it('polls a running order until it completes; one still running at the bound is Accepted with the order id, and checkPending finishes it', async () => {
    server.processNext(1, 3)
    expect(await gateway().changeQuantity(request({ targetQuantity: 15 }))).toEqual({ _tag: 'Provisioned' })
    server.processNext(1, 6)
    const ion = gateway({ timing: fastTiming(30) })
    const attempt = request({ targetQuantity: 16 })
    expect(await ion.changeQuantity(attempt)).toEqual({ _tag: 'Accepted', reference: 'order-2' })
    expect(server.quantityOf('sub-1')).toBe(15)
    const answers = []
    for (let check = 0; check < 10; check += 1) {
      const answer = await ion.checkPending({ ...attempt, reference: 'order-2' })
      answers.push(answer._tag)
      if (answer._tag !== 'Accepted') break
    }
    expect(answers.at(-1)).toBe('Provisioned')
    expect(answers.slice(0, -1).every((tag) => tag === 'Accepted')).toBe(true)
    expect(server.quantityOf('sub-1')).toBe(16)
  })

  it('a failed order is a permanent failure with Ion\'s message; nothing is ordered when the quantity is already there', async () => {
    server.failNextOrder('Quantity below the minimum of 5 for this plan')
    expect(await gateway().changeQuantity(request({ targetQuantity: 2 }))).toEqual({ _tag: 'PermanentFailure', reason: 'Quantity below the minimum of 5 for this plan' })
    expect(await gateway().changeQuantity(request({ targetQuantity: 10 }))).toEqual({ _tag: 'Provisioned' })
    expect(server.orders()).toHaveLength(1)
  })

  it('waits a short Retry-After within the attempt and places the order then, once', async () => {
    server.fault({ kind: 'answer', on: 'POST /api', answer: { status: 429, headers: { 'retry-after': '2' }, json: { code: 'RATE_LIMITED', message: 'slow down' } } })
    const { timing, waits } = simulatedTiming()
    expect(await gateway({ timing }).changeQuantity(request({ targetQuantity: 15 }))).toEqual({ _tag: 'Provisioned' })
    expect(waits).toEqual([2000])
    expect(server.orders()).toHaveLength(2) // the throttled POST and the one placed after the wait
    expect(server.quantityOf('sub-1')).toBe(15)
  })

  it('429 with a long Retry-After, 5xx bursts and malformed JSON are transient; an unknown subscription is permanent', async () => {
    server.fault({ kind: 'answer', on: 'POST /api', answer: { status: 429, headers: { 'retry-after': '12' }, json: { code: 'RATE_LIMITED', message: 'slow down' } } })
    expect(await gateway().changeQuantity(request())).toEqual({ _tag: 'TransientFailure', retryAfterSeconds: 12, reason: 'TechData POST order answered 429 (RATE_LIMITED: slow down)' })
    const down = { kind: 'answer', on: 'GET /api', answer: { status: 502, text: 'Bad Gateway' } } as const
    server.fault(down, down, down)
    expect(await gateway().changeQuantity(request())).toEqual({ _tag: 'TransientFailure', reason: 'TechData GET subscription answered 502 (Bad Gateway)' })
    server.fault({ kind: 'malformed', on: 'POST /api' })
    expect(await gateway().changeQuantity(request())).toMatchObject({ _tag: 'TransientFailure', reason: expect.stringContaining('malformed JSON in the answer to TechData POST') })
    expect(await gateway().changeQuantity(request({ subscriptionId: 'nope' }))).toEqual({ _tag: 'PermanentFailure', code: 'NOT_FOUND', reason: 'No subscriptions nope for customer cust-9' })
  })

  it('reads a subscription with the actor of its latest quantity change, for two-way sync', async () => {
    server.changeInPortal('sub-1', 18, 'jane@reseller.example', '2026-01-07T10:00:00Z')
    const ion = gateway()
    expect(await ion.readSubscription?.({ subscriptionId: 'sub-1', providerId: 'p', system: 'TechData', product: 'Acrobat' })).toEqual({
      subscriptionId: 'sub-1', quantity: 18, changedBy: 'jane@reseller.example', changedAt: '2026-01-07T10:00:00.000Z',
    })
  })

  it('cannot cancel through the API as modelled: refuses without an order, saying to cancel in the portal; re-queued after that, it is Provisioned', async () => {
    const cancel = request({ action: 'cancel', targetQuantity: 0 })
    expect(await gateway().changeQuantity(cancel)).toEqual({
      _tag: 'PermanentFailure', code: 'CancelInPortal',
      reason: 'TechData cannot cancel through its API here: cancel subscription sub-1 in the TechData (StreamOne Ion) portal, then re-queue this License Change; it is marked Provisioned once TechData shows the subscription cancelled',
    })
    server.setStatusInPortal('sub-1', 'CANCELLED')
    expect(await gateway().changeQuantity(request({ action: 'cancel', targetQuantity: 0, attempt: 2 }))).toEqual({ _tag: 'Provisioned' })
    expect(server.orders()).toHaveLength(0)
  })

  it('reactivates an active subscription by ordering its seats; a subscription suspended at TechData is refused until reactivated in the portal', async () => {
    expect(await gateway().changeQuantity(request({ action: 'reactivate', targetQuantity: 13 }))).toEqual({ _tag: 'Provisioned' })
    expect(server.quantityOf('sub-1')).toBe(13)
    server.setStatusInPortal('sub-1', 'SUSPENDED')
    expect(await gateway().changeQuantity(request({ action: 'reactivate', targetQuantity: 15 }))).toMatchObject({
      _tag: 'PermanentFailure', code: 'ReactivateInPortal', reason: expect.stringContaining('subscription sub-1 is suspended at TechData; reactivate it in the TechData (StreamOne Ion) portal'),
    })
    expect(await gateway().changeQuantity(request({ targetQuantity: 15 }))).toMatchObject({ _tag: 'PermanentFailure', code: 'INVALID_STATE' })
    expect(server.orders()).toHaveLength(2)
    expect(server.quantityOf('sub-1')).toBe(13)
  })
})
