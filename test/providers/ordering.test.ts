import { DomainEvent } from '../../src/domain/events'
import { isUnresolved, LicenseChangeRow, licenseChangeLog } from '../../src/projections/licenseChangeLog'
import { provisioningQueue } from '../../src/providers/ordering'
import { driftReport, syncVerdict } from '../../src/providers/sync'
import { fold, hoursIn, ids, lc, licenseChangeRecorded, log, qty, snapshot } from '../support/given'

const teams = ids.subscription('teams')
const [a, b, c] = [ids.licenseChange('a'), ids.licenseChange('b'), ids.licenseChange('c')]
const automatic = (licenseChangeId: typeof a, from: number, to: number, subscriptionId = teams) =>
  licenseChangeRecorded({ licenseChangeId, subscriptionId, provider: snapshot.automatic(), previousQuantity: qty(from), newQuantity: qty(to) })

/** The License Change Log rows these events make, the unresolved ones only (what the index holds). */
const unresolved = (...events: ReadonlyArray<DomainEvent>): ReadonlyArray<LicenseChangeRow> =>
  [...fold(licenseChangeLog, log(...events)).values()].filter(isUnresolved)

const steps = (rows: ReadonlyArray<LicenseChangeRow>, now = hoursIn(100)) =>
  provisioningQueue(rows, new Date(now)).map((step) => [step.step, step.row.licenseChangeId, ...(step.step === 'hold' ? [step.waitingFor.licenseChangeId] : [])])

describe('the provisioning queue', () => {
  test('only the earliest unresolved change of a subscription goes; later ones wait for it', () => {
    expect(steps(unresolved(automatic(a, 10, 12), automatic(b, 12, 14), automatic(c, 14, 16)))).toEqual([
      ['attempt', a], ['hold', b, a], ['hold', c, a],
    ])
  })

  test('a failed change holds later ones back until a person re-queues it', () => {
    const rows = unresolved(automatic(a, 10, 12), lc(a).attemptFailed(1, 'x'), lc(a).failed('x'), automatic(b, 12, 14))
    expect(steps(rows)).toEqual([['failed', a], ['hold', b, a]])
    expect(steps(unresolved(automatic(a, 10, 12), lc(a).failed('x'), automatic(b, 12, 14), lc(a).requeued()))).toEqual([['attempt', a], ['hold', b, a]])
  })

  test('a provisioned or superseded change holds nothing back', () => {
    expect(steps(unresolved(automatic(a, 10, 12), lc(a).provisioned('Partner Center', 'gateway'), automatic(b, 12, 14)))).toEqual([['attempt', b]])
    expect(steps(unresolved(automatic(a, 10, 12), lc(a).failed('x'), lc(a).superseded(c, 15), automatic(b, 15, 16)))).toEqual([['attempt', b]])
  })

  test('a change whose next attempt is not due waits, and goes when its time has come', () => {
    const rows = unresolved(automatic(a, 10, 12), lc(a).attemptFailed(1, 'x'), lc(a).scheduled(2, hoursIn(10)))
    expect(provisioningQueue(rows, new Date(Date.parse(hoursIn(10)) - 1))).toEqual([{ step: 'wait', row: rows[0], notBefore: hoursIn(10) }])
    expect(steps(rows, hoursIn(10))).toEqual([['attempt', a]])
  })

  test('subscriptions do not wait for each other, and Manual changes are not queued', () => {
    const other = ids.subscription('other')
    const manual = licenseChangeRecorded({ licenseChangeId: c, subscriptionId: teams })
    expect(steps(unresolved(automatic(a, 10, 12), automatic(b, 1, 2, other), manual))).toEqual([['attempt', a], ['attempt', b]])
  })
})

describe('two-way sync', () => {
  const rows = unresolved(automatic(a, 10, 12), automatic(b, 12, 14))
  const subscription = { subscriptionId: teams, quantity: 14, unresolved: rows }

  test('the same quantity writes nothing', () => {
    expect(syncVerdict(subscription, 14)).toEqual({ verdict: 'unchanged' })
  })

  test('a quantity an unresolved change explains (before it, or its target) writes nothing', () => {
    expect(syncVerdict(subscription, 10)).toEqual({ verdict: 'pending change', waitingFor: a })
    expect(syncVerdict(subscription, 12)).toEqual({ verdict: 'pending change', waitingFor: a })
  })

  test('any other quantity was set at the provider: it is recorded and supersedes the unresolved Automatic changes', () => {
    expect(syncVerdict(subscription, 15)).toEqual({ verdict: 'record', previousQuantity: 14, newQuantity: 15, supersedes: [a, b] })
    expect(syncVerdict({ subscriptionId: teams, quantity: 14, unresolved: [] }, 10)).toEqual({ verdict: 'record', previousQuantity: 14, newQuantity: 10, supersedes: [] })
  })

  test('the drift report lists what differs and what a sync would record, and leaves out the rest', () => {
    const quiet = { subscriptionId: ids.subscription('quiet'), quantity: 3, unresolved: [] }
    const report = driftReport([subscription, quiet], [
      { subscriptionId: teams, quantity: 15, changedBy: 'admin@customer.example', changedAt: hoursIn(3) },
      { subscriptionId: quiet.subscriptionId, quantity: 3 },
      { subscriptionId: ids.subscription('unknown'), quantity: 1 },
    ])
    expect(report).toEqual([{
      subscriptionId: teams, seatflowQuantity: 14, providerQuantity: 15, changedBy: 'admin@customer.example', changedAt: hoursIn(3), waitingFor: null,
      wouldRecord: { origin: 'provider', status: 'Not Applicable', previousQuantity: 14, newQuantity: 15, delta: 1, supersedes: [a, b] },
    }])
    expect(driftReport([subscription], [{ subscriptionId: teams, quantity: 10 }])).toEqual([{
      subscriptionId: teams, seatflowQuantity: 14, providerQuantity: 10, changedBy: null, changedAt: null, waitingFor: a, wouldRecord: null,
    }])
  })
})
