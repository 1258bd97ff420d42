import * as E from 'fp-ts/Either'
import * as path from 'path'
import { rawOf } from '../../src/app/transfer/eventLine'
import { decodeRecorded, Recorded } from '../../src/domain/envelope'
import { eventCodecs } from '../../src/domain/events'
import { schemaRegistry } from '../../src/domain/schema'
import { allProjections } from '../../src/projections/all'
import { createAudit } from '../../src/projections/audit'
import { canonicalJson } from '../../src/projections/digest'
import { applyEvent } from '../../src/projections/runner'
import { openMemoryStorage } from '../../src/store/memory'
import { fixtureFiles, fixturesFolder, readFixture } from '../support/fixtures'

const decodeAll = (file: string): ReadonlyArray<Recorded> => readFixture(file).map((line, index) => {
  const decoded = decodeRecorded(rawOf(line, index + 1))
  if (E.isLeft(decoded)) throw new Error(`${path.basename(file)} line ${index + 1}: ${decoded.left.reason}`)
  return decoded.right
})

describe('golden files of every stored event shape', () => {
  const files = fixtureFiles()

  test.each(Object.keys(eventCodecs))('%s has a golden file of its current schema version', (type) => {
    const version = schemaRegistry.currentVersion(type)
    const found = files.filter((file) => file.type === type).map((file) => file.version)
    if (!found.includes(version)) {
      throw new Error(`no test/fixtures/events/${type}.v${version}.ndjson: add one line of each shape of ${type} as seatflow stores it today`)
    }
  })

  test.each(files.map((f) => [path.basename(f.file), f] as const))('%s reads back through the upcasters and codecs', (_name, { file, type, version }) => {
    expect(Object.keys(eventCodecs)).toContain(type)
    expect(version).toBeLessThanOrEqual(schemaRegistry.currentVersion(type))
    const lines = readFixture(file)
    expect(lines.length).toBeGreaterThan(0)
    lines.forEach((line) => {
      expect(line.type).toBe(type)
      expect(line.metadata.schemaVersion).toBe(version)
    })
    const events = decodeAll(file)
    if (version === schemaRegistry.currentVersion(type)) {
      // Today's shape: the codec neither drops nor adds a field of what is stored.
      const codec = eventCodecs[type as keyof typeof eventCodecs] as unknown as { encode: (e: unknown) => { data: unknown } }
      events.forEach((event, index) => expect(canonicalJson(codec.encode(event).data)).toBe(canonicalJson(lines[index]?.data)))
    }
  })

  test('events stored before schema versions existed read as version 1', () => {
    const file = path.join(fixturesFolder, 'unversioned', 'first-events.ndjson')
    const lines = readFixture(file)
    lines.forEach((line) => expect(line.metadata).not.toHaveProperty('schemaVersion'))
    expect(decodeAll(file)).toHaveLength(lines.length)
  })

  test('every golden event replays through every projection and the audit', () => {
    const events = files.flatMap(({ file }) => decodeAll(file)).sort((a, b) => a.position - b.position)
    const { views } = openMemoryStorage()
    const audit = createAudit()
    views.update('golden', (tx) => {
      events.forEach((event) => { applyEvent(tx, allProjections, event); audit.observe(event) })
      return events.length
    })
    expect(views.rows('licenseChanges').length).toBeGreaterThan(0)
    expect(views.rows('providers').length).toBeGreaterThan(0)
    expect(() => audit.finish()).not.toThrow()
  })
})
