import { createRestGateway, RestGatewayHost } from '../../src/providers/restGateway'
import { LoopbackRestHook, restHookConfig, startRestHook } from '../support/providers/restHookServer'
import { fastTiming, provisioningRequest, simulatedTiming } from '../support/providers/requests'

const request = (overrides: Parameters<typeof provisioningRequest>[1] = {}) => provisioningRequest('Synnex', overrides)

describe('the configurable REST gateway', () => {
  describe('configuration', () => {
    it('lists every problem of an invalid configuration in one clear error', () => {
      const config = {
        name: 'Synnex', baseUrl: 'ftp://nowhere', change: { method: 'FETCH', path: '/x' },
        response: { status: 'state', provisioned: ['done'] },
      }
      expect(() => createRestGateway(config)).toThrow([
        'invalid REST gateway configuration:',
        '  baseUrl: expected an http(s) URL, got "ftp://nowhere"',
        '  change.method: expected an HTTP method (GET, POST, PUT, PATCH, DELETE), got "FETCH"',
        '  response.status: expected a JSON pointer ("" or starting with "/"), got "state"',
      ].join('\n'))
    })

    it('refuses unknown placeholders, a pending state with no way to check it, and a status with no provisioned value', () => {
      const config = {
        name: 'Synnex', baseUrl: 'http://127.0.0.1:1',
        change: { method: 'POST', path: '/s/{{subscriptonId}}', body: { seats: '{{targetQuantity}}', account: '{{account}}' } },
        response: { status: '/state', pending: ['queued'] },
        variables: { account: 'A-1' },
      }
      expect(() => createRestGateway(config)).toThrow([
        'invalid REST gateway configuration:',
        '  response.provisioned: name the status values that mean provisioned',
        '  check: a change can be pending, so say how to ask after it (check.method, check.path with {{reference}})',
        '  response.reference: a pending answer needs a pointer to its reference',
        '  change: unknown placeholder {{subscriptonId}} (known here: subscriptionId, targetQuantity, previousQuantity, licenseChangeId, idempotencyKey, product, providerId, attempt, account)',
      ].join('\n'))
    })
  })

  describe('against a loopback REST hook', () => {
    let server: LoopbackRestHook
    beforeEach(async () => { server = await startRestHook({ 'SX-1': 10, 'SX/2': 4 }) })
    afterEach(async () => { await server.close() })
    const gateway = (host: Partial<RestGatewayHost> = {}, config: object = {}) => createRestGateway(
      { ...restHookConfig(server.baseUrl), ...config },
      { authorize: async () => ({ 'x-api-key': 'hook-key' }), timing: fastTiming(), timeoutMs: 2000, ...host },
    )

    it('sends the configured call with the absolute quantity as a number, the key header and the host\'s auth; "done" is Provisioned', async () => {
      const attempt = request({ subscriptionId: 'SX/2', targetQuantity: 7, previousQuantity: 4 })
      expect(await gateway().changeQuantity(attempt)).toEqual({ _tag: 'Provisioned' })
      const [call] = server.requests()
      expect(call?.path).toBe('/hook/v1/subscriptions/SX%2F2/seat-changes')
      expect(call?.headers).toMatchObject({ 'idempotency-key': attempt.idempotencyKey, 'x-api-key': 'hook-key' })
      expect(JSON.parse(call?.body ?? '')).toEqual({ seats: 7, reference: `seatflow-${attempt.licenseChangeId}`, note: 'Microsoft 365 E3: 4 -> 7' })
      expect(server.seatsOf('SX/2')).toBe(7)
    })

    it('polls a pending change at the check endpoint until done; pending at the bound is Accepted with the reference, then checkPending', async () => {
      server.queueNext(1, 3)
      expect(await gateway().changeQuantity(request({ subscriptionId: 'SX-1', targetQuantity: 12 }))).toEqual({ _tag: 'Provisioned' })
      server.queueNext(1, 5)
      const hook = gateway({ timing: fastTiming(30) })
      const attempt = request({ subscriptionId: 'SX-1', targetQuantity: 13 })
      expect(await hook.changeQuantity(attempt)).toEqual({ _tag: 'Accepted', reference: 'rq-2' })
      let answer = await hook.checkPending({ ...attempt, reference: 'rq-2' })
      for (let n = 0; n < 10 && answer._tag === 'Accepted'; n += 1) answer = await hook.checkPending({ ...attempt, reference: 'rq-2' })
      expect(answer).toEqual({ _tag: 'Provisioned' })
      expect(server.seatsOf('SX-1')).toBe(13)
    })

    it('reads the failure reason and code through the mapping, from a "rejected" answer and from a 4xx body', async () => {
      server.rejectNext('QTY_MIN', 'Minimum 5 seats for this SKU')
      expect(await gateway().changeQuantity(request({ subscriptionId: 'SX-1', targetQuantity: 2 }))).toEqual({ _tag: 'PermanentFailure', code: 'QTY_MIN', reason: 'Minimum 5 seats for this SKU' })
      expect(await gateway().changeQuantity(request({ subscriptionId: 'nope' }))).toEqual({ _tag: 'PermanentFailure', code: 'E404', reason: 'unknown subscription nope' })
      expect(server.seatsOf('SX-1')).toBe(10)
    })

    it('waits a short Retry-After within the attempt and repeats the call with the same idempotency key', async () => {
      server.fault({ kind: 'answer', on: 'POST', answer: { status: 429, headers: { 'retry-after': '3' }, text: 'slow down' } })
      const { timing, waits } = simulatedTiming()
      const attempt = request({ subscriptionId: 'SX-1', targetQuantity: 11 })
      expect(await gateway({ timing }).changeQuantity(attempt)).toEqual({ _tag: 'Provisioned' })
      expect(waits).toEqual([3000])
      expect(server.requests().map((call) => call.headers['idempotency-key'])).toEqual([attempt.idempotencyKey, attempt.idempotencyKey])
      expect(server.seatsOf('SX-1')).toBe(11)
    })

    it('429 with a long Retry-After, 5xx, malformed JSON and an unknown state are transient', async () => {
      server.fault({ kind: 'answer', on: 'POST', answer: { status: 429, headers: { 'retry-after': '45' }, text: 'slow down' } })
      expect(await gateway().changeQuantity(request({ subscriptionId: 'SX-1' }))).toEqual({ _tag: 'TransientFailure', retryAfterSeconds: 45, reason: 'Synnex change answered 429 (slow down)' })
      const down = { kind: 'answer', on: 'POST', answer: { status: 500, json: { error: { code: 'E500', message: 'boom' } } } } as const
      server.fault(down, down, down)
      expect(await gateway().changeQuantity(request({ subscriptionId: 'SX-1' }))).toEqual({ _tag: 'TransientFailure', reason: 'Synnex change answered 500 (E500: boom)' })
      server.fault({ kind: 'malformed', on: 'POST' })
      expect(await gateway().changeQuantity(request({ subscriptionId: 'SX-1' }))).toMatchObject({ _tag: 'TransientFailure', reason: expect.stringContaining('malformed JSON in the answer to Synnex change') })
      server.fault({ kind: 'answer', on: 'POST', answer: { status: 200, json: { state: 'on-hold' } } })
      expect(await gateway().changeQuantity(request({ subscriptionId: 'SX-1' }))).toEqual({ _tag: 'TransientFailure', reason: 'Synnex change: status "on-hold" at /state is none of the configured values' })
    })

    it('without a status mapping a 2xx is Provisioned and a 202 is pending at its Location, checked there', async () => {
      const bare = { response: {}, check: { method: 'GET', path: '/v1/seat-changes/{{reference}}' } }
      expect(await gateway({}, bare).changeQuantity(request({ subscriptionId: 'SX-1', targetQuantity: 11 }))).toEqual({ _tag: 'Provisioned' })
      server.fault({ kind: 'answer', on: 'POST', answer: { status: 202, headers: { location: 'rq-77' } } })
      server.fault({ kind: 'answer', on: 'GET', answer: { status: 200, json: {} } })
      expect(await gateway({}, bare).changeQuantity(request({ subscriptionId: 'SX-1' }))).toEqual({ _tag: 'Provisioned' })
      expect(server.requests().at(-1)?.path).toBe('/hook/v1/seat-changes/rq-77')
    })

    it('reads a subscription through the mapping, with who changed it and when', async () => {
      server.changeAtProvider('SX-1', 20, 'portal user kim', '2026-01-08T08:00:00.000Z')
      expect(await gateway({ locate: (s) => `SX-${s.subscriptionId}` }).readSubscription?.({ subscriptionId: '1', providerId: 'p', system: 'Synnex', product: 'Acrobat' }))
        .toEqual({ subscriptionId: '1', quantity: 20, changedBy: 'portal user kim', changedAt: '2026-01-08T08:00:00.000Z' })
    })

    it('without a configured `cancel`, refuses a cancellation and sends nothing; a reactivation sets the quantity through `change`', async () => {
      expect(await gateway().changeQuantity(request({ subscriptionId: 'SX-1', action: 'cancel', targetQuantity: 0 }))).toEqual({
        _tag: 'PermanentFailure', code: 'CancelNotConfigured',
        reason: 'Synnex cannot cancel through its REST gateway: no `cancel` call is configured. Add one to the gateway\'s configuration and re-queue this License Change, or cancel the subscription at Synnex directly',
      })
      expect(server.requests()).toHaveLength(0)
      expect(await gateway().changeQuantity(request({ subscriptionId: 'SX-1', action: 'reactivate', targetQuantity: 13 }))).toEqual({ _tag: 'Provisioned' })
      expect(server.requests().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /hook/v1/subscriptions/SX-1/seat-changes'])
      expect([server.seatsOf('SX-1'), server.cancelledOf('SX-1')]).toEqual([13, false])
    })

    it('with a configured `cancel`, sends it with the attempt\'s key and reads its answer like a change\'s', async () => {
      const withCancel = { cancel: { method: 'DELETE', path: '/v1/subscriptions/{{subscriptionId}}' } }
      const attempt = request({ subscriptionId: 'SX-1', action: 'cancel', targetQuantity: 0 })
      expect(await gateway({}, withCancel).changeQuantity(attempt)).toEqual({ _tag: 'Provisioned' })
      expect(await gateway({}, withCancel).changeQuantity(attempt)).toEqual({ _tag: 'Provisioned' })
      expect(server.requests().map((r) => [r.method, r.path, r.headers['idempotency-key']])).toEqual([
        ['DELETE', '/hook/v1/subscriptions/SX-1', attempt.idempotencyKey], ['DELETE', '/hook/v1/subscriptions/SX-1', attempt.idempotencyKey],
      ])
      expect(server.cancelledOf('SX-1')).toBe(true)
      expect(await gateway({}, withCancel).changeQuantity(request({ subscriptionId: 'SX-1', action: 'cancel', targetQuantity: 0 }))).toEqual({
        _tag: 'PermanentFailure', code: 'GONE', reason: 'subscription SX-1 is already cancelled',
      })
      expect(() => gateway({}, { cancel: { method: 'DELETE', path: '/v1/{{subscription}}' } })).toThrow('cancel: unknown placeholder {{subscription}}')
    })
  })
})
