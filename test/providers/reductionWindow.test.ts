import fc from 'fast-check'
import { reductionVerdict } from '../../src/providers/reductionWindow'

const now = new Date('2026-01-10T12:00:00.000Z')
const hoursFromNow = (n: number): string => new Date(now.getTime() + n * 3_600_000).toISOString()

describe('the new-commerce reduction window', () => {
  it('allows any increase, even with every window closed', () => {
    expect(reductionVerdict({ currentQuantity: 10, targetQuantity: 12, windows: [{ quantity: 5, allowedUntil: hoursFromNow(-100) }], now }))
      .toEqual({ _tag: 'Allowed' })
  })

  it('allows a decrease that fits in the open windows, adding up several batches', () => {
    const windows = [{ quantity: 2, allowedUntil: hoursFromNow(1) }, { quantity: 3, allowedUntil: hoursFromNow(100) }]
    expect(reductionVerdict({ currentQuantity: 20, targetQuantity: 15, windows, now })).toEqual({ _tag: 'Allowed' })
  })

  it('refuses a decrease past the open windows and says how many are removable and when the other window closed', () => {
    const windows = [{ quantity: 2, allowedUntil: hoursFromNow(5) }, { quantity: 4, allowedUntil: hoursFromNow(-2) }]
    const verdict = reductionVerdict({ currentQuantity: 20, targetQuantity: 15, windows, now })
    expect(verdict).toEqual({
      _tag: 'WindowClosed',
      closedAt: '2026-01-10T10:00:00.000Z',
      reason: 'cannot remove 5 seats (20 -> 15): only 2 seats are removable now (until 2026-01-10T17:00:00.000Z); the reduction window closed at 2026-01-10T10:00:00.000Z; seats outside the window can only be removed at renewal',
    })
  })

  it('takes the window from the provider, not a fixed 7 days: a window 30 days long is still open on day 20', () => {
    const addedAt = now.getTime() - 20 * 24 * 3_600_000
    const windows = [{ quantity: 3, allowedUntil: new Date(addedAt + 30 * 24 * 3_600_000).toISOString() }]
    expect(reductionVerdict({ currentQuantity: 3, targetQuantity: 0, windows, now })._tag).toBe('Allowed')
  })

  it('a window that ends exactly now is closed', () => {
    const verdict = reductionVerdict({ currentQuantity: 4, targetQuantity: 3, windows: [{ quantity: 1, allowedUntil: now.toISOString() }], now })
    expect(verdict).toMatchObject({ _tag: 'WindowClosed', closedAt: now.toISOString() })
    expect(verdict._tag === 'WindowClosed' && verdict.reason).toContain('no seats are removable now')
  })

  it('an empty list of windows refuses every decrease; no reported windows (not new commerce) allows it', () => {
    expect(reductionVerdict({ currentQuantity: 4, targetQuantity: 3, windows: [], now })).toMatchObject({
      _tag: 'WindowClosed', closedAt: null, reason: expect.stringContaining('the provider reports no reduction window'),
    })
    expect(reductionVerdict({ currentQuantity: 4, targetQuantity: 0, windows: null, now })).toEqual({ _tag: 'Allowed' })
  })

  it('allows exactly the decreases that fit in the seats of the open windows (property)', () => {
    const batch = fc.record({ quantity: fc.integer({ min: 0, max: 20 }), offsetHours: fc.integer({ min: -400, max: 400 }) })
    fc.assert(fc.property(fc.array(batch, { maxLength: 5 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), (batches, current, target) => {
      const windows = batches.map((b) => ({ quantity: b.quantity, allowedUntil: hoursFromNow(b.offsetHours) }))
      const open = batches.filter((b) => b.offsetHours > 0).reduce((sum, b) => sum + b.quantity, 0)
      const allowed = target >= current || current - target <= open
      expect(reductionVerdict({ currentQuantity: current, targetQuantity: target, windows, now })._tag).toBe(allowed ? 'Allowed' : 'WindowClosed')
    }))
  })
})
