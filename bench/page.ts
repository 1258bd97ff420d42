import { licenseChangePage, LicenseChangeFilter } from '../src/app/queries'
import { licenseChangesView } from '../src/projections/licenseChangeLog'
import { openSqliteStorage } from '../src/store/sqlite'
import { ViewStore } from '../src/store/views'
import { BenchResult } from './support/report'

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

/** The median time of `work` over `rounds` rounds, in milliseconds. */
const medianMs = (rounds: number, work: () => void): number =>
  median(Array.from({ length: rounds }, () => {
    const started = performance.now()
    work()
    return performance.now() - started
  }))

/** A filtered page of 100 rows against reading the same rows by primary key; ratio = page / by key. */
const pageAgainstKeys = (views: ViewStore, filter: LicenseChangeFilter, rounds: number) => {
  const page = licenseChangePage(views, filter, null, 100)
  const keys = page.rows.map((row) => row.licenseChangeId)
  const pageMs = medianMs(rounds, () => licenseChangePage(views, filter, null, 100))
  const keysMs = medianMs(rounds, () => { for (const key of keys) views.get(licenseChangesView, key) })
  return { rows: page.rows.length, pageMs, keysMs, ratio: pageMs / keysMs }
}

/**
 * Benchmark 5: a filtered page of the License Change Log (one status, one provider, 100 rows) of
 * the benchmark's log, as the CLI, the API and the console ask for it, against reading those rows
 * by primary key. The log's own views are read as the engine left them (SQLite rows of JSON); the
 * store's indexes of status and provider (made when the file is first opened for writing) give
 * the page's keys in key order. A common filter fills its page from the first keys; a selective
 * one (fewer than 100 rows match) reads every matching key and no other row.
 */
export const pageBenchmark = async (path: string, rounds = 9): Promise<BenchResult> => {
  const storage = openSqliteStorage(path)
  try {
    const common = pageAgainstKeys(storage.views, { status: 'Provisioned', provider: 'TechData' }, rounds)
    const selective = pageAgainstKeys(storage.views, { status: 'Not Applicable', provider: 'TechData' }, rounds)
    const awaiting = pageAgainstKeys(storage.views, { status: 'Awaiting Provisioning', provider: 'Manual Provider' }, rounds)
    const line = (name: string, found: ReturnType<typeof pageAgainstKeys>): string =>
      `${name}: ${found.rows} rows, ${found.pageMs.toFixed(2)} ms vs ${found.keysMs.toFixed(2)} ms by key, ratio ${found.ratio.toFixed(2)}`
    return {
      name: 'page: a filtered page of the License Change Log (one status, one provider) vs its rows by primary key',
      seatflow: { label: `ms for a page of ${common.rows} Provisioned rows of TechData`, value: common.pageMs },
      baseline: { label: `ms for those ${common.rows} rows by key`, value: common.keysMs },
      ratio: common.ratio, target: '<= 2', met: [common, selective, awaiting].every((found) => found.ratio <= 2),
      notes: [
        line('selective (Not Applicable, TechData)', selective),
        line('selective (Awaiting Provisioning, Manual Provider)', awaiting),
      ],
    }
  } finally {
    await storage.close()
  }
}
