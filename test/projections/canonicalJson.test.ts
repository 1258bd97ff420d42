import fc from 'fast-check'
import { canonicalJson, plainRowText, rowText } from '../../src/projections/digest'

/** The canonical text as defined, written field by field: keys in code-unit order, undefined fields left out. */
const reference = (value: unknown): string | undefined => {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map((item) => reference(item) ?? '').join(',')}]`
  const record = value as Record<string, unknown>
  const fields = Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .filter((key) => record[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${reference(record[key]) ?? ''}`)
  return `{${fields.join(',')}}`
}

/** Keys an engine orders or keeps apart (array indexes, `__proto__`), beside ordinary ones. */
const aKey = fc.oneof(fc.string(), fc.constantFrom('0', '1', '10', '9', '4294967295', '01', '__proto__', 'constructor', ''))

/** JSON values and the things rows must never hold but the text must still treat as it always did. */
const aValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(undefined, Number.NaN, -0, new Date(0), '\u2028 \ud800 "quoted"'),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(aKey, tie('value')), { maxLength: 5 }).map((fields) => {
      const record: Record<string, unknown> = {}
      for (const [key, field] of fields) Object.defineProperty(record, key, { value: field, enumerable: true, writable: true, configurable: true })
      return record
    }),
  ),
})).value

describe('canonical JSON', () => {
  it('is the text written field by field, for plain values and for every odd one', () => {
    fc.assert(fc.property(aValue, (value) => {
      expect(canonicalJson(value)).toBe(reference(value) ?? undefined)
    }), { numRuns: 2_000 })
  })

  it('writes a License Change row with its keys sorted, whatever their order', () => {
    expect(canonicalJson({ status: 'Provisioned', attempts: 0, copiedEmails: ['b', 'a'], provider: { name: 'D', kind: 'Manual' } }))
      .toBe('{"attempts":0,"copiedEmails":["b","a"],"provider":{"kind":"Manual","name":"D"},"status":"Provisioned"}')
  })

  it('says which rows its text gives back: plain JSON rows, not a list holding undefined, a Date or a function', () => {
    const plain = { a: 1, list: ['x', null], nested: { b: true }, gone: undefined, recordedPosition: 7 }
    expect(plainRowText(plain)).toBe(rowText(plain))
    expect(plainRowText(plain)).toBe('{"a":1,"list":["x",null],"nested":{"b":true}}\n')
    for (const odd of [{ list: [undefined] }, { at: new Date(0) }, { nested: { f: () => 1 } }, { s: Symbol('s') }]) expect(plainRowText(odd)).toBeNull()
    expect(plainRowText({ after: 'an odd row, the next plain one is plain again' })).not.toBeNull()
  })
})
