import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { SubscriptionCreated } from '../../src/domain/events'
import { decodeWith, formatErrors } from '../../src/domain/validation'
import { Email, IsoTime, Multiplier, NonEmptyString, Quantity, SubscriptionId } from '../../src/domain/values'
import { ids, subscriptionData } from '../support/given'

const accepts = (codec: t.Mixed, value: unknown): boolean => E.isRight(codec.decode(value))
const problemsOf = (codec: t.Mixed, value: unknown): ReadonlyArray<string> => {
  const decoded = codec.decode(value)
  return E.isLeft(decoded) ? formatErrors(decoded.left) : []
}

describe('a quantity', () => {
  test.each([0, 1, 250, 10_000_000])('%p seats is a quantity', (n) => {
    expect(accepts(Quantity, n)).toBe(true)
  })
  test.each([-1, -3, 1.5, 0.1, 10_000_001, Number.NaN, Number.POSITIVE_INFINITY, '3', null])('%p is not a quantity', (n) => {
    expect(accepts(Quantity, n)).toBe(false)
  })
})

describe('a multiplier', () => {
  test('is a whole number from 1 to 10,000', () => {
    expect([1, 10_000].map((n) => accepts(Multiplier, n))).toEqual([true, true])
    expect([0, -1, 2.5, 10_001].map((n) => accepts(Multiplier, n))).toEqual([false, false, false, false])
  })
})

describe('an email address', () => {
  test.each(['owner@customer.example', 'first.last+seats@sub.domain.example'])('%s is an address', (s) => {
    expect(accepts(Email, s)).toBe(true)
  })
  test.each([
    '', 'owner', 'owner@customer', '@customer.example', 'owner@', 'two words@customer.example',
    'Owner <owner@customer.example>', 'a@customer.example,b@customer.example', 'a@b@customer.example',
    ` owner@customer.example`, `${'a'.repeat(250)}@b.example`,
  ])('%p is not one address', (s) => {
    expect(accepts(Email, s)).toBe(false)
  })
})

describe('a name', () => {
  test('is trimmed, not empty, at most 500 characters', () => {
    expect(['Exchange Online', 'x', 'a'.repeat(500)].map((s) => accepts(NonEmptyString, s))).toEqual([true, true, true])
  })
  test.each(['', '   ', ' Exchange', 'Exchange ', '\tExchange', 'a'.repeat(501)])('%p is refused', (s) => {
    expect(accepts(NonEmptyString, s)).toBe(false)
  })
})

describe('an instant', () => {
  test('is ISO-8601 in UTC', () => {
    expect(accepts(IsoTime, '2026-01-05T09:00:00.000Z')).toBe(true)
    expect(accepts(IsoTime, '2026-01-05T09:00:00Z')).toBe(true)
    expect(['2026-01-05', '2026-01-05T09:00:00+01:00', '2026-13-45T09:00:00Z', 'yesterday'].map((s) => accepts(IsoTime, s)))
      .toEqual([false, false, false, false])
  })
})

describe('an id', () => {
  test('is a uuid', () => {
    expect(accepts(SubscriptionId, ids.subscription('x'))).toBe(true)
    expect(accepts(SubscriptionId, 'sub-1')).toBe(false)
  })
})

describe('the problems of a value, as people read them', () => {
  test('name the field, what was expected and what came', () => {
    expect(problemsOf(SubscriptionCreated, { type: 'SubscriptionCreated', data: { ...subscriptionData(), quantity: -3 } }))
      .toEqual(['data.quantity: expected Quantity, got -3'])
  })

  test('list every wrong field once, one per line', () => {
    const lines = problemsOf(SubscriptionCreated, {
      type: 'SubscriptionCreated',
      data: { ...subscriptionData(), quantity: 2.5, product: ' Teams', contractOwnerEmail: 'owner at customer' },
    })
    expect([...lines].sort()).toEqual([
      'data.contractOwnerEmail: expected Email, got "owner at customer"',
      'data.product: expected NonEmptyString, got " Teams"',
      'data.quantity: expected Quantity, got 2.5',
    ])
  })

  test('say "nothing" for a missing field', () => {
    const { quantity: _dropped, ...withoutQuantity } = subscriptionData()
    expect(problemsOf(SubscriptionCreated, { type: 'SubscriptionCreated', data: withoutQuantity }))
      .toEqual(['data.quantity: expected Quantity, got nothing'])
  })

  test('give the index of a wrong item in a list', () => {
    expect(problemsOf(t.strict({ cc: t.readonlyArray(Email) }), { cc: ['ok@customer.example', 'nope'] }))
      .toEqual(['cc.1: expected Email, got "nope"'])
  })

  test('shorten a long value to 60 characters', () => {
    const long = `${'x'.repeat(100)} `
    const [line] = problemsOf(t.strict({ product: NonEmptyString }), { product: long })
    expect(line).toBe(`product: expected NonEmptyString, got "${'x'.repeat(56)}...`)
    expect(line?.length).toBe('product: expected NonEmptyString, got '.length + 60)
  })

  test('a value wrong at the top says "value"', () => {
    expect(problemsOf(Quantity, -3)).toEqual(['value: expected Quantity, got -3'])
  })

  test('decodeWith gives the value or the readable problems', () => {
    expect(decodeWith(Quantity, 4)).toEqual({ ok: true, value: 4 })
    expect(decodeWith(Quantity, -3)).toEqual({ ok: false, problems: ['value: expected Quantity, got -3'] })
  })
})
