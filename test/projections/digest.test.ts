import { digestViews } from '../../src/projections/digest'
import { openMemoryStorage } from '../../src/store/memory'
import { ViewStore } from '../../src/store/views'

type Rows = ReadonlyArray<readonly [string, string, unknown]>

const viewsWith = (rows: Rows): ViewStore => {
  const { views } = openMemoryStorage()
  views.update('test', (tx) => {
    rows.forEach(([view, key, row]) => tx.put(view, key, row))
    return 1
  })
  return views
}
const digestOf = (rows: Rows, names: ReadonlyArray<string> = ['licenseChanges', 'providers']): string =>
  digestViews(viewsWith(rows), names)

const change = { licenseChangeId: 'a', status: 'Provisioned', copiedEmails: ['x@y.example', 'z@y.example'], provider: { kind: 'Manual', name: 'D' } }
const sameChangeOtherKeyOrder = { provider: { name: 'D', kind: 'Manual' }, copiedEmails: ['x@y.example', 'z@y.example'], status: 'Provisioned', licenseChangeId: 'a' }
const provider = { providerId: 'p', active: true }

describe('the digest of the views', () => {
  test('is a sha256 in hex', () => {
    expect(digestOf([['licenseChanges', 'a', change]])).toMatch(/^[0-9a-f]{64}$/)
  })

  test('is the same for the same rows', () => {
    expect(digestOf([['licenseChanges', 'a', change]])).toBe(digestOf([['licenseChanges', 'a', change]]))
  })

  test('does not depend on the key order inside rows, nested objects included', () => {
    expect(digestOf([['licenseChanges', 'a', change], ['providers', 'p', provider]]))
      .toBe(digestOf([['licenseChanges', 'a', sameChangeOtherKeyOrder], ['providers', 'p', provider]]))
  })

  test('does not depend on the order rows were written in', () => {
    const b = { ...change, licenseChangeId: 'b' }
    expect(digestOf([['licenseChanges', 'a', change], ['licenseChanges', 'b', b], ['providers', 'p', provider]]))
      .toBe(digestOf([['providers', 'p', provider], ['licenseChanges', 'b', b], ['licenseChanges', 'a', change]]))
  })

  test('differs when one value of one row differs', () => {
    expect(digestOf([['licenseChanges', 'a', change]]))
      .not.toBe(digestOf([['licenseChanges', 'a', { ...change, status: 'Awaiting Provisioning' }]]))
  })

  test('differs when the order of a list inside a row differs: lists are ordered', () => {
    expect(digestOf([['licenseChanges', 'a', change]]))
      .not.toBe(digestOf([['licenseChanges', 'a', { ...change, copiedEmails: ['z@y.example', 'x@y.example'] }]]))
  })

  test('differs when a row is added or missing', () => {
    const one = digestOf([['licenseChanges', 'a', change]])
    const two = digestOf([['licenseChanges', 'a', change], ['licenseChanges', 'b', { ...change, licenseChangeId: 'b' }]])
    expect(one).not.toBe(two)
    expect(digestOf([])).not.toBe(one)
  })

  test('differs when a row moves to another view', () => {
    expect(digestOf([['licenseChanges', 'p', provider]])).not.toBe(digestOf([['providers', 'p', provider]]))
  })

  test('covers only the views named', () => {
    expect(digestOf([['licenseChanges', 'a', change], ['other', 'o', { n: 1 }]]))
      .toBe(digestOf([['licenseChanges', 'a', change], ['other', 'o', { n: 2 }]]))
  })

  test('a number and its text differ', () => {
    expect(digestOf([['providers', 'p', { n: 1 }]])).not.toBe(digestOf([['providers', 'p', { n: '1' }]]))
  })

  test('leaves out where a store put the event, so a log moved to another store keeps its digest', () => {
    expect(digestOf([['licenseChanges', 'a', { ...change, recordedPosition: 7 }]]))
      .toBe(digestOf([['licenseChanges', 'a', { ...change, recordedPosition: 7_300_214 }]]))
    expect(digestOf([['licenseChanges', 'a', { ...change, recordedAt: '2026-01-05T09:00:00.000Z' }]]))
      .not.toBe(digestOf([['licenseChanges', 'a', { ...change, recordedAt: '2026-01-05T09:00:01.000Z' }]]))
  })
})

describe('the digest and store positions', () => {
  test('leaves out where events landed in the store, so that every store gives the same digest for one history', () => {
    const at = (recordedPosition: number) => {
      const { views } = openMemoryStorage()
      views.update('p', (tx) => { tx.put('v', 'k', { licenseChangeId: 'a', recordedPosition }); return 1 })
      return digestViews(views, ['v'])
    }
    expect(at(3)).toBe(at(104_857))
  })
})
