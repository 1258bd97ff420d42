import pino, { Logger } from 'pino'
import { Writable } from 'node:stream'
import { Seatflow } from '../../src/app/seatflow'
import { ServiceContext } from '../../src/server/context'
import { tokenRegistry } from '../../src/server/tokens'
import { Storage } from '../../src/store/storage'

/** A pino logger whose JSON lines a test reads back. */
export const capturedLogger = (): { readonly logger: Logger; readonly lines: () => ReadonlyArray<Record<string, unknown>> } => {
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => { chunk.toString().split('\n').filter((line) => line !== '').forEach((line) => lines.push(JSON.parse(line) as Record<string, unknown>)); done() } })
  return { logger: pino({ level: 'debug' }, stream), lines: () => [...lines] }
}

/** The context a worker or the operation routes run in. */
export const contextOf = (seatflow: Seatflow, logger: Logger): ServiceContext => ({ seatflow, tokens: tokenRegistry(seatflow.records), logger })

/** Wait until `check` holds (polling every 10 ms), or fail after `ms`. */
export const eventually = async (check: () => boolean | Promise<boolean>, ms = 5000, what = 'the condition'): Promise<void> => {
  const until = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${what} did not come within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** How often a storage was written and read through its ports. */
export interface StorageCounts {
  writes: number
  reads: number
  readonly what: string[]
}

/** A storage that counts every write (appends, view updates, checkpoints, claims, records) and read through its ports. */
export const countingStorage = (storage: Storage): { readonly storage: Storage; readonly counts: StorageCounts } => {
  const counts: StorageCounts = { writes: 0, reads: 0, what: [] }
  const write = <F extends (...args: never[]) => unknown>(name: string, f: F): F => ((...args: never[]) => { counts.writes += 1; counts.what.push(name); return f(...args) }) as F
  const read = <F extends (...args: never[]) => unknown>(name: string, f: F): F => ((...args: never[]) => { counts.reads += 1; counts.what.push(name); return f(...args) }) as F
  const { events, views, claims, records } = storage
  return {
    counts,
    storage: {
      ...storage,
      events: {
        ...events, append: write('append', events.append), readStream: read('readStream', events.readStream),
        readAll: read('readAll', events.readAll), lastPosition: read('lastPosition', events.lastPosition),
        ...(events.appendMany === undefined ? {} : { appendMany: write('appendMany', events.appendMany) }),
      },
      views: {
        ...views, update: write('views.update', views.update), advance: write('views.advance', views.advance), reset: write('views.reset', views.reset),
        get: read('views.get', views.get), rows: read('views.rows', views.rows), scan: read('views.scan', views.scan), scanWhere: read('views.scanWhere', views.scanWhere),
        indexed: read('views.indexed', views.indexed), checkpoint: read('views.checkpoint', views.checkpoint),
      },
      claims: { ...claims, claim: write('claims.claim', claims.claim), release: write('claims.release', claims.release) },
      records: { ...records, put: write('records.put', records.put), putIfAbsent: write('records.putIfAbsent', records.putIfAbsent), delete: write('records.delete', records.delete) },
    },
  }
}
