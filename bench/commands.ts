import Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import { createSimulatedClock } from '../src/providers/clock'
import { createSeatflow } from '../src/app/seatflow'
import { describeError } from '../src/domain/errors'
import { defaultProviderIds } from '../src/domain/ids'
import { createMemoryMailer } from '../src/providers/mail'
import { createSimulatedGateway } from '../src/providers/simulated'
import { openSqliteStorage } from '../src/store/sqlite'
import { scratchFolder } from './support/files'
import { BenchResult, rateResult, timed } from './support/report'

const payload = JSON.stringify({
  subscriptionId: '0193a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b', previousQuantity: 12, newQuantity: 13, origin: 'host',
  metadata: { occurredAt: '2026-01-05T09:00:00.000Z', actor: 'host', correlationId: '0193a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a1c', causationId: null },
})

/** The baseline: single-row insert transactions on a SQLite file opened as seatflow opens its own. */
const insertRows = (path: string, count: number): void => {
  const db = new Database(path)
  db.pragma('busy_timeout = 5000')
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec('CREATE TABLE rows(position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL)')
  const insert = db.prepare('INSERT INTO rows(id, data) VALUES (?, ?)')
  const once = db.transaction((i: number) => insert.run(`row-${i}`, payload))
  for (let i = 0; i < count; i += 1) once.immediate(i)
  db.close()
}

const providers = [defaultProviderIds.partnerCenter, defaultProviderIds.manual, defaultProviderIds.doNothing]

/** seatflow: quantity changes end to end (decide, append, reaction, License Change, mail or gateway, views). */
const changeQuantities = async (path: string, count: number): Promise<number> => {
  const seatflow = await createSeatflow({
    store: openSqliteStorage(path), clock: createSimulatedClock('2026-01-05T09:00:00.000Z'), mailer: createMemoryMailer(),
    gateways: { 'Partner Center': createSimulatedGateway() },
  })
  const ids: string[] = []
  for (let i = 0; i < 30; i += 1) {
    const created = await seatflow.createSubscription({
      product: `Product ${i}`, providerId: providers[i % providers.length], quantity: 10, billingContractId: `BC-${i}`, contractOwnerEmail: 'owner@customer.example',
    })
    if (E.isLeft(created)) throw new Error(describeError(created.left))
    ids.push(created.right.subscriptionId)
  }
  const seconds = await timed(async () => {
    for (let i = 0; i < count; i += 1) {
      const changed = await seatflow.changeQuantity({ subscriptionId: ids[i % ids.length], quantity: 11 + (i % 7) })
      if (E.isLeft(changed) && changed.left._tag !== 'QuantityUnchanged') throw new Error(describeError(changed.left))
    }
  })
  await seatflow.close()
  return count / seconds
}

/** Benchmark 2: commands end to end on SQLite against single-row insert transactions. Best of `runs`. */
export const commandsBenchmark = async (count: number, runs: number): Promise<BenchResult> => {
  let baseline = 0
  let seatflow = 0
  for (let run = 0; run < runs; run += 1) {
    const files = scratchFolder('commands')
    try {
      baseline = Math.max(baseline, count / await timed(() => insertRows(files.path('baseline.db'), count)))
      seatflow = Math.max(seatflow, await changeQuantities(files.path('seatflow.db'), count))
    } finally {
      files.remove()
    }
  }
  return rateResult(
    'commands: quantity changes end to end on SQLite vs single-row insert transactions (WAL, synchronous FULL)',
    { label: 'quantity changes/s', value: seatflow }, { label: 'insert transactions/s', value: baseline }, 0.3,
  )
}
