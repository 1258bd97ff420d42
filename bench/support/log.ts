import Database from 'better-sqlite3'
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { openMemoryStorage } from '../../src/store/memory'
import { openSqliteStorage } from '../../src/store/sqlite'
import { runWorkload } from './workload'

/** Bump when the workload changes: cached logs of another version are made again. */
const workloadVersion = 2

/** Where generated logs are kept between runs (git-ignored). */
export const dataFolder = join(__dirname, '..', '..', '..', 'bench', '.data')

/** Copy every event of a store into a fresh SQLite file, positions and all, in one transaction. */
const writeLog = async (source: ReturnType<typeof openMemoryStorage>, path: string): Promise<void> => {
  openSqliteStorage(path).close()
  const db = new Database(path)
  const insert = db.prepare('INSERT INTO events(position, event_id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)')
  db.exec('BEGIN')
  for await (const batch of source.events.readAll({ after: 0, batchSize: 10_000 })) {
    for (const e of batch) insert.run(e.position, e.eventId, e.streamId, e.revision, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata))
  }
  db.exec('COMMIT')
  db.close()
}

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
  const memory = openMemoryStorage()
  await runWorkload(memory, { events })
  const partial = `${path}.partial`
  rmSync(partial, { force: true })
  await writeLog(memory, partial)
  await memory.close()
  renameSync(partial, path)
  say(`generated in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  return path
}
