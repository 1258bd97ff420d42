import pino from 'pino'
import { createSeatflow } from '../../src/app/seatflow'
import { createSeatflowServer } from '../../src/server'
import { apiRouteList } from '../../src/server/routes/api'
import { nonConformities, theDocument } from './api-document'
import { Service, startService } from './api-support'

const v1 = '/api/v1'

describe('the service around the routes', () => {
  let s: Service
  afterEach(async () => { await s.close() })

  it('a token over its rate limit gets a 429 problem, and another token is still served', async () => {
    s = await startService({ rateLimitPerMinute: 3 })
    const statuses: number[] = []
    for (let i = 0; i < 4; i += 1) statuses.push((await s.ask('GET', `${v1}/providers`, { token: s.tokens.viewer })).status)
    expect(statuses).toEqual([200, 200, 200, 429])
    const limited = s.replies.at(-1)
    expect(limited?.headers.get('content-type')).toBe('application/problem+json; charset=utf-8')
    expect(limited?.body).toMatchObject({ type: 'https://seatflow.dev/problems/RateLimited', status: 429, tag: 'RateLimited', detail: expect.stringMatching(/more than 3 requests a minute/) })
    expect(limited?.headers.get('retry-after')).toMatch(/^\d+$/)
    expect((await s.ask('GET', `${v1}/providers`, { token: s.tokens.admin })).status).toBe(200)
    expect(s.replies.flatMap(nonConformities)).toEqual([])
  })

  it('a rate-limited route outside /api/v1 answers the same 429 problem', async () => {
    s = await startService()
    const server = createSeatflowServer(await createSeatflow({ store: 'memory:' }), { worker: false, logger: pino({ level: 'silent' }), rateLimitPerMinute: 1 })
    void server.app.register(async (app) => { app.get('/probe', async () => ({ ok: true })) })
    const statuses = [(await server.app.inject({ url: '/probe' })).statusCode]
    const limited = await server.app.inject({ url: '/probe' })
    await server.close()
    expect([...statuses, limited.statusCode]).toEqual([200, 429])
    expect(limited.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    expect(limited.json()).toMatchObject({ status: 429, tag: 'RateLimited' })
  })

  it('puts security headers on every answer: read, written, refused, unknown, the document', async () => {
    s = await startService()
    const answers = [
      await s.ask('GET', `${v1}/providers`, { token: s.tokens.viewer }),
      await s.ask('POST', `${v1}/providers`, { token: s.tokens.admin, body: { name: 'Acme', kind: 'Do Nothing' } }),
      await s.ask('GET', `${v1}/providers`),
      await s.ask('GET', `${v1}/nothing`, { token: s.tokens.viewer }),
      await s.ask('GET', `${v1}/openapi.json`),
    ]
    for (const answer of answers) {
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff')
      expect(answer.headers.get('content-security-policy')).toMatch(/default-src 'self'/)
      expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN')
      expect(answer.headers.get('strict-transport-security')).toMatch(/max-age=/)
    }
    expect(answers.map((a) => a.status)).toEqual([200, 201, 401, 404, 200])
  })

  it('serves its OpenAPI 3.1 document without a token: every route, each answer and problem described', async () => {
    s = await startService()
    const served = await s.ask('GET', `${v1}/openapi.json`)
    expect(served.status).toBe(200)
    expect(served.body).toEqual(JSON.parse(JSON.stringify(theDocument)))
    expect(theDocument.openapi).toBe('3.1.0')
    const operations = Object.values(theDocument.paths).flatMap((ops) => Object.values(ops) as ReadonlyArray<{ readonly operationId: string; readonly responses: Readonly<Record<string, unknown>> }>)
    expect(operations).toHaveLength(apiRouteList.length + 1)
    expect(new Set(operations.map((op) => op.operationId)).size).toBe(operations.length)
    for (const route of apiRouteList) {
      const responses = Object.keys((theDocument.paths as Readonly<Record<string, Readonly<Record<string, { readonly responses: object }>>>>)[route.path]?.[route.method.toLowerCase()]?.responses ?? {})
      expect(responses).toEqual(expect.arrayContaining(['400', '401', '429', '500', ...Object.keys(route.answers)]))
      if (route.role !== 'viewer') expect(responses).toContain('403')
      if (route.method !== 'GET') expect(responses).toEqual(expect.arrayContaining(['409', '413', '415', '422']))
    }
  })

  it('records the request\'s correlation id when it is well-formed, else the request id', async () => {
    s = await startService()
    const { subscriptionId } = await s.awaitingChange()
    const before = await s.position()
    await s.ask('POST', `${v1}/subscriptions/${subscriptionId}/change-quantity`, { token: s.tokens.operator, body: { quantity: 11 }, headers: { 'x-correlation-id': 'billing-run:2026-01-05.7' } })
    const middle = await s.position()
    await s.ask('POST', `${v1}/subscriptions/${subscriptionId}/change-quantity`, { token: s.tokens.operator, body: { quantity: 12 }, headers: { 'x-correlation-id': 'has spaces and a \u00e9' } })
    expect((await s.eventsAfter(before))[0]?.metadata.correlationId).toBe('billing-run:2026-01-05.7')
    expect((await s.eventsAfter(middle))[0]?.metadata.correlationId).toMatch(/^req-/)
  })

  it('answers through inject as over the wire', async () => {
    s = await startService()
    const injected = await s.server.app.inject({ method: 'POST', url: `${v1}/providers`, headers: { authorization: `Bearer ${s.tokens.admin ?? ''}`, 'content-type': 'application/json' }, payload: '{"name":' })
    expect(injected.statusCode).toBe(400)
    expect(injected.json()).toMatchObject({ tag: 'BodyNotJson', detail: 'the body is not valid JSON; send a JSON object with Content-Type: application/json' })
  })
})
