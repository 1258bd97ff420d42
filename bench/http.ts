import * as E from 'fp-ts/Either'
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createSeatflow, Seatflow } from '../src/app/seatflow'
import { describeError, SeatflowError } from '../src/domain/errors'
import { defaultProviderIds } from '../src/domain/ids'
import { createSimulatedClock } from '../src/providers/clock'
import { createMemoryMailer } from '../src/providers/mail'
import { createSimulatedGateway } from '../src/providers/simulated'
import { openSqliteStorage } from '../src/store/sqlite'
import { scratchFolder } from './support/files'
import { concurrently, fromEnv, median, pairedRounds, PairedRounds, serveForBench } from './support/httpClient'
import { dataFolder } from './support/log'
import { BenchResult } from './support/report'

// Sizes (environment): SEATFLOW_BENCH_HTTP_CLIENTS (8), SEATFLOW_BENCH_HTTP_CHANGES (quantity changes a side, 600),
// SEATFLOW_BENCH_HTTP_LICENSE_CHANGES (the log the pages are read from, 100000), SEATFLOW_BENCH_HTTP_PAGES (pages a side, 300).

const must = <A>(result: E.Either<SeatflowError, A>): A => {
  if (E.isLeft(result)) throw new Error(describeError(result.left))
  return result.right
}

const openFlow = (path: string, autoProcess = true): Promise<Seatflow> => createSeatflow({
  store: openSqliteStorage(path), clock: createSimulatedClock('2026-01-05T09:00:00.000Z'), mailer: createMemoryMailer(),
  gateways: { 'Partner Center': createSimulatedGateway() }, autoProcess,
})

const providers = [defaultProviderIds.partnerCenter, defaultProviderIds.manual, defaultProviderIds.doNothing]

const subscriptionsOn = async (seatflow: Seatflow, count: number, providerIds: ReadonlyArray<string>): Promise<ReadonlyArray<string>> => {
  const ids: string[] = []
  for (let i = 0; i < count; i += 1) {
    ids.push(must(await seatflow.createSubscription({
      product: `Product ${i}`, providerId: providerIds[i % providerIds.length], quantity: 10, billingContractId: `BC-${i}`, contractOwnerEmail: 'owner@customer.example',
    })).subscriptionId)
  }
  return ids
}

/**
 * HTTP 1: quantity changes through the API by `clients` concurrent keep-alive clients against the
 * same commands called in-process by as many concurrent callers, on one seatflow over one SQLite
 * file (synchronous FULL, autoProcess on). The sides take turns in rounds; the ratio is the median
 * of the rounds' (API rate / in-process rate).
 */
export const httpChangesBenchmark = async (runs: number): Promise<BenchResult> => {
  const clients = fromEnv('SEATFLOW_BENCH_HTTP_CLIENTS', 8)
  const perSide = fromEnv('SEATFLOW_BENCH_HTTP_CHANGES', 600)
  const rounds = 5 * runs
  const size = Math.max(1, Math.floor(perSide / rounds))
  const files = scratchFolder('http-changes')
  const seatflow = await openFlow(files.path('seatflow.db'))
  const ids = await subscriptionsOn(seatflow, 64, providers)
  const api = await serveForBench(seatflow, clients)
  const target = (i: number) => ({ subscriptionId: ids[i % ids.length] ?? '', quantity: 11 + (i % 7) })
  const inProcess = async (i: number): Promise<void> => {
    const changed = await seatflow.changeQuantity({ ...target(i), actor: 'bench' })
    if (E.isLeft(changed) && changed.left._tag !== 'QuantityUnchanged') throw new Error(describeError(changed.left))
  }
  const overHttp = async (i: number): Promise<void> => {
    const { subscriptionId, quantity } = target(i)
    const answer = await api.call('POST', `/api/v1/subscriptions/${subscriptionId}/change-quantity`, { quantity })
    if (answer.status !== 201 && !answer.text.includes('QuantityUnchanged')) throw new Error(`change-quantity answered ${answer.status}: ${answer.text}`)
  }
  let measured: PairedRounds
  try {
    measured = await pairedRounds(rounds, (round) => [
      () => concurrently(clients, 2 * round * size, size, inProcess),
      () => concurrently(clients, (2 * round + 1) * size, size, overHttp),
    ])
  } finally {
    await api.close()
    files.remove()
  }
  const { ratios } = measured
  const seconds = { inProcess: measured.baselineSeconds, http: measured.measuredSeconds }
  const ratio = median(ratios)
  return {
    name: `HTTP 1: quantity changes through the API by ${clients} concurrent keep-alive clients vs the same commands in-process (${clients} concurrent callers), SQLite file`,
    seatflow: { label: 'changes/s through the API', value: rounds * size / seconds.http },
    baseline: { label: 'changes/s in-process', value: rounds * size / seconds.inProcess },
    ratio, target: '>= 0.5', met: ratio >= 0.5,
    notes: [`median of ${rounds} paired rounds of ${size} a side (round ratios ${Math.min(...ratios).toFixed(3)} to ${Math.max(...ratios).toFixed(3)})`],
  }
}

/** Bump when the fixture changes: cached files of another version are made again. */
const fixtureVersion = 1

/**
 * A SQLite file whose License Change Log holds `count` changes (1,000 subscriptions on the Do Nothing
 * provider, then quantity changes), its views caught up: made by the engine once, kept in bench/.data.
 */
const licenseChangeFixture = async (count: number, say: (line: string) => void): Promise<string> => {
  mkdirSync(dataFolder, { recursive: true })
  const path = join(dataFolder, `license-changes-${count}-v${fixtureVersion}.db`)
  if (existsSync(path)) return path
  say(`generating a log of ${count} License Changes (once; kept in ${path})...`)
  const partial = `${path}.partial`
  rmSync(partial, { force: true })
  const seatflow = await createSeatflow({ store: openSqliteStorage(partial, { synchronous: 'NORMAL' }), clock: createSimulatedClock('2026-01-05T09:00:00.000Z'), autoProcess: false })
  const ids = await subscriptionsOn(seatflow, Math.min(1000, count), [defaultProviderIds.doNothing])
  for (let i = ids.length; i < count; i += 1) must(await seatflow.changeQuantity({ subscriptionId: ids[i % ids.length] ?? '', quantity: 11 + (Math.floor(i / ids.length) % 2) }))
  await seatflow.process()
  await seatflow.close()
  renameSync(partial, path)
  return path
}

/** Every License Change id of the log, in the list's order (the cursors a reader may hold). */
const allIds = async (seatflow: Seatflow): Promise<ReadonlyArray<string>> => {
  const ids: string[] = []
  let after: string | null = null
  do {
    const page = await seatflow.licenseChanges({}, { after, limit: 500 })
    ids.push(...page.rows.map((row) => row.licenseChangeId))
    after = page.next
  } while (after !== null)
  return ids
}

/**
 * HTTP 2: one page of 100 License Changes out of `count`, at cursors spread over the log, read
 * through the API (one keep-alive client, one page after another) against the same pages read
 * from the views in-process (`seatflow.licenseChanges`). Rounds alternate; median of the ratios.
 */
export const httpPageBenchmark = async (runs: number, say: (line: string) => void): Promise<BenchResult> => {
  const count = fromEnv('SEATFLOW_BENCH_HTTP_LICENSE_CHANGES', 100_000)
  const rounds = 5 * runs
  const size = Math.max(1, Math.floor(fromEnv('SEATFLOW_BENCH_HTTP_PAGES', 300) / rounds))
  const files = scratchFolder('http-pages')
  copyFileSync(await licenseChangeFixture(count, say), files.path('seatflow.db'))
  const seatflow = await openFlow(files.path('seatflow.db'))
  const api = await serveForBench(seatflow, 1)
  const ids = await allIds(seatflow)
  if (ids.length !== count) throw new Error(`the fixture holds ${ids.length} License Changes, not ${count}`)
  const cursors = Array.from({ length: rounds * size }, (_, i) => ids[Math.floor((i * 7919) % (count - 100))] ?? null)
  const local = async (i: number): Promise<ReadonlyArray<string>> => (await seatflow.licenseChanges({}, { after: cursors[i] ?? null, limit: 100 })).rows.map((row) => row.licenseChangeId)
  const remote = async (i: number): Promise<ReadonlyArray<string>> => {
    const answer = await api.call('GET', `/api/v1/license-changes?limit=100&after=${cursors[i] ?? ''}`)
    if (answer.status !== 200) throw new Error(`the page answered ${answer.status}: ${answer.text}`)
    return (JSON.parse(answer.text) as { readonly items: ReadonlyArray<{ readonly licenseChangeId: string }> }).items.map((row) => row.licenseChangeId)
  }
  const [a, b] = [await local(0), await remote(0)]
  if (a.length !== 100 || a.join() !== b.join()) throw new Error('the API and the views answered different pages')
  const each = (start: number, one: (i: number) => Promise<unknown>) => async (): Promise<void> => {
    for (let i = start; i < start + size; i += 1) await one(i)
  }
  let measured: PairedRounds
  try {
    measured = await pairedRounds(rounds, (round) => [each(round * size, local), each(round * size, remote)])
  } finally {
    await api.close()
    files.remove()
  }
  const { ratios } = measured
  const seconds = { views: measured.baselineSeconds, http: measured.measuredSeconds }
  const ratio = median(ratios)
  return {
    name: `HTTP 2: a page of 100 License Changes out of ${count.toLocaleString('en-US')} through the API vs the same page from the views in-process`,
    seatflow: { label: 'pages/s through the API', value: rounds * size / seconds.http },
    baseline: { label: 'pages/s from the views', value: rounds * size / seconds.views },
    ratio, target: '>= 0.25', met: ratio >= 0.25,
    notes: [`median of ${rounds} paired rounds of ${size} pages a side (round ratios ${Math.min(...ratios).toFixed(3)} to ${Math.max(...ratios).toFixed(3)})`],
  }
}
