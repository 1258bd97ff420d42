import { Recorded } from '../../src/domain/envelope'
import { createAudit, describeViolation, Violation } from '../../src/projections/audit'
import { licenseChangeStream } from '../../src/domain/events'
import {
  config, ids, lc, licenseChangeRecorded, log, providerRegistered, qty, quantityChanged, snapshot, subscriptionCreated,
} from '../support/given'

const audit = (events: ReadonlyArray<Recorded>): ReadonlyArray<Violation> => {
  const auditor = createAudit()
  events.forEach(auditor.observe)
  return auditor.finish()
}

const exchange = ids.subscription('exchange')
const first = ids.licenseChange('first')
const second = ids.licenseChange('second')

/** A Manual subscription of 10 seats raised to 12, each change requested and provisioned. */
const cleanHistory = [
  providerRegistered(config.manual()),
  subscriptionCreated(),
  licenseChangeRecorded({ licenseChangeId: first, previousQuantity: qty(0), newQuantity: qty(10) }),
  lc(first).requested(),
  lc(first).reminder(1),
  lc(first).provisioned(),
  quantityChanged(10, 12),
  licenseChangeRecorded({ licenseChangeId: second }),
  lc(second).requested(),
  lc(second).provisioned(),
] as const

describe('the audit', () => {
  test('finds nothing wrong in a clean history', () => {
    expect(audit(log(...cleanHistory))).toStrictEqual([])
  })

  test('finds nothing wrong in a clean Automatic history with failures and a re-queue', () => {
    const automatic = licenseChangeRecorded({ licenseChangeId: first, previousQuantity: qty(0), newQuantity: qty(10), provider: snapshot.automatic(1) })
    expect(audit(log(
      subscriptionCreated(), automatic, lc(first).attemptFailed(1, 'x'), lc(first).failed('x'), lc(first).requeued(),
      lc(first).accepted(2, 'PC-1'), lc(first).provisioned('Partner Center', 'gateway'),
    ))).toStrictEqual([])
  })

  test('a reminder after the change was provisioned is an illegal transition, with where it is', () => {
    const events = log(...cleanHistory, lc(second).reminder(1))
    expect(audit(events)).toStrictEqual([{
      _tag: 'IllegalTransition', licenseChangeId: second, event: 'ProvisioningReminderSent', from: 'Provisioned',
      streamId: licenseChangeStream(second), revision: 3,
    }])
  })

  test('a re-queue of a change that never failed is an illegal transition', () => {
    const violations = audit(log(...cleanHistory, lc(second).requeued()))
    expect(violations.map((v) => v._tag === 'IllegalTransition' && [v.event, v.from])).toStrictEqual([['ProvisioningRequeued', 'Provisioned']])
  })

  test('an event for a License Change that was never recorded is an illegal transition from None', () => {
    const ghost = ids.licenseChange('ghost')
    expect(audit(log(lc(ghost).provisioned()))).toStrictEqual([{
      _tag: 'IllegalTransition', licenseChangeId: ghost, event: 'LicenseChangeProvisioned', from: 'None',
      streamId: licenseChangeStream(ghost), revision: 0,
    }])
  })

  test('a quantity change without its License Change is a mismatch, with the difference', () => {
    const withoutSecond = cleanHistory.slice(0, 7)
    expect(audit(log(...withoutSecond))).toStrictEqual([{
      _tag: 'QuantityMismatch', subscriptionId: exchange, quantity: 12, sumOfDeltas: 10, difference: 2,
    }])
  })

  test('a subscription created with seats but no License Change is a mismatch of all its seats', () => {
    expect(audit(log(subscriptionCreated({ quantity: qty(7) })))).toStrictEqual([{
      _tag: 'QuantityMismatch', subscriptionId: exchange, quantity: 7, sumOfDeltas: 0, difference: 7,
    }])
  })

  test('a License Change recorded twice counts once, and the second record is illegal', () => {
    const violations = audit(log(...cleanHistory, licenseChangeRecorded({ licenseChangeId: second })))
    expect(violations).toStrictEqual([{
      _tag: 'IllegalTransition', licenseChangeId: second, event: 'LicenseChangeRecorded', from: 'Provisioned',
      streamId: licenseChangeStream(second), revision: 3,
    }])
  })

  test('a Manual change awaiting provisioning without its request email is found', () => {
    const events = log(...cleanHistory.slice(0, 8))
    expect(audit(events)).toStrictEqual([{ _tag: 'MissingProvisioningRequest', licenseChangeId: second, subscriptionId: exchange }])
  })

  test('a Manual change from the provider needs no request', () => {
    expect(audit(log(
      subscriptionCreated(),
      licenseChangeRecorded({ licenseChangeId: first, previousQuantity: qty(0), newQuantity: qty(10), origin: 'provider', status: 'Not Applicable' }),
    ))).toStrictEqual([])
  })

  test('describes each violation in one readable line', () => {
    expect(describeViolation({ _tag: 'QuantityMismatch', subscriptionId: 'S', quantity: 12, sumOfDeltas: 10, difference: 2 }))
      .toBe('subscription S: quantity 12 but its License Changes add up to 10 (difference 2)')
    expect(describeViolation({ _tag: 'IllegalTransition', licenseChangeId: 'L', event: 'ProvisioningReminderSent', from: 'Provisioned', streamId: 'licensechange-L', revision: 3 }))
      .toBe('License Change L: ProvisioningReminderSent after Provisioned is not a legal transition (stream licensechange-L revision 3)')
    expect(describeViolation({ _tag: 'MissingProvisioningRequest', licenseChangeId: 'L', subscriptionId: 'S' }))
      .toBe('License Change L of subscription S is Manual but no provisioning request email is on record')
  })
})
