import * as E from 'fp-ts/Either'
import pino from 'pino'
import { createSeatflow, Seatflow } from '../src/app/seatflow'
import { describeError } from '../src/domain/errors'
import { defaultProviderIds } from '../src/domain/ids'
import { createSimulatedClock } from '../src/providers/clock'
import { createSeatflowServer } from '../src/server'
import { openSqliteStorage } from '../src/store/sqlite'
import { scratchFolder } from './support/files'
import { BenchResult, timed } from './support/report'

const must = <A>(result: E.Either<Parameters<typeof describeError>[0], A>): A => {
  if (E.isLeft(result)) throw new Error(describeError(result.left))
  return result.right
}

/** A log of `changes` License Changes: subscriptions of 100 changes each on the Do Nothing provider, processed once at the end. */
const manyChanges = async (seatflow: Seatflow, changes: number, say: (line: string) => void): Promise<void> => {
  for (let made = 0; made < changes;) {
    const { subscriptionId } = must(await seatflow.createSubscription({
      product: `Product ${made}`, providerId: defaultProviderIds.doNothing, quantity: 1, billingContractId: `BC-${made}`, contractOwnerEmail: 'owner@customer.example',
    }))
    made += 1
    for (let i = 0; i < 99 && made < changes; i += 1, made += 1) must(await seatflow.changeQuantity({ subscriptionId, quantity: 2 + (i % 2) }))
    if (made % 10_000 === 0) say(`console page: ${made} License Changes recorded`)
  }
  await seatflow.process()
}

/** A signed-in session's cookie, made through the sign-in form as a browser does. */
const sessionOf = async (server: ReturnType<typeof createSeatflowServer>): Promise<string> => {
  const token = server.context.tokens.create('Bench viewer', 'viewer').token
  const form = await server.app.inject({ method: 'GET', url: '/signin' })
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? ''
  const signInCookie = String(form.headers['set-cookie']).split(';')[0] ?? ''
  const signed = await server.app.inject({ method: 'POST', url: '/signin', headers: { cookie: signInCookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, token }).toString() })
  const session = ([] as string[]).concat(signed.headers['set-cookie'] ?? []).find((line) => line.startsWith('seatflow_session='))
  if (session === undefined) throw new Error(`sign-in failed: ${signed.statusCode}`)
  return session.split(';')[0] ?? ''
}

/** A console page answered 200 with 25 rows: its time the first time asked (at this log position), and the median of 5 more. */
const pageTimes = async (server: ReturnType<typeof createSeatflowServer>, cookie: string, url: string): Promise<{ readonly first: number; readonly again: number }> => {
  const times: number[] = []
  for (let round = 0; round < 6; round += 1) {
    times.push(await timed(async () => {
      const answer = await server.app.inject({ method: 'GET', url, headers: { cookie } })
      if (answer.statusCode !== 200 || (answer.body.match(/<tr data-change=/g) ?? []).length !== 25) throw new Error(`${url} answered ${answer.statusCode}`)
    }))
  }
  return { first: times[0] ?? Number.NaN, again: median(times.slice(1)) }
}

const median = (values: ReadonlyArray<number>): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN

/**
 * Benchmark 5: the console's License Change Log, first page (25 rows, rendered on the server and
 * answered over HTTP through Fastify's inject), against reading the same page of rows from the
 * views (`licenseChanges`), on a log of `changes` License Changes. Paired rounds, medians.
 */
export const consolePageBenchmark = async (changes: number, rounds: number, say: (line: string) => void): Promise<BenchResult> => {
  const files = scratchFolder('console-page')
  const seatflow = await createSeatflow({ store: openSqliteStorage(files.path('console.db')), clock: createSimulatedClock('2026-01-05T09:00:00.000Z'), autoProcess: false })
  const server = createSeatflowServer(seatflow, { worker: false, logger: pino({ level: 'silent' }), rateLimitPerMinute: 1_000_000 })
  try {
    await manyChanges(seatflow, changes, say)
    const cookie = await sessionOf(server)
    const page: number[] = []
    const views: number[] = []
    for (let round = 0; round < rounds; round += 1) {
      views.push(await timed(async () => { if ((await seatflow.licenseChanges({}, { limit: 25 })).rows.length !== 25) throw new Error('a short page') }))
      page.push(await timed(async () => {
        const answer = await server.app.inject({ method: 'GET', url: '/changes', headers: { cookie } })
        if (answer.statusCode !== 200 || (answer.body.match(/<tr data-change=/g) ?? []).length !== 25) throw new Error(`the page answered ${answer.statusCode}`)
      }))
    }
    const ratio = median(page) / median(views)
    const sorted = await pageTimes(server, cookie, '/changes?sort=-recorded')
    const filtered = await pageTimes(server, cookie, '/changes?sort=product&status=Not%20Applicable')
    const ms = (seconds: number): string => (seconds * 1000).toFixed(seconds < 0.1 ? 1 : 0)
    const dashboard = await timed(async () => { if ((await server.app.inject({ method: 'GET', url: '/', headers: { cookie } })).statusCode !== 200) throw new Error('the dashboard failed') })
    return {
      notes: [
        `a sorted first page (sort=-recorded; it reads and sorts the whole filtered view once per log position) took ${ms(sorted.first)} ms, then ${ms(sorted.again)} ms at the same position (median of 5); sorted by product and filtered by status Not Applicable: ${ms(filtered.first)} ms, then ${ms(filtered.again)} ms`,
        `the dashboard's first render at this log position (it reads every License Change; later renders at the same position reuse it) took ${(dashboard * 1000).toFixed(0)} ms`],
      name: `console: the License Change Log's first page (25 rows, HTML over HTTP) out of ${changes.toLocaleString('en-US')} vs reading those rows from the views`,
      seatflow: { label: 'ms for the page (median)', value: median(page) * 1000 },
      baseline: { label: 'ms to read the 25 rows from the views (median)', value: median(views) * 1000 },
      ratio, target: '<= 10 (and the page under 50 ms)', met: ratio <= 10 && median(page) < 0.05,
    }
  } finally {
    await server.close()
    files.remove()
  }
}
