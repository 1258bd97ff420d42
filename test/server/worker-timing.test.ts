import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { createSeatflow, Seatflow } from '../../src/app/seatflow'
import { defaultProviderIds } from '../../src/domain/ids'
import { createSimulatedClock } from '../../src/providers/clock'
import { createMemoryMailer } from '../../src/providers/mail'
import { createServiceMetrics } from '../../src/server/metrics'
import { createWorker, Worker, WorkerOptions } from '../../src/server/worker'
import { openStorage } from '../../src/store/open'
import { Storage } from '../../src/store/storage'
import { createScriptedGateway, right, startedAt, subscription } from '../support/app'
import { capturedLogger, contextOf, countingStorage, eventually } from '../support/service'

const hour = 3_600_000
const at = (ms: number): Date => new Date(Date.parse(startedAt) + ms)

/** A seatflow on a store with a simulated clock, a memory mailer, a scripted Partner Center, and a worker that follows it. */
const started = async (options: { readonly storage?: Storage; readonly worker?: WorkerOptions; readonly retryBaseSeconds?: number } = {}) => {
  const clock = createSimulatedClock(startedAt)
  const mailer = createMemoryMailer()
  const gateway = createScriptedGateway(2)
  const seatflow: Seatflow = await createSeatflow({
    store: options.storage ?? 'memory:', clock, mailer, gateways: { 'Partner Center': gateway }, autoProcess: false,
    ...(options.retryBaseSeconds === undefined ? {} : { retryBaseSeconds: options.retryBaseSeconds }),
  })
  const log = capturedLogger()
  const worker: Worker = createWorker(contextOf(seatflow, log.logger), options.worker ?? {}, createServiceMetrics({ processMetrics: false }))
  worker.start()
  return { seatflow, clock, mailer, gateway, worker, lines: log.lines }
}

type Started = Awaited<ReturnType<typeof started>>
const running: Started[] = []
const start = async (options: Parameters<typeof started>[0] = {}): Promise<Started> => {
  const one = await started(options)
  running.push(one)
  return one
}
afterEach(async () => {
  for (const one of running.splice(0)) {
    await one.worker.stop()
    await one.seatflow.close()
  }
})

describe('the worker, with a simulated clock', () => {
  it('sends the request as soon as it is recorded, and each reminder when it falls due, not before', async () => {
    const { seatflow, clock, mailer, worker, lines } = await start()
    const visio = right(await seatflow.createSubscription(subscription('Visio', defaultProviderIds.manual, 3)))
    await eventually(() => mailer.sent().length === 1, 5000, 'the request')
    await worker.settled()
    expect(worker.nextWakeAt()).toEqual(at(24 * hour))

    clock.set(at(24 * hour - 1))
    await worker.wake()
    expect(mailer.sent()).toHaveLength(1)
    expect(worker.nextWakeAt()).toEqual(at(24 * hour))

    clock.set(at(24 * hour))
    await worker.wake()
    expect(mailer.sent().map((mail) => mail.subject)).toEqual([expect.stringMatching(/^Provisioning request/), expect.stringMatching(/^Reminder 1/)])
    expect(worker.nextWakeAt()).toEqual(at(48 * hour))

    clock.set(at(47 * hour))
    await worker.wake()
    expect(mailer.sent()).toHaveLength(2)
    const actions = lines().filter((line) => line.component === 'worker' && typeof line.action === 'string' && line.correlationId !== undefined)
    expect(actions.map((line) => [line.action, line.correlationId])).toEqual([
      ['request sent', visio.licenseChangeId], ['reminder sent', visio.licenseChangeId],
    ])

    right(await seatflow.markProvisioned({ licenseChangeId: visio.licenseChangeId, by: 'Dana' }))
    await eventually(async () => { await worker.settled(); return worker.nextWakeAt() === null }, 5000, 'a worker with nothing to wake for')
  })

  it('runs a retry at its scheduled time, not before, and checks an accepted attempt again after checkSeconds', async () => {
    const { seatflow, clock, gateway, worker, lines } = await start({ retryBaseSeconds: 10, worker: { checkSeconds: 120 } })
    gateway.queue({ _tag: 'TransientFailure', reason: 'HTTP 503' }, { _tag: 'Accepted', reference: 'op-7' })
    const teams = right(await seatflow.createSubscription(subscription('Teams', defaultProviderIds.partnerCenter, 10)))
    const id = String(teams.licenseChangeId)
    await eventually(async () => (await seatflow.licenseChange(id))?.notBefore !== null, 5000, 'the first attempt')
    await worker.settled()
    const notBefore = String((await seatflow.licenseChange(id))?.notBefore)
    expect(worker.nextWakeAt()).toEqual(new Date(notBefore))

    clock.set(new Date(Date.parse(notBefore) - 1))
    await worker.wake()
    expect(gateway.calls()).toHaveLength(1)

    clock.set(notBefore)
    await worker.wake()
    // Attempt 2 is accepted; the run its record starts checks it at once (still pending: the provider needs two checks).
    await eventually(() => gateway.calls().length === 3, 5000, 'the first check')
    await eventually(async () => { await worker.settled(); return worker.nextWakeAt()?.getTime() === Date.parse(notBefore) + 120_000 }, 5000, 'the next check planned')

    clock.set(new Date(Date.parse(notBefore) + 120_000))
    await worker.wake()
    expect(gateway.calls().map((call) => [call.operation, call.request.attempt])).toEqual([['changeQuantity', 1], ['changeQuantity', 2], ['checkPending', 2], ['checkPending', 2]])
    expect((await seatflow.licenseChange(id))?.status).toBe('Provisioned')
    await eventually(async () => { await worker.settled(); return worker.nextWakeAt() === null }, 5000, 'nothing left to wake for')
    const calls = lines().filter((line) => line.action === 'gateway call')
    expect(calls.map((line) => [line.correlationId, line.attempt, line.call, line.outcome])).toEqual([
      [id, 1, 'change', 'TransientFailure'], [id, 2, 'change', 'Pending'], [id, 2, 'check', 'Pending'], [id, 2, 'check', 'Provisioned'],
    ])
  })

  it('syncs the automatic providers every syncIntervalMinutes, the first time one interval after the start', async () => {
    const { seatflow, clock, gateway, worker, lines } = await start({ worker: { syncIntervalMinutes: 10 } })
    const teams = right(await seatflow.createSubscription(subscription('Teams', defaultProviderIds.partnerCenter, 10)))
    await eventually(async () => (await seatflow.licenseChange(String(teams.licenseChangeId)))?.status === 'Provisioned', 5000, 'the change provisioned')
    await worker.settled()
    expect(worker.nextWakeAt()).toEqual(at(10 * 60_000))
    gateway.changeAtProvider(teams.subscriptionId, 12, { changedBy: 'admin@customer.example' })

    clock.set(at(10 * 60_000 - 1))
    await worker.wake()
    expect((await seatflow.subscription(teams.subscriptionId))?.quantity).toBe(10)
    clock.set(at(10 * 60_000))
    await worker.wake()
    expect((await seatflow.subscription(teams.subscriptionId))?.quantity).toBe(12)
    expect(worker.nextWakeAt()).toEqual(at(20 * 60_000))
    expect(lines().filter((line) => line.action === 'sync')).toMatchObject([{ read: 1, recorded: 1, failed: 0 }])
  })

  it('looks again after recheckSeconds at a mail the server refused, never in a busy loop', async () => {
    const { seatflow, mailer, worker, clock } = await start({ worker: { recheckSeconds: 45 } })
    let refusing = true
    const send = mailer.send
    Object.assign(mailer, { send: async (mail: Parameters<typeof send>[0]) => { if (refusing) throw new Error('451 try later'); return send(mail) } })
    right(await seatflow.createSubscription(subscription('Visio', defaultProviderIds.manual, 3)))
    await eventually(async () => { await worker.settled(); return worker.nextWakeAt() !== null }, 5000, 'a planned recheck')
    expect(worker.nextWakeAt()).toEqual(at(45_000))
    refusing = false
    clock.set(at(45_000))
    await worker.wake()
    expect(mailer.sent()).toHaveLength(1)
    expect(worker.nextWakeAt()).toEqual(at(45_000 + 24 * hour))
  })
})

describe.each(['memory', 'sqlite'] as const)('a quiet %s store', (kind) => {
  let dir: string
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-quiet-')) })
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('costs no writes and a few reads: the worker sets no timer, and a forced wake a day reads a little and writes nothing', async () => {
    const counted = countingStorage(openStorage(kind === 'memory' ? 'memory:' : `sqlite:${path.join(dir, 'quiet.db')}`))
    const { seatflow, clock, mailer, worker } = await start({ storage: counted.storage })
    const visio = right(await seatflow.createSubscription(subscription('Visio', defaultProviderIds.manual, 3)))
    right(await seatflow.createSubscription(subscription('Teams', defaultProviderIds.partnerCenter, 4)))
    await eventually(() => mailer.sent().length === 1, 5000, 'the request')
    right(await seatflow.markProvisioned({ licenseChangeId: visio.licenseChangeId, by: 'Dana' }))
    await eventually(async () => { await worker.settled(); return (await seatflow.licenseChangeSummary()).oldestAwaitingSince === null }, 5000, 'a settled store')
    await new Promise((resolve) => setTimeout(resolve, 300))
    await worker.settled()
    expect(worker.nextWakeAt()).toBeNull()

    counted.counts.writes = 0
    counted.counts.reads = 0
    counted.counts.what.splice(0)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const idleReads = counted.counts.reads
    for (let day = 1; day <= 30; day += 1) {
      clock.set(at(day * 24 * hour))
      await worker.wake()
    }
    expect({ writes: counted.counts.writes, what: counted.counts.what.filter((name) => !name.startsWith('views.') && !['readAll', 'lastPosition', 'readStream'].includes(name)) })
      .toEqual({ writes: 0, what: [] })
    console.log(`quiet ${kind} store: ${idleReads} reads through the ports in 1 s idle; ${counted.counts.reads} reads and ${counted.counts.writes} writes over 30 forced daily wakes`)
    expect(idleReads).toBe(0)
    expect(counted.counts.reads / 30).toBeLessThanOrEqual(12)
    expect(worker.nextWakeAt()).toBeNull()
    expect(mailer.sent()).toHaveLength(1)
  })
})
