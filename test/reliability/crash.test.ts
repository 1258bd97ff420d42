import { createSimulatedClock } from '../../src/providers/clock'
import { Recorded } from '../../src/domain/envelope'
import {
  acknowledgedProblems, countBy, integrityCheck, licenseChangeProblems, mailRecordProblems, mailRecords, readLog, revisionProblems, sinkProblems,
} from '../support/invariants'
import { printed, runWorker, startWorker } from '../support/processes'
import {
  Acknowledged, createSinkMailer, envCount, openReliabilityApp, readLines, reliabilityEpoch, SentMail,
} from '../support/reliability'
import { prepareRun, removeRun, Run } from '../support/runs'

const rounds = envCount('SEATFLOW_RELIABILITY_ROUNDS', 50)
/** The longest a writer runs before it is killed; each kill comes at a random moment up to this. */
const maxLifeMs = envCount('SEATFLOW_RELIABILITY_MAX_LIFE_MS', 1200)
/** Simulated hours per real second: reminders (every 24 h) fall due every 2 s. */
const hoursPerSecond = 12

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** What must hold whenever no process is running, killed or not: the file is sound and nothing acknowledged or recorded is lost or doubled. */
const alwaysTrue = (run: Run, events: ReadonlyArray<Recorded>): ReadonlyArray<string> => [
  ...integrityCheck(run.file).filter((line) => line !== 'ok'),
  ...revisionProblems(events),
  ...acknowledgedProblems(events, readLines<Acknowledged>(`${run.dir}/acks.jsonl`)),
  ...mailRecordProblems(events),
]

describe('a writer killed with SIGKILL at random moments', () => {
  let run: Run | null = null
  afterAll(() => removeRun(run))

  it('after every restart: a sound file, every acknowledged command, no License Change or mail lost or doubled, views equal to a replay', async () => {
    run = await prepareRun(3, 'crash')
    const current = run
    const t0 = Date.now()
    const args = ['--store', run.url, '--acks', `${run.dir}/acks.jsonl`, '--sink', run.sink,
      '--subscriptions', run.subscriptions.join(','), '--clock', `${reliabilityEpoch},${t0},${hoursPerSecond}`]
    /** How many kills found each mail sent but not yet recorded: each may cost one more send. */
    const inDoubt = new Map<string, number>()
    let kills = 0
    for (let round = 1; round <= rounds; round += 1) {
      const writer = startWorker(args)
      // Every other round the moment counts from the store being open: on a loaded machine starting
      // node can take longer than maxLifeMs, and every kill would then come before any command.
      if (round % 2 === 0) await printed(writer, 'ready')
      await sleep(Math.random() * maxLifeMs)
      writer.child.kill('SIGKILL')
      const end = await writer.exited
      expect({ round, ...end, stderr: writer.stderr() }).toEqual({ round, code: null, signal: 'SIGKILL', stderr: '' })
      kills += 1

      const killed = await readLog(current.url)
      expect({ round, after: 'kill', problems: alwaysTrue(current, killed) }).toEqual({ round, after: 'kill', problems: [] })
      const recorded = new Set(mailRecords(killed).map((event) => event.eventId))
      for (const id of new Set(readLines<SentMail>(current.sink).map((mail) => mail.id))) {
        if (!recorded.has(id)) inDoubt.set(id, (inDoubt.get(id) ?? 0) + 1)
      }

      await runWorker([...args, '--commands', '0'])
      const events = await readLog(current.url)
      const sends = readLines<SentMail>(current.sink)
      const oversent = [...countBy(sends, (mail) => mail.id)].filter(([id, n]) => n > 1 + (inDoubt.get(id) ?? 0))
      const app = await openReliabilityApp({ storage: current.url, mailer: createSinkMailer(`${current.dir}/unused.jsonl`), clock: createSimulatedClock(reliabilityEpoch), autoProcess: false })
      const audit = await app.audit()
      const digest = await app.digest()
      await app.close()
      expect({
        round, after: 'restart',
        problems: [...alwaysTrue(current, events), ...licenseChangeProblems(events), ...sinkProblems(events, sends)],
        oversent, violations: audit.violations, digest,
      }).toEqual({ round, after: 'restart', problems: [], oversent: [], violations: [], digest: audit.digest })
    }

    const events = await readLog(run.url)
    const acks = readLines<Acknowledged>(`${run.dir}/acks.jsonl`)
    const sends = readLines<SentMail>(run.sink)
    const sendCounts = [...countBy(sends, (mail) => mail.id).values()]
    const resent = sendCounts.filter((n) => n > 1).length
    console.log(`crash: ${rounds} rounds, ${kills} kills, ${acks.length} acknowledged commands `
      + `(${acks.filter((ack) => ack.kind === 'provision').length} provisioned by hand), ${events.length} events, `
      + `${sends.length} mails sent, ${resent} sent again after a kill caught them unrecorded (${inDoubt.size} caught so; at most ${Math.max(0, ...sendCounts)} sends of one mail), `
      + `${events.filter((event) => event.type === 'ProvisioningReminderSent').length} reminders recorded`)
    expect(acks.length).toBeGreaterThan(0)
  }, 900_000)
})
