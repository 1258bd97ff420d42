import { createSeatflow } from '../../src/app/seatflow'
import { defaultProviderIds } from '../../src/domain/ids'
import { nextWake, OwnTimes } from '../../src/server/wakeTimes'
import { createWorker } from '../../src/server/worker'
import { createScriptedGateway, right, subscription } from '../support/app'
import { capturedLogger, contextOf, eventually } from '../support/service'

const t = (iso: string): number => Date.parse(iso)
const none: OwnTimes = { checkAt: null, recheckAt: null, syncAt: null, lastRunAt: null }

describe('when the worker wakes next (nextWake)', () => {
  it.each([
    ['nothing due: no wake at all', { reminderAt: null, attemptAt: null }, none, null],
    ['the earliest of a reminder and an attempt', { reminderAt: '2026-01-06T09:00:00Z', attemptAt: '2026-01-05T10:00:00Z' }, none, t('2026-01-05T10:00:00Z')],
    ['a time that fell due since the last run: at once (its own time)', { reminderAt: '2026-01-06T09:00:00Z', attemptAt: null }, { ...none, lastRunAt: t('2026-01-06T08:00:00Z') }, t('2026-01-06T09:00:00Z')],
    ['a time still due after the run that acted on it: a recheck after it, not a busy loop', { reminderAt: '2026-01-06T09:00:00Z', attemptAt: null }, { ...none, lastRunAt: t('2026-01-06T09:00:05Z') }, t('2026-01-06T09:00:35Z')],
    ['its own times count too: the check, the recheck, the sync', { reminderAt: null, attemptAt: null }, { checkAt: t('2026-01-05T09:02:00Z'), recheckAt: t('2026-01-05T09:01:00Z'), syncAt: t('2026-01-05T09:10:00Z'), lastRunAt: null }, t('2026-01-05T09:01:00Z')],
  ] as const)('%s', (_name, due, own, expected) => {
    expect(nextWake(due, own, 30_000)).toBe(expected)
  })
})

describe('the worker on the system clock', () => {
  it('wakes by its own timer: an accepted attempt still pending is checked again after checkSeconds with nobody waking it', async () => {
    // The first check follows the acceptance at once (the run its record starts); it is still pending then.
    const gateway = createScriptedGateway(2)
    gateway.queue({ _tag: 'Accepted', reference: 'op-1' })
    const seatflow = await createSeatflow({ store: 'memory:', gateways: { 'Partner Center': gateway }, autoProcess: false })
    const worker = createWorker(contextOf(seatflow, capturedLogger().logger), { checkSeconds: 0.3 })
    worker.start()
    try {
      const teams = right(await seatflow.createSubscription(subscription('Teams', defaultProviderIds.partnerCenter, 10)))
      const started = Date.now()
      await eventually(async () => (await seatflow.licenseChange(String(teams.licenseChangeId)))?.status === 'Provisioned', 5000, 'the check')
      expect(Date.now() - started).toBeGreaterThanOrEqual(250)
      expect(gateway.calls().map((call) => call.operation)).toEqual(['changeQuantity', 'checkPending', 'checkPending'])
    } finally {
      await worker.stop()
      await seatflow.close()
    }
  })
})
