import Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import { createSimulatedClock } from '../src/providers/clock'
import { createSeatflow, Seatflow } from '../src/app/seatflow'
import { describeError } from '../src/domain/errors'
import { defaultProviderIds } from '../src/domain/ids'
import { subscriptionStream } from '../src/domain/events'
import { openSqliteStorage } from '../src/store/sqlite'
import { scratchFolder } from './support/files'
import { BenchResult, timed } from './support/report'

const openFlow = (path: string, autoProcess: boolean): Promise<Seatflow> =>
  createSeatflow({ store: openSqliteStorage(path), clock: createSimulatedClock('2026-01-05T09:00:00.000Z'), autoProcess })

const must = <A>(result: E.Either<Parameters<typeof describeError>[0], A>): A => {
  if (E.isLeft(result)) throw new Error(describeError(result.left))
  return result.right
}

/** A subscription with `changes` quantity changes on record, each with its License Change. */
const longSubscription = async (path: string, changes: number): Promise<string> => {
  const seatflow = await openFlow(path, false)
  const { subscriptionId } = must(await seatflow.createSubscription({
    product: 'Microsoft 365 E3', providerId: defaultProviderIds.doNothing, quantity: 1, billingContractId: 'BC-1', contractOwnerEmail: 'owner@customer.example',
  }))
  for (let i = 0; i < changes; i += 1) must(await seatflow.changeQuantity({ subscriptionId, quantity: 2 + (i % 2) }))
  await seatflow.process()
  await seatflow.close()
  return subscriptionId
}

/** The baseline: read the subscription's rows in revision order and JSON.parse them. */
const readRows = (path: string, streamId: string): number => {
  const db = new Database(path, { readonly: true })
  let rows = 0
  for (const row of db.prepare<[string], { data: string; metadata: string }>(
    'SELECT position, event_id, stream_id, revision, type, data, metadata FROM events WHERE stream_id = ? ORDER BY revision').iterate(streamId)) {
    JSON.parse(row.data)
    JSON.parse(row.metadata)
    rows += 1
  }
  db.close()
  return rows
}

/** Benchmark 4: one more change of a subscription with a long history, in a fresh seatflow, vs the raw read of that history. */
export const longStreamBenchmark = async (changes: number, runs: number): Promise<BenchResult> => {
  const files = scratchFolder('long-stream')
  try {
    const path = files.path('long.db')
    const subscriptionId = await longSubscription(path, changes)
    let baseline = Number.POSITIVE_INFINITY
    let seatflow = Number.POSITIVE_INFINITY
    for (let run = 0; run < runs; run += 1) {
      baseline = Math.min(baseline, await timed(() => readRows(path, subscriptionStream(subscriptionId))))
      const flow = await openFlow(path, true)
      seatflow = Math.min(seatflow, await timed(async () => must(await flow.changeQuantity({ subscriptionId, quantity: 10 + run }))))
      await flow.close()
    }
    const ratio = seatflow / baseline
    return {
      name: `long streams: one change (end to end, fresh process state) of a subscription with ${changes} changes vs reading its rows`,
      seatflow: { label: 'ms for the change', value: seatflow * 1000 },
      baseline: { label: `ms to read and parse its ${changes + 1} rows`, value: baseline * 1000 },
      ratio, target: '<= 2', met: ratio <= 2,
    }
  } finally {
    files.remove()
  }
}
