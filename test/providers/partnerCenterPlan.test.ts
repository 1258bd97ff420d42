import { planOf, showsAsked } from '../../src/providers/partnerCenterPlan'
import { PartnerCenterSubscription, readSubscriptionResource } from '../../src/providers/partnerCenterResource'
import { cancellationVerdict } from '../../src/providers/reductionWindow'

const now = new Date('2026-01-10T12:00:00.000Z')
const hoursFromNow = (n: number): string => new Date(now.getTime() + n * 3_600_000).toISOString()
const read = (overrides: Partial<PartnerCenterSubscription> = {}): PartnerCenterSubscription => ({
  body: { id: 'sub-1', offerId: 'CFQ7TTC0LH18:0001', quantity: 10, status: 'active' },
  quantity: 10, etag: '"1"', windows: null, status: 'active', cancellationAllowedUntil: hoursFromNow(24), ...overrides,
})

describe('the new-commerce cancellation window', () => {
  it('allows a cancellation until cancellationAllowedUntilDate, and not from that moment on', () => {
    expect(cancellationVerdict({ allowedUntil: hoursFromNow(1), now })).toEqual({ _tag: 'Allowed' })
    expect(cancellationVerdict({ allowedUntil: now.toISOString(), now })).toEqual({
      _tag: 'WindowClosed', closedAt: now.toISOString(),
      reason: 'cannot cancel: the cancellation window closed at 2026-01-10T12:00:00.000Z (cancellationAllowedUntilDate); the subscription can only be ended at renewal (turn off its auto-renewal)',
    })
  })

  it('refuses when the provider says none is allowed (null), and leaves it to the provider when it reports none (not new commerce)', () => {
    expect(cancellationVerdict({ allowedUntil: null, now })).toMatchObject({ _tag: 'WindowClosed', closedAt: null, reason: expect.stringContaining('reports no cancellation window') })
    expect(cancellationVerdict({ allowedUntil: undefined, now })).toEqual({ _tag: 'Allowed' })
  })
})

describe('what a Partner Center attempt sends after reading the subscription', () => {
  it('a cancel sends the resource as read with status deleted, and its quantity untouched; refused past the window', () => {
    expect(planOf({ action: 'cancel', targetQuantity: 0 }, read(), now)).toEqual({ _tag: 'Patch', body: { id: 'sub-1', offerId: 'CFQ7TTC0LH18:0001', quantity: 10, status: 'deleted' } })
    expect(planOf({ action: 'cancel', targetQuantity: 0 }, read({ cancellationAllowedUntil: hoursFromNow(-1) }), now))
      .toMatchObject({ _tag: 'Done', result: { _tag: 'PermanentFailure', code: 'CancellationWindowClosed', reason: expect.stringMatching(/^Partner Center cannot cancel: /) } })
  })

  it('a reactivate sends status active with the target; a change only the quantity', () => {
    expect(planOf({ action: 'reactivate', targetQuantity: 12 }, read({ status: 'suspended' }), now)).toMatchObject({ _tag: 'Patch', body: { status: 'active', quantity: 12 } })
    expect(planOf({ action: 'set quantity', targetQuantity: 12 }, read(), now)).toMatchObject({ _tag: 'Patch', body: { status: 'active', quantity: 12 } })
  })

  it('is confirmed by the status for a cancel, by status and quantity for a reactivate, by the quantity for a change', () => {
    expect(showsAsked({ action: 'cancel', targetQuantity: 0 }, { status: 'deleted', quantity: 10 })).toBe(true)
    expect(showsAsked({ action: 'cancel', targetQuantity: 0 }, { status: 'active', quantity: 0 })).toBe(false)
    expect(showsAsked({ action: 'reactivate', targetQuantity: 12 }, { status: 'suspended', quantity: 12 })).toBe(false)
    expect(showsAsked({ action: 'reactivate', targetQuantity: 12 }, { status: 'active', quantity: 12 })).toBe(true)
    expect(showsAsked({ action: 'set quantity', targetQuantity: 12 }, { status: 'suspended', quantity: 12 })).toBe(true)
    expect(planOf({ action: 'cancel', targetQuantity: 0 }, read({ status: 'deleted', cancellationAllowedUntil: hoursFromNow(-9) }), now)).toEqual({ _tag: 'Done', result: { _tag: 'Provisioned' } })
  })
})

describe('a subscription resource as read', () => {
  it('carries its status and cancellationAllowedUntilDate: null kept, absent undefined, a non-date refused', () => {
    expect(readSubscriptionResource({ quantity: 3, status: 'Suspended', cancellationAllowedUntilDate: null }, null)).toMatchObject({ status: 'suspended', cancellationAllowedUntil: null })
    expect(readSubscriptionResource({ quantity: 3 }, null)).toMatchObject({ status: 'active', cancellationAllowedUntil: undefined })
    expect(readSubscriptionResource({ quantity: 3, cancellationAllowedUntilDate: 'soon' }, null)).toBe('cancellationAllowedUntilDate holds "soon", not a date')
  })
})
