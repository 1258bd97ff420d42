import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { createSeatflow } from '../../src/app/seatflow'
import { defaultProviderIds } from '../../src/domain/ids'
import { cli } from '../support/cli'
import { integrityCheck, readLog, revisionProblems } from '../support/invariants'
import { envCount } from '../support/reliability'
import { startServe } from '../support/serveProcess'
import { eventually } from '../support/service'

/** Concurrent clients changing quantities over HTTP, and how long they run before SIGTERM. */
const clients = envCount('SEATFLOW_SHUTDOWN_CLIENTS', 8)
const loadMs = envCount('SEATFLOW_SHUTDOWN_LOAD_MS', 600)

// The writes go through the API routes (POST /api/v1/subscriptions, .../change-quantity).
const apiThere = fs.existsSync(path.join(__dirname, '..', '..', 'src', 'server', 'routes', 'subscriptions.ts'))

/** One client: changes its subscription's quantity again and again until the service stops answering; answers what was acknowledged. */
const changeUntilRefused = async (base: string, token: string, subscriptionId: string, stop: () => boolean) => {
  const acknowledged: Array<{ readonly licenseChangeId: string; readonly quantity: number }> = []
  let refused = 0
  for (let quantity = 2; !stop() || refused === 0; quantity += 1) {
    try {
      const answer = await fetch(`${base}/api/v1/subscriptions/${subscriptionId}/change-quantity`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-correlation-id': `client-${subscriptionId.slice(0, 8)}-${quantity}` },
        body: JSON.stringify({ quantity }),
      })
      if (answer.status !== 201) { refused += 1; if (stop()) break; continue }
      acknowledged.push({ licenseChangeId: String(((await answer.json()) as { licenseChangeId: string }).licenseChangeId), quantity })
    } catch {
      break // the service stopped taking connections
    }
  }
  return acknowledged
}

;(apiThere ? describe : describe.skip)('seatflow serve stops gracefully on SIGTERM (needs the API routes)', () => {
  let dir: string
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-shutdown-')) })
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('with requests in flight: exits 0 within 10 s, every acknowledged write in the log, nothing half written; the next start sends what was left', async () => {
    const file = path.join(dir, 'seatflow.db')
    const token = (await cli('token', 'create', '--db', file, '--name', 'billing', '--role', 'operator')).out
    const { serving, base } = await startServe(['--db', file])
    const subscriptions: string[] = []
    for (let i = 0; i < clients; i += 1) {
      const answer = await fetch(`${base}/api/v1/subscriptions`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ product: `Visio ${i}`, providerId: defaultProviderIds.manual, billingContractId: `BC-${i}`, contractOwnerEmail: `owner${i}@customer.example`, quantity: 1 }),
      })
      expect(answer.status).toBe(201)
      subscriptions.push(String(((await answer.json()) as { subscriptionId: string }).subscriptionId))
    }
    let signalledAt: number | null = null
    const load = subscriptions.map((id) => changeUntilRefused(base, token, id, () => signalledAt !== null))
    await new Promise((resolve) => setTimeout(resolve, loadMs))
    signalledAt = Date.now()
    serving.child.kill('SIGTERM')
    const acknowledged = (await Promise.all(load)).flat()
    const exit = await serving.exited
    const shutdownMs = exit.at - signalledAt
    const inFlight = serving.lines().filter((line) => line.msg === 'request' && typeof line.time === 'number' && line.time >= (signalledAt ?? 0)).length
    console.log(`shutdown: exit ${exit.code} ${shutdownMs} ms after SIGTERM; ${acknowledged.length} writes acknowledged by ${clients} clients, ${inFlight} answered after the signal`)

    expect(exit).toMatchObject({ code: 0, signal: null })
    expect(shutdownMs).toBeLessThan(10_000)
    expect(serving.lines().map((line) => line.msg)).toEqual(expect.arrayContaining(['worker stopped', 'stopped: store closed']))
    const log = await readLog(`sqlite:${file}`)
    const recorded = new Set(log.filter((event) => event.type === 'LicenseChangeRecorded').map((event) => (event.data as { licenseChangeId: string }).licenseChangeId))
    expect(acknowledged.filter((ack) => !recorded.has(ack.licenseChangeId))).toEqual([])
    expect(revisionProblems(log)).toEqual([])
    expect(integrityCheck(file)).toEqual(['ok'])

    // The next start sends the requests the first left; then the audit finds nothing wrong.
    const restarted = await startServe(['--db', file])
    const check = await createSeatflow({ store: `sqlite:${file}`, autoProcess: false })
    await eventually(async () => (await check.licenseChangeLog()).every((row) => row.requestedAt !== null), 20_000, 'every request sent')
    restarted.serving.child.kill('SIGTERM')
    expect((await restarted.serving.exited).code).toBe(0)
    expect((await check.audit()).violations).toEqual([])
    await check.close()
  })
})
