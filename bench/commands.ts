import Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import { createSeatflow, Seatflow } from '../src/app/seatflow'
import { describeError } from '../src/domain/errors'
import { defaultProviderIds } from '../src/domain/ids'
import { createSimulatedClock } from '../src/providers/clock'
import { createMemoryMailer } from '../src/providers/mail'
import { createSimulatedGateway } from '../src/providers/simulated'
import { openSqliteStorage } from '../src/store/sqlite'
import { scratchFolder } from './support/files'
import { BenchResult, timed } from './support/report'

const payload = JSON.stringify({
  subscriptionId: '0193a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b', previousQuantity: 12, newQuantity: 13, origin: 'host',
  metadata: { occurredAt: '2026-01-05T09:00:00.000Z', actor: 'host', correlationId: '0193a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a1c', causationId: null },
})

/** The baseline: single-row insert transactions on a SQLite file opened as seatflow opens its own. */
const openBaseline = (path: string) => {
  const db = new Database(path)
  db.pragma('busy_timeout = 5000')
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec('CREATE TABLE rows(position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL)')
  const insert = db.prepare('INSERT INTO rows(id, data) VALUES (?, ?)')
  const once = db.transaction((i: number) => insert.run(`row-${i}`, payload))
  let next = 0
  return {
    insert: (count: number): void => { for (const end = next + count; next < end; next += 1) once.immediate(next) },
    close: (): void => { db.close() },
  }
}

const providers = [defaultProviderIds.partnerCenter, defaultProviderIds.manual, defaultProviderIds.doNothing]

/** seatflow with 30 subscriptions on the Partner Center (simulated), Manual and Do Nothing providers; autoProcess on. */
const openSeatflow = async (path: string) => {
  const seatflow: Seatflow = await createSeatflow({
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
  let next = 0
  /** Quantity changes end to end (decide, append, reaction, License Change, mail or gateway, views). */
  const change = async (count: number): Promise<void> => {
    for (const end = next + count; next < end; next += 1) {
      const changed = await seatflow.changeQuantity({ subscriptionId: ids[next % ids.length], quantity: 11 + (next % 7) })
      if (E.isLeft(changed) && changed.left._tag !== 'QuantityUnchanged') throw new Error(describeError(changed.left))
    }
  }
  return { change, close: (): Promise<void> => seatflow.close() }
}

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/**
 * Benchmark 2: commands end to end on SQLite against single-row insert transactions. The two
 * sides take turns in rounds of `count / rounds` operations, so each pair of rounds meets the same
 * disk (a virtual machine's fsync time moves by a factor of two within seconds); the ratio is the
 * median of the rounds' ratios, the rates are over all rounds.
 */
export const commandsBenchmark = async (count: number, runs: number): Promise<BenchResult> => {
  const rounds = 10 * runs
  const size = Math.max(1, Math.floor(count / 10))
  const files = scratchFolder('commands')
  const baseline = openBaseline(files.path('baseline.db'))
  const seatflow = await openSeatflow(files.path('seatflow.db'))
  const ratios: number[] = []
  let baselineSeconds = 0
  let seatflowSeconds = 0
  try {
    for (let round = 0; round < rounds; round += 1) {
      const b = await timed(() => baseline.insert(size))
      const s = await timed(() => seatflow.change(size))
      baselineSeconds += b
      seatflowSeconds += s
      ratios.push(b / s)
    }
  } finally {
    baseline.close()
    await seatflow.close()
    files.remove()
  }
  const ratio = median(ratios)
  return {
    name: 'commands: quantity changes end to end on SQLite vs single-row insert transactions (WAL, synchronous FULL)',
    seatflow: { label: 'quantity changes/s', value: rounds * size / seatflowSeconds },
    baseline: { label: 'insert transactions/s', value: rounds * size / baselineSeconds },
    ratio, target: '>= 0.3', met: ratio >= 0.3,
    notes: [`median of ${rounds} paired rounds of ${size} (round ratios ${Math.min(...ratios).toFixed(3)} to ${Math.max(...ratios).toFixed(3)})`],
  }
}
