import { createSeatflow } from '../../src/app/seatflow'
import { defaultProviderIds } from '../../src/domain/ids'
import { createSimulatedClock } from '../../src/providers/clock'
import { createMemoryMailer } from '../../src/providers/mail'
import { createSeatflowServer, SeatflowServer } from '../../src/server'
import { createServiceMetrics, metricNames } from '../../src/server/metrics'
import { createScriptedGateway, right, startedAt, subscription } from '../support/app'
import { capturedLogger, eventually } from '../support/service'

/** The value of one sample in Prometheus text, or undefined. */
const sample = (text: string, name: string, labels: Readonly<Record<string, string>> = {}): number | undefined => {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`)
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) || candidate.startsWith(`${name} `)
    ? wanted.every((label) => candidate.includes(label)) && (wanted.length > 0 || !candidate.startsWith(`${name}{`))
    : false)
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1))
}

const servers: SeatflowServer[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close()
})

const serve = async (options: { readonly autoProcess?: boolean; readonly readyMaxLag?: number; readonly worker?: false } = {}) => {
  const clock = createSimulatedClock(startedAt)
  const metrics = createServiceMetrics()
  const gateway = createScriptedGateway()
  const seatflow = await createSeatflow({
    store: 'memory:', clock, mailer: createMemoryMailer(), gateways: metrics.instrument({ 'Partner Center': gateway }), autoProcess: options.autoProcess ?? true,
  })
  const log = capturedLogger()
  const server = createSeatflowServer(seatflow, {
    port: 0, logger: log.logger, metrics, ...(options.worker === false ? { worker: false } : {}),
    ...(options.readyMaxLag === undefined ? {} : { readyMaxLag: options.readyMaxLag }),
  })
  servers.push(server)
  const base = await server.listen()
  return { seatflow, clock, gateway, server, base, lines: log.lines, get: (route: string, headers: Record<string, string> = {}) => fetch(`${base}${route}`, { headers }) }
}

describe('what operators watch, over HTTP on loopback', () => {
  it('/healthz answers alive; /readyz ready with the positions; both without a token', async () => {
    const { get } = await serve()
    const health = await get('/healthz')
    expect([health.status, await health.json()]).toEqual([200, { status: 'alive' }])
    const ready = await get('/readyz')
    expect(ready.status).toBe(200)
    expect(await ready.json()).toMatchObject({ status: 'ready', lag: 0, maxLag: 1000 })
  })

  it('/readyz answers 503 while the views lag more than the bound, and once the store is gone', async () => {
    const { seatflow, get } = await serve({ autoProcess: false, readyMaxLag: 0, worker: false })
    right(await seatflow.createSubscription(subscription('Visio', defaultProviderIds.manual, 3)))
    const lagging = await get('/readyz')
    expect(lagging.status).toBe(503)
    expect(await lagging.json()).toMatchObject({ status: 'catching up', maxLag: 0 })
    await seatflow.refreshViews()
    expect((await get('/readyz')).status).toBe(200)
    await seatflow.close()
    const gone = await get('/readyz')
    expect([gone.status, await gone.json()]).toEqual([503, { status: 'store unreachable' }])
  })

  it('/metrics: License Changes by status and kind, the oldest awaiting, mails, gateway calls with latency, view lag, HTTP requests by route and status', async () => {
    const { seatflow, clock, gateway, server, get } = await serve({ autoProcess: false })
    gateway.queue({ _tag: 'TransientFailure', reason: 'HTTP 503' })
    right(await seatflow.createSubscription(subscription('Visio', defaultProviderIds.manual, 3)))
    right(await seatflow.createSubscription(subscription('Teams', defaultProviderIds.partnerCenter, 5)))
    clock.advanceHours(2)
    await get('/healthz')
    await get('/nowhere')
    await eventually(async () => (await seatflow.licenseChangeLog()).every((row) => row.requestedAt !== null || row.attempts > 0), 5000, 'the worker')
    await server.worker?.settled()
    const answer = await get('/metrics')
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = await answer.text()
    expect(sample(text, metricNames.licenseChanges, { status: 'Awaiting Provisioning', provider_kind: 'Manual' })).toBe(1)
    expect(sample(text, metricNames.licenseChanges, { status: 'Awaiting Provisioning', provider_kind: 'Automatic' })).toBe(1)
    expect(sample(text, metricNames.oldestAwaiting)).toBe(7200)
    expect(sample(text, metricNames.requestsRecorded)).toBe(1)
    expect(sample(text, metricNames.remindersRecorded)).toBe(0)
    expect(sample(text, metricNames.requestsSent)).toBe(1)
    expect(sample(text, metricNames.attemptsRecorded, { call: 'change', outcome: 'TransientFailure' })).toBe(1)
    expect(sample(text, metricNames.gatewayCalls, { system: 'Partner Center', operation: 'changeQuantity', outcome: 'TransientFailure' })).toBe(1)
    expect(sample(text, `${metricNames.gatewaySeconds}_count`, { system: 'Partner Center', operation: 'changeQuantity' })).toBe(1)
    expect(sample(text, metricNames.viewLag)).toBe(0)
    expect(sample(text, metricNames.httpRequests, { method: 'GET', route: '/healthz', status: '200' })).toBe(1)
    expect(sample(text, metricNames.httpRequests, { method: 'GET', route: 'unmatched', status: '404' })).toBe(1)
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0)
  })

  it('logs one JSON line per request, with its correlation id, route, status and the token\'s name', async () => {
    const { server, get, lines } = await serve({ worker: false })
    const { token } = server.context.tokens.create('billing', 'viewer')
    await get('/healthz', { 'x-correlation-id': 'order-42' })
    await get('/api/v1/nothing', { authorization: `Bearer ${token}` })
    const requests = lines().filter((line) => line.msg === 'request')
    expect(requests).toHaveLength(2)
    expect(requests[0]).toMatchObject({ correlationId: 'order-42', method: 'GET', path: '/healthz', route: '/healthz', status: 200, token: null })
    expect(requests[1]).toMatchObject({ path: '/api/v1/nothing', route: 'unmatched', status: 404, token: 'billing' })
    expect(typeof requests[0]?.ms).toBe('number')
    expect(lines().filter((line) => line.msg === 'incoming request' || line.msg === 'request completed')).toEqual([])
  })

  it('keeps the metrics of two services in one process apart', async () => {
    const first = await serve({ worker: false })
    const second = await serve({ worker: false })
    await first.get('/healthz')
    const text = await (await second.get('/metrics')).text()
    expect(sample(text, metricNames.httpRequests, { route: '/healthz' })).toBeUndefined()
  })
})
