import * as path from 'node:path'
import { createSimulatedClock } from '../../src/providers/clock'
import {
  acknowledgedProblems, licenseChangeProblems, mailRecordProblems, readLog, revisionProblems, sinkProblems,
} from '../support/invariants'
import { lastJsonLine, printed, startWorker } from '../support/processes'
import {
  Acknowledged, ConflictCounts, createSinkMailer, envCount, openReliabilityApp, readLines, reliabilityEpoch, SentMail,
} from '../support/reliability'
import { prepareRun, removeRun, Run } from '../support/runs'

const processes = envCount('SEATFLOW_RELIABILITY_PROCESSES', 4)
const subscriptionCount = envCount('SEATFLOW_RELIABILITY_SUBSCRIPTIONS', 3)
const commands = envCount('SEATFLOW_RELIABILITY_COMMANDS', 100)

interface Summary {
  readonly refusals: Record<string, number>
  readonly conflicts: ConflictCounts
}

const sum = (counts: ReadonlyArray<Record<string, number>>): Record<string, number> =>
  counts.reduce<Record<string, number>>((total, count) => {
    Object.entries(count).forEach(([key, n]) => { total[key] = (total[key] ?? 0) + n })
    return total
  }, {})

describe('several OS processes change the same subscriptions in one SQLite file', () => {
  let run: Run | null = null
  afterAll(() => removeRun(run))

  it('loses no acknowledged command, doubles none, keeps every stream dense and the deltas equal to the quantities', async () => {
    run = await prepareRun(subscriptionCount, 'concurrency')
    const { dir, url, sink, subscriptions } = run
    const acksOf = (n: number): string => path.join(dir, `acks-${n}.jsonl`)
    const workers = Array.from({ length: processes }, (_, n) => startWorker([
      '--mode', 'hammer', '--store', url, '--acks', acksOf(n), '--sink', sink,
      '--subscriptions', subscriptions.join(','), '--commands', String(commands),
    ]))
    await Promise.all(workers.map((worker) => printed(worker, 'ready')))
    workers.forEach((worker) => worker.child.stdin.end('go\n'))
    const ends = await Promise.all(workers.map((worker) => worker.exited))
    ends.forEach((end, n) => expect({ worker: n, ...end, stderr: workers[n]?.stderr() }).toEqual({ worker: n, code: 0, signal: null, stderr: '' }))

    const summaries = workers.map((worker) => lastJsonLine<Summary>(worker.stdout()))
    const acks = Array.from({ length: processes }, (_, n) => readLines<Acknowledged>(acksOf(n))).flat()
    const events = await readLog(url)
    const sends = readLines<SentMail>(sink)
    const conflicts = sum(summaries.map((summary) => summary.conflicts))
    const recorded = events.filter((event) => event.type === 'ProvisioningRequested' || event.type === 'ProvisioningReminderSent')
    const refusals = sum(summaries.map((summary) => summary.refusals))
    console.log(`concurrency: ${processes} processes x ${commands} commands on ${subscriptionCount} subscriptions: `
      + `${acks.length} acknowledged, refused ${JSON.stringify(refusals)}, conflicts met and retried ${JSON.stringify(conflicts)}, ${events.length} events, `
      + `${sends.length} mails sent, ${recorded.length} recorded`)

    expect(acks.length + Object.values(refusals).reduce((a, b) => a + b, 0)).toBe(processes * commands)
    expect(revisionProblems(events)).toEqual([])
    expect(acknowledgedProblems(events, acks)).toEqual([])
    const hostChanges = events.filter((event) => event.type === 'SubscriptionQuantityChanged' && event.metadata.causationId === null)
    expect(hostChanges).toHaveLength(acks.length)
    expect(licenseChangeProblems(events)).toEqual([])
    expect(mailRecordProblems(events)).toEqual([])
    expect(sinkProblems(events, sends)).toEqual([])
    // Several outboxes at once send each mail once: what went out is what the log says went out.
    expect(sends.map((mail) => mail.id).sort()).toEqual(recorded.map((event) => event.eventId).sort())

    const app = await openReliabilityApp({ storage: url, mailer: createSinkMailer(sink), clock: createSimulatedClock(reliabilityEpoch), autoProcess: false })
    const audit = await app.audit()
    expect(audit.violations).toEqual([])
    expect(await app.digest()).toBe(audit.digest)
    await app.close()
    // A run in which no append ever lost a race proved nothing about concurrency.
    expect(conflicts.subscription ?? 0).toBeGreaterThan(0)
  }, 300_000)
})
