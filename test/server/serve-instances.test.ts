import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as E from 'fp-ts/Either'
import { createSeatflow, Seatflow } from '../../src/app/seatflow'
import { defaultProviderIds } from '../../src/domain/ids'
import { Recorded } from '../../src/domain/envelope'
import { integrityCheck, readLog, revisionProblems } from '../support/invariants'
import { envCount } from '../support/reliability'
import { LoopbackSmtp, startSmtp } from '../support/providers/smtpServer'
import { SeatflowProcess, startServe } from '../support/serveProcess'
import { eventually } from '../support/service'

/** Manual changes made while both instances serve, and the reminders each must get before both are stopped. */
const changes = envCount('SEATFLOW_SERVE_CHANGES', 12)
const reminders = envCount('SEATFLOW_SERVE_REMINDERS', 2)
/** Seconds between reminders (the instances' --reminder-hours); short, so the test is quick. */
const reminderSeconds = 1.5

const mailIdOf = (messageId: string): string => messageId.replace(/^<|@seatflow>$/g, '')

describe('two `seatflow serve` processes on one SQLite file, against a real SMTP server on loopback', () => {
  let dir: string
  let smtp: LoopbackSmtp
  const serving: SeatflowProcess[] = []
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-instances-'))
    smtp = await startSmtp()
  })
  afterEach(async () => {
    serving.splice(0).forEach((one) => one.child.kill('SIGKILL'))
    await smtp.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('every provisioning request and every reminder is received once, and every mail received is on record', async () => {
    const file = path.join(dir, 'seatflow.db')
    const host: Seatflow = await createSeatflow({ store: `sqlite:${file}`, autoProcess: false })
    const argv = ['--store', `sqlite:${file}`, '--reminder-hours', String(reminderSeconds / 3600), '--recheck-seconds', '0.5']
    const env = { SEATFLOW_SMTP_URL: smtp.url, SEATFLOW_LOG_LEVEL: 'info' }
    const [first, second] = await Promise.all([startServe(argv, env), startServe(argv, env)])
    serving.push(first.serving, second.serving)

    // A host on the same file records the changes; both instances follow the log and race for every mail.
    for (let i = 0; i < changes; i += 1) {
      const sub = await host.createSubscription({ product: `Visio ${i}`, providerId: defaultProviderIds.manual, quantity: 1 + i, billingContractId: `BC-${i}`, contractOwnerEmail: `owner${i}@customer.example` })
      if (E.isLeft(sub)) throw new Error(sub.left._tag)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const reminded = async (): Promise<ReadonlyArray<number>> => (await host.licenseChangeLog()).map((row) => row.remindersSent)
    await eventually(async () => (await reminded()).every((sent) => sent >= reminders), 30_000 + changes * 500, `${reminders} reminders of every change`)
    // Stopped while reminders still fall due: each instance finishes the mail it is at and records it.
    // (A person marking a change provisioned in another process while its reminder is on its way would
    // let that one reminder out unrecorded: the record then decides nothing. That window is the outbox's.)
    await host.close()
    first.serving.child.kill('SIGTERM')
    second.serving.child.kill('SIGTERM')
    const exits = await Promise.all([first.serving.exited, second.serving.exited])

    const log = await readLog(`sqlite:${file}`)
    const recorded = log.filter((event): event is Recorded => event.type === 'ProvisioningRequested' || event.type === 'ProvisioningReminderSent')
    const received = smtp.received().map((mail) => mailIdOf(mail.messageId))
    const receivedTwice = received.filter((id, index) => received.indexOf(id) !== index)
    const recordedIds = new Set(recorded.map((event) => event.eventId))
    const sentBy = [first, second].map((one) => one.serving.lines().filter((line) => line.action === 'request sent' || line.action === 'reminder sent').length)
    console.log(`two instances, ${changes} changes: ${received.length} mails sent, ${recorded.length} recorded (${recorded.filter((event) => event.type === 'ProvisioningRequested').length} requests, ${recorded.filter((event) => event.type === 'ProvisioningReminderSent').length} reminders); sent by each instance: ${sentBy.join(' and ')}`)

    expect(exits.map((exit) => exit.code)).toEqual([0, 0])
    expect(receivedTwice).toEqual([])
    expect(received.filter((id) => !recordedIds.has(id))).toEqual([])
    expect([...recordedIds].filter((id) => !received.includes(id))).toEqual([])
    expect(recorded.filter((event) => event.type === 'ProvisioningRequested')).toHaveLength(changes)
    expect(recorded.filter((event) => event.type === 'ProvisioningReminderSent').length).toBeGreaterThanOrEqual(changes * reminders)
    expect(sentBy.reduce((a, b) => a + b, 0)).toBe(received.length)
    // Each reminder went out no sooner than an interval after the mail before it.
    const byChange = new Map<string, number[]>()
    recorded.forEach((event) => byChange.set(event.metadata.correlationId, [...(byChange.get(event.metadata.correlationId) ?? []), Date.parse(event.metadata.occurredAt)]))
    const early = [...byChange].filter(([, times]) => times.some((time, i) => i > 0 && time - (times[i - 1] ?? 0) < reminderSeconds * 1000))
    expect(early).toEqual([])
    expect(revisionProblems(log)).toEqual([])
    expect(integrityCheck(file)).toEqual(['ok'])
  })
})
