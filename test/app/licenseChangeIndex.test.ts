import Database from 'better-sqlite3'
import fc from 'fast-check'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { licenseChangePage, LicenseChangeFilter, LicenseChangePage, passes } from '../../src/app/queries'
import { statusAndProvider } from '../../src/app/licenseChangeIndex'
import { LicenseChangeRow, licenseChangesView } from '../../src/projections/licenseChangeLog'
import { openMemoryStorage } from '../../src/store/memory'
import { openSqliteStorage } from '../../src/store/sqlite'
import { viewIndexes } from '../../src/store/sqliteViewIndexes'
import { Storage } from '../../src/store/storage'
import { ViewStore } from '../../src/store/views'

let dir = ''
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-page-index-')) })
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }) })

/** The page as seatflow read it before the store's indexes: the view in key order, filtered in JavaScript. */
const scanningPage = (views: ViewStore, filter: LicenseChangeFilter, after: string | null, limit: number): LicenseChangePage => {
  const keep = passes(filter)
  const rows: LicenseChangeRow[] = []
  let cursor = after
  for (;;) {
    const scanned = views.scan(licenseChangesView, cursor, 200)
    for (const { key, row } of scanned) {
      cursor = key
      if (!keep(row as LicenseChangeRow)) continue
      rows.push(row as LicenseChangeRow)
      if (rows.length === limit) return { rows, next: views.scan(licenseChangesView, key, 1).length > 0 ? key : null }
    }
    if (scanned.length < 200) return { rows, next: null }
  }
}

// Names and ids that differ in case, that JavaScript folds and SQLite's lower() does not (Ü), and
// the Kelvin sign that JavaScript folds to an ASCII k.
const providers = ['TechData', 'techdata', 'TECHDATA', 'Manual Provider', 'Überprovider', 'ÜBERPROVIDER', '\u212Aelvin', 'Kelvin', 'manual', 'Do Nothing']
const providerIds = ['techdata', 'TechData', 'p-1', 'P-1', 'ü-2', 'manual']
const statuses = ['Not Applicable', 'Awaiting Provisioning', 'Provisioned', 'Failed Provisioning'] as const
const kinds = ['Do Nothing', 'Manual', 'Automatic'] as const

const rowArbitrary = fc.record({
  status: fc.constantFrom(...statuses), providerKind: fc.constantFrom(...kinds), provider: fc.constantFrom(...providers),
  providerId: fc.constantFrom(...providerIds), statusReason: fc.constantFrom('Active', 'Archived'), kind: fc.constantFrom('Quantity', 'Cancellation'),
  subscriptionId: fc.constantFrom('s-1', 's-2', 's-3'), recordedAt: fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'),
})

const logArbitrary = fc.uniqueArray(fc.tuple(fc.stringMatching(/^[0-9a-f]{1,6}$/), rowArbitrary), { selector: ([id]) => id, minLength: 0, maxLength: 300 })
  .map((rows) => rows.map(([licenseChangeId, row]) => ({ ...row, licenseChangeId })))

const filterArbitrary: fc.Arbitrary<LicenseChangeFilter> = fc.record({
  status: fc.constantFrom(...statuses), provider: fc.constantFrom(...providers, ...providerIds, 'automatic', 'MANUAL', 'kelvin', 'überprovider', 'nobody'),
  statusReason: fc.constantFrom('Active', 'Archived'), subscriptionId: fc.constantFrom('s-1', 'S-2'), since: fc.constant(new Date('2026-01-15T00:00:00.000Z')),
}, { requiredKeys: [] }) as fc.Arbitrary<LicenseChangeFilter>

const write = (storage: Storage, rows: ReadonlyArray<{ readonly licenseChangeId: string } & Readonly<Record<string, unknown>>>): void => {
  storage.views.update('test', (tx) => { rows.forEach((row) => tx.put(licenseChangesView, row.licenseChangeId, row)); return 1 })
}

/** Every page of a filter, from the first to the last, as `read` gives them. */
const allPages = (read: (after: string | null) => LicenseChangePage): ReadonlyArray<LicenseChangePage> => {
  const pages = [read(null)]
  for (let next = pages[0]?.next ?? null; next !== null; next = pages[pages.length - 1]?.next ?? null) pages.push(read(next))
  return pages
}

const samePages = (views: ViewStore, filter: LicenseChangeFilter, limit: number): void => {
  expect(allPages((after) => licenseChangePage(views, filter, after, limit))).toEqual(allPages((after) => scanningPage(views, filter, after, limit)))
}

type Opened = { readonly storage: Storage; readonly done: () => Promise<void> }
let files = 0
const stores: ReadonlyArray<readonly [string, () => Opened]> = [
  ['memory', () => { const storage = openMemoryStorage(); return { storage, done: () => storage.close() } }],
  ['a SQLite file', () => {
    const file = path.join(dir, `log-${files += 1}.db`)
    const storage = openSqliteStorage(file)
    return { storage, done: async () => { await storage.close(); fs.rmSync(file, { force: true }) } }
  }],
]

describe.each(stores)('a filtered page of the License Change Log on %s', (_name, open) => {
  it('is the page the scan of the whole view gives, for every filter, page size and cursor to the end', async () => {
    await fc.assert(fc.asyncProperty(logArbitrary, fc.array(filterArbitrary, { minLength: 1, maxLength: 8 }), fc.constantFrom(1, 3, 100), async (rows, filters, limit) => {
      const { storage, done } = open()
      try {
        write(storage, rows)
        filters.forEach((filter) => samePages(storage.views, filter, limit))
      } finally {
        await done()
      }
    }), { numRuns: 40 })
  })

  it('is the page the scan gives for every status and provider, on a log of every kind of row', async () => {
    const { storage, done } = open()
    try {
      const rows = fc.sample(rowArbitrary, { numRuns: 400, seed: 1 }).map((row, n) => ({ ...row, licenseChangeId: n.toString(16).padStart(4, '0') }))
      write(storage, rows)
      for (const status of [undefined, ...statuses]) {
        for (const provider of [undefined, ...providers, ...providerIds, 'automatic', 'kelvin', 'überprovider', 'nobody']) {
          const filter: LicenseChangeFilter = { ...(status === undefined ? {} : { status }), ...(provider === undefined ? {} : { provider }) }
          for (const limit of [7, 100]) samePages(storage.views, filter, limit)
        }
      }
    } finally {
      await done()
    }
  })

  it('reads a status and a provider off the store (SQLite: its indexes), never refusing an ASCII provider', async () => {
    const { storage, done } = open()
    try {
      write(storage, [{ licenseChangeId: 'a', status: 'Provisioned', provider: 'TechData', providerId: 'td', providerKind: 'Automatic' }])
      for (const filter of [{ status: 'Provisioned' as const }, { provider: 'TECHDATA' }, { status: 'Provisioned' as const, provider: 'td' }]) {
        const where = statusAndProvider(filter)
        expect(where === undefined ? undefined : storage.views.scanWhere(licenseChangesView, where, null, 10)?.map((found) => found.key)).toEqual(['a'])
      }
    } finally {
      await done()
    }
  })
})

describe('the indexes of a SQLite file made before them', () => {
  const oldFile = async (rows: ReadonlyArray<{ readonly licenseChangeId: string }>): Promise<string> => {
    const file = path.join(dir, `old-${files += 1}.db`)
    const storage = openSqliteStorage(file)
    write(storage, rows)
    await storage.close()
    const db = new Database(file)
    viewIndexes.forEach((index) => db.exec(`DROP INDEX ${index.name}`))
    db.close()
    return file
  }
  const indexesOf = (file: string): ReadonlyArray<string> => {
    const db = new Database(file, { readonly: true })
    try {
      return db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'license_changes_by_%' ORDER BY name").all().map((found) => found.name)
    } finally {
      db.close()
    }
  }

  it('are missing on a read-only open, which still answers every filter as the scan does', async () => {
    const rows = fc.sample(logArbitrary, { numRuns: 1, seed: 14 })[0] ?? []
    const file = await oldFile(rows)
    const storage = openSqliteStorage(file, { access: 'read' })
    try {
      fc.sample(filterArbitrary, { numRuns: 30, seed: 7 }).forEach((filter) => samePages(storage.views, filter, 3))
    } finally {
      await storage.close()
    }
    expect(indexesOf(file)).toEqual([])
  })

  it('serve a read-only open of a file that has them', async () => {
    const rows = fc.sample(logArbitrary, { numRuns: 1, seed: 16 })[0] ?? []
    const file = path.join(dir, `new-${files += 1}.db`)
    const writer = openSqliteStorage(file)
    write(writer, rows)
    await writer.close()
    const storage = openSqliteStorage(file, { access: 'read' })
    try {
      expect(storage.views.scanWhere(licenseChangesView, statusAndProvider({ status: 'Provisioned', provider: 'techdata' }) ?? [], null, 5)).toBeDefined()
      fc.sample(filterArbitrary, { numRuns: 30, seed: 9 }).forEach((filter) => samePages(storage.views, filter, 3))
    } finally {
      await storage.close()
    }
  })

  it('are made when the file is opened for writing, and serve its pages', async () => {
    const rows = fc.sample(logArbitrary, { numRuns: 1, seed: 15 })[0] ?? []
    const file = await oldFile(rows)
    expect(indexesOf(file)).toEqual([])
    const storage = openSqliteStorage(file)
    try {
      expect(indexesOf(file)).toEqual(viewIndexes.map((index) => index.name).sort())
      expect(storage.views.scanWhere(licenseChangesView, statusAndProvider({ status: 'Provisioned', provider: 'techdata' }) ?? [], null, 5)).toBeDefined()
      fc.sample(filterArbitrary, { numRuns: 30, seed: 8 }).forEach((filter) => samePages(storage.views, filter, 3))
    } finally {
      await storage.close()
    }
  })
})
