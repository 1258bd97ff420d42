import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { formatErrors, show } from '../../src/domain/validation'
import { Quantity } from '../../src/domain/values'

const problems = (value: unknown): ReadonlyArray<string> => {
  const decoded = t.strict({ quantity: Quantity }).decode({ quantity: value })
  return E.isLeft(decoded) ? formatErrors(decoded.left) : []
}

describe('a refused value is shown as itself', () => {
  test.each([
    [Number.NaN, 'NaN'], [Number.POSITIVE_INFINITY, 'Infinity'], [Number.NEGATIVE_INFINITY, '-Infinity'], [-0.5, '-0.5'],
    [BigInt(12), '12n'], [function seats() { return 1 }, '[function seats]'], [() => 1, '[function]'], [Symbol('x'), 'Symbol(x)'],
  ])('%p', (value, shown) => {
    expect(problems(value)).toStrictEqual([`quantity: expected Quantity, got ${shown}`])
  })

  test('a missing value is "nothing"; undefined, NaN and bigint inside a list or object are themselves, never null', () => {
    expect(problems(undefined)).toStrictEqual(['quantity: expected Quantity, got nothing'])
    expect(show([undefined, Number.NaN, BigInt(1), null])).toBe('[undefined,NaN,1n,null]')
    expect(show({ a: undefined, b: Number.POSITIVE_INFINITY })).toBe('{"a":undefined,"b":Infinity}')
  })

  test('a circular value, a date and a long list are shown without throwing', () => {
    const circular: Record<string, unknown> = { a: 1 }
    circular['self'] = circular
    expect(show(circular)).toBe('{"a":1,"self":[circular]}')
    expect(show(new Date('2026-01-05T09:00:00.000Z'))).toBe('"2026-01-05T09:00:00.000Z"')
    expect(show(Array.from({ length: 1000 }, (_, i) => i))).toBe('[0,1,2,3,4,5,6,7,8,9,10,11,...]')
  })

  test('control characters in a shown value are escaped, and it is cut at 60 characters', () => {
    expect(show('a\r\n\u001b\u202e')).toBe('"a\\r\\n\\u001b\\u202e"')
    expect(show('x'.repeat(100))).toBe(`"${'x'.repeat(56)}...`)
  })
})
