import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { openSqliteStorage } from '../../src/store/sqlite'
import { runWorkload } from './workload'

/** Bump when the workload changes: cached logs of another version are made again. */
const workloadVersion = 3

/** Where generated logs are kept between runs (git-ignored). */
export const dataFolder = join(__dirname, '..', '..', '..', 'bench', '.data')

/**
 * A SQLite file holding a realistic log of (at least) `events` events, made by the real engine
 * on the first run and kept in bench/.data for the next.
 */
export const realisticLog = async (events: number, say: (line: string) => void): Promise<string> => {
  mkdirSync(dataFolder, { recursive: true })
  const path = join(dataFolder, `log-${events}-v${workloadVersion}.db`)
  if (existsSync(path)) return path
  say(`generating a log of ${events} events with the engine (once; kept in ${path})...`)
  const started = performance.now()
  const partial = `${path}.partial`
  rmSync(partial, { force: true })
  // Straight into SQLite (NORMAL sync: a benchmark input, not a ledger), so memory stays flat however long the log.
  const storage = openSqliteStorage(partial, { synchronous: 'NORMAL' })
  await runWorkload(storage, { events })
  await storage.close()
  renameSync(partial, path)
  say(`generated in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  return path
}
