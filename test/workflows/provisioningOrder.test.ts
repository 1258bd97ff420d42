import { DomainEvent } from '../../src/domain/events'
import { evolveLicenseChange, Existing, LicenseChangeState } from '../../src/domain/licenseChange'
import { provisioningQueue } from '../../src/workflows/provisioningOrder'
import { hoursIn, ids, lc, licenseChangeRecorded, log, qty, snapshot } from '../support/given'

const teams = ids.subscription('teams')
const [a, b, c] = [ids.licenseChange('a'), ids.licenseChange('b'), ids.licenseChange('c')]
const automatic = (licenseChangeId: typeof a, from: number, to: number, subscriptionId = teams) =>
  licenseChangeRecorded({ licenseChangeId, subscriptionId, provider: snapshot.automatic(), previousQuantity: qty(from), newQuantity: qty(to) })

/** The License Changes these events make, in the order they were recorded (what the automatic queue index lists). */
const changes = (...events: ReadonlyArray<DomainEvent>): ReadonlyArray<Existing> => {
  const states = new Map<string, LicenseChangeState>()
  for (const event of log(...events)) {
    if (!('licenseChangeId' in event.data)) continue
    const id = event.data.licenseChangeId
    states.set(id, evolveLicenseChange(states.get(id) ?? { status: 'None' }, event as Parameters<typeof evolveLicenseChange>[1]))
  }
  return [...states.values()].flatMap((state) => (state.status === 'None' ? [] : [state]))
}

const steps = (unresolved: ReadonlyArray<Existing>, now = hoursIn(100)) =>
  provisioningQueue(unresolved, new Date(now)).map((step) => [step.step, step.change.licenseChangeId, ...(step.step === 'hold' ? [step.waitingFor.licenseChangeId] : [])])

describe('the provisioning queue', () => {
  test('only the earliest unresolved change of a subscription goes; later ones wait for it', () => {
    expect(steps(changes(automatic(a, 10, 12), automatic(b, 12, 14), automatic(c, 14, 16)))).toEqual([
      ['attempt', a], ['hold', b, a], ['hold', c, a],
    ])
  })

  test('a failed change holds later ones back until a person re-queues it', () => {
    const rows = changes(automatic(a, 10, 12), lc(a).attemptFailed(1, 'x'), lc(a).failed('x'), automatic(b, 12, 14))
    expect(steps(rows)).toEqual([['failed', a], ['hold', b, a]])
    expect(steps(changes(automatic(a, 10, 12), lc(a).failed('x'), automatic(b, 12, 14), lc(a).requeued()))).toEqual([['attempt', a], ['hold', b, a]])
  })

  test('a provisioned or superseded change holds nothing back', () => {
    expect(steps(changes(automatic(a, 10, 12), lc(a).provisioned('Partner Center', 'gateway'), automatic(b, 12, 14)))).toEqual([['attempt', b]])
    expect(steps(changes(automatic(a, 10, 12), lc(a).failed('x'), lc(a).superseded(c, 15), automatic(b, 15, 16)))).toEqual([['attempt', b]])
  })

  test('a change whose next attempt is not due waits, and goes when its time has come', () => {
    const rows = changes(automatic(a, 10, 12), lc(a).attemptFailed(1, 'x'), lc(a).scheduled(2, hoursIn(10)))
    expect(provisioningQueue(rows, new Date(Date.parse(hoursIn(10)) - 1))).toEqual([{ step: 'wait', change: rows[0], notBefore: hoursIn(10) }])
    expect(steps(rows, hoursIn(10))).toEqual([['attempt', a]])
  })

  test('subscriptions do not wait for each other, and Manual changes are not queued', () => {
    const other = ids.subscription('other')
    const manual = licenseChangeRecorded({ licenseChangeId: c, subscriptionId: teams })
    expect(steps(changes(automatic(a, 10, 12), automatic(b, 1, 2, other), manual))).toEqual([['attempt', a], ['attempt', b]])
  })
})
