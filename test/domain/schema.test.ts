import * as E from 'fp-ts/Either'
import * as path from 'path'
import { rawOf } from '../../src/app/transfer/eventLine'
import { openSeatflow, storageOf } from '../support/app'
import { decodeRecorded, describeUndecodable } from '../../src/domain/envelope'
import { createSchemaRegistry, schemaRegistry, storedVersionOf, upcast, withSchemaVersion } from '../../src/domain/schema'
import { fixturesFolder, readFixture } from '../support/fixtures'

/**
 * A registry that exists only here: it pretends LicenseChangeProvisioned once had neither `via`
 * nor `note` (version 1, when every change was provisioned by a person), and that today's
 * shape is its version 2.
 */
const testRegistry = createSchemaRegistry([
  { type: 'LicenseChangeProvisioned', from: 1, up: (data) => ({ ...(data as object), via: 'person', note: null }) },
])
const olderShape = readFixture(path.join(fixturesFolder, 'test-registry', 'LicenseChangeProvisioned.v1.ndjson'))
const todaysShape = readFixture(path.join(fixturesFolder, 'LicenseChangeProvisioned.v1.ndjson'))

describe('schema versions', () => {
  test('production: every type is at version 1, and new events are stored with it', () => {
    expect(schemaRegistry.currentVersion('SubscriptionCreated')).toBe(1)
    expect(withSchemaVersion({ actor: 'dana' }, 'SubscriptionCreated')).toEqual({ actor: 'dana', schemaVersion: 1 })
  })

  test('a missing version reads as 1; a bad one is refused', () => {
    expect(storedVersionOf({ actor: 'dana' })).toEqual(E.right(1))
    expect(storedVersionOf({ schemaVersion: 3 })).toEqual(E.right(3))
    expect(storedVersionOf({ schemaVersion: 0 })).toEqual(E.left('metadata schemaVersion: expected a whole number from 1, got 0'))
    expect(storedVersionOf({ schemaVersion: '2' })).toEqual(E.left('metadata schemaVersion: expected a whole number from 1, got "2"'))
  })

  test('upcasters must run from version 1 without a gap', () => {
    expect(() => createSchemaRegistry([{ type: 'X', from: 2, up: (d) => d }])).toThrow('without a gap')
    const registry = createSchemaRegistry([{ type: 'X', from: 2, up: (d) => [d, 2] }, { type: 'X', from: 1, up: (d) => [d, 1] }])
    expect(registry.currentVersion('X')).toBe(3)
    expect(upcast(registry, 'X', 1, 'd')).toEqual(E.right([['d', 1], 2]))
    expect(upcast(registry, 'X', 2, 'd')).toEqual(E.right(['d', 2]))
    expect(upcast(registry, 'X', 3, 'd')).toEqual(E.right('d'))
  })

  test('an older stored shape is upcast on read, before validation', () => {
    const [line] = olderShape
    if (line === undefined) throw new Error('empty golden file')
    expect(line.data).not.toHaveProperty('via')
    expect(E.isLeft(decodeRecorded(rawOf(line, 1)))).toBe(true) // the production registry has no such step
    const decoded = decodeRecorded(rawOf(line, 1), testRegistry)
    expect(E.isRight(decoded) && decoded.right.data).toEqual({ ...(line.data as object), via: 'person', note: null })
  })

  test('today\'s shape stored as version 2 of the test registry reads as it is', () => {
    todaysShape.forEach((line) => {
      const decoded = decodeRecorded(rawOf({ ...line, metadata: { ...line.metadata, schemaVersion: 2 } }, 1), testRegistry)
      expect(E.isRight(decoded) && decoded.right.data).toEqual(line.data)
    })
  })

  test('a version newer than this seatflow knows stops with where the event is and what to do', () => {
    const [line] = todaysShape
    if (line === undefined) throw new Error('empty golden file')
    const decoded = decodeRecorded(rawOf({ ...line, metadata: { ...line.metadata, schemaVersion: 2 } }, 58))
    if (E.isRight(decoded)) throw new Error('a newer version was read')
    expect(describeUndecodable(decoded.left)).toBe(
      `stored event LicenseChangeProvisioned at stream ${line.stream} revision ${line.revision} (position 58) is unreadable: `
      + 'schema version 2 of LicenseChangeProvisioned was written by a newer seatflow (this one reads up to version 1): upgrade seatflow to read this store')
  })

  test('an upcaster that throws is reported, not passed over', () => {
    const broken = createSchemaRegistry([{ type: 'LicenseChangeProvisioned', from: 1, up: () => { throw new Error('no by') } }])
    const [line] = olderShape
    if (line === undefined) throw new Error('empty golden file')
    const decoded = decodeRecorded(rawOf(line, 1), broken)
    expect(E.isLeft(decoded) && decoded.left.reason).toBe('upcasting LicenseChangeProvisioned from schema version 1 failed: no by')
  })
})

describe('what seatflow stores', () => {
  test('every event it appends carries the current schema version of its type', async () => {
    const app = await openSeatflow({ store: 'memory:' })
    try {
      const events = []
      for await (const batch of storageOf(app).events.readAll({ after: 0 })) events.push(...batch)
      expect(events.length).toBeGreaterThan(0)
      events.forEach((event) => expect(event.metadata.schemaVersion).toBe(schemaRegistry.currentVersion(event.type)))
    } finally { await app.close() }
  })
})
