import Database from 'better-sqlite3'
import { replay } from '../src/app/audit/replay'
import { openSqliteStorage } from '../src/store/sqlite'
import { BenchResult, rateResult, timed } from './support/report'

/** The physical baseline: read every row in order, JSON.parse its data and metadata, count it. */
export const readEveryRow = (path: string): number => {
  const db = new Database(path, { readonly: true })
  let count = 0
  for (const row of db.prepare<[], { data: string; metadata: string }>(
    'SELECT position, event_id, stream_id, revision, type, data, metadata FROM events ORDER BY position').iterate()) {
    JSON.parse(row.data)
    JSON.parse(row.metadata)
    count += 1
  }
  db.close()
  return count
}

/** seatflow: a full replay with validation through every projection and the audit (folded in a worker thread or not: the default when absent). */
export const replayLog = async (path: string, until?: number, worker?: boolean): Promise<number> => {
  const storage = openSqliteStorage(path)
  try {
    const report = await replay(storage.events, { ...(until === undefined ? {} : { until }), ...(worker === undefined ? {} : { worker }) })
    // A cut in the middle of the log may find Manual requests not sent yet; the whole log must be clean.
    if (until === undefined && report.violations.length > 0) throw new Error(`the benchmark log breaks ${report.violations.length} invariants`)
    return report.events
  } finally {
    await storage.close()
  }
}

/**
 * Benchmark 1: replay throughput against reading the rows, best of `runs` for each; the replay
 * folded in one thread, and in a worker thread (reading, validation and the audit in this one).
 */
export const replayBenchmark = async (path: string, runs: number): Promise<BenchResult> => {
  let baseline = 0
  const best = { single: 0, worker: 0 }
  for (let run = 0; run < runs; run += 1) {
    let rows = 0
    const rowSeconds = await timed(() => { rows = readEveryRow(path) })
    baseline = Math.max(baseline, rows / rowSeconds)
    for (const mode of ['single', 'worker'] as const) {
      let events = 0
      const replaySeconds = await timed(async () => { events = await replayLog(path, undefined, mode === 'worker') })
      best[mode] = Math.max(best[mode], events / replaySeconds)
    }
  }
  const seatflow = Math.max(best.single, best.worker)
  return {
    ...rateResult(
      'replay: full replay with validation through every projection vs reading and parsing every row',
      { label: 'events/s replayed', value: seatflow }, { label: 'rows/s read and parsed', value: baseline }, 0.25,
    ),
    target: '>= 0.25 (aim 0.5)',
    notes: [`one thread ${Math.round(best.single).toLocaleString('en-US')} events/s (${(best.single / baseline).toFixed(3)}), `
      + `folded in a worker thread ${Math.round(best.worker).toLocaleString('en-US')} events/s (${(best.worker / baseline).toFixed(3)})`],
  }
}
