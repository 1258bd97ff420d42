import { DomainEvent } from '../../src/domain/events'
import { isUnresolved, LicenseChangeRow, licenseChangeLog } from '../../src/projections/licenseChangeLog'
import { driftReport, syncVerdict } from '../../src/providers/sync'
import { fold, hoursIn, ids, licenseChangeRecorded, log, qty, snapshot } from '../support/given'

const teams = ids.subscription('teams')
const [a, b] = [ids.licenseChange('a'), ids.licenseChange('b')]
const automatic = (licenseChangeId: typeof a, from: number, to: number, subscriptionId = teams) =>
  licenseChangeRecorded({ licenseChangeId, subscriptionId, provider: snapshot.automatic(), previousQuantity: qty(from), newQuantity: qty(to) })

/** The License Change Log rows these events make, the unresolved ones only (what the index holds). */
const unresolved = (...events: ReadonlyArray<DomainEvent>): ReadonlyArray<LicenseChangeRow> =>
  [...fold(licenseChangeLog, log(...events)).values()].filter(isUnresolved)

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
