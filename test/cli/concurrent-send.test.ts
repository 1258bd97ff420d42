import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { createSimulatedClock } from '../../src/providers/clock'
import { defaultProviderIds } from '../../src/domain/ids'
import { allEvents, openSeatflow, right, startedAt, subscription } from '../support/app'
import { LoopbackSmtp, startSmtp } from '../support/providers/smtpServer'

const register = path.join(__dirname, '..', 'support', 'register.js')
const main = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts')

/** Run the seatflow CLI in a process of its own, straight from the sources, with the environment given. */
const seatflowProcess = (argv: ReadonlyArray<string>, env: Readonly<Record<string, string>>): Promise<{ readonly code: number | null; readonly out: string; readonly err: string }> =>
  new Promise((resolve) => {
    const script = `require(${JSON.stringify(main)}).main(JSON.parse(process.argv[1])).then((code) => { process.exitCode = code })`
    const child = spawn(process.execPath, ['-r', register, '-e', script, JSON.stringify(argv)], { env: { ...process.env, ...env }, stdio: 'pipe' })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString() })
    child.on('close', (code) => resolve({ code, out, err }))
  })

describe('two `seatflow reminders --send` processes on one store at once', () => {
  let smtp: LoopbackSmtp
  let folder: string
  beforeEach(async () => {
    smtp = await startSmtp()
    folder = mkdtempSync(path.join(tmpdir(), 'seatflow-concurrent-send-'))
  })
  afterEach(async () => {
    await smtp.close()
    rmSync(folder, { recursive: true, force: true })
  })

  it('deliver each due reminder once, and the log records each once', async () => {
    const db = path.join(folder, 'seatflow.db')
    const app = await openSeatflow({ store: `sqlite:${db}`, clock: createSimulatedClock(startedAt) })
    for (const product of ['Visio', 'Teams', 'Project', 'Defender', 'Intune']) right(await app.createSubscription(subscription(product, defaultProviderIds.manual, 2)))
    await app.close()

    const now = new Date(Date.parse(startedAt) + 25 * 3_600_000).toISOString()
    const runs = await Promise.all([1, 2].map(() => seatflowProcess(['reminders', '--db', db, '--now', now, '--send'], { SEATFLOW_SMTP_URL: smtp.url })))
    expect(runs.map((run) => [run.code, run.err])).toEqual([[0, ''], [0, '']])

    const reminders = smtp.received().filter((mail) => mail.subject.startsWith('Reminder'))
    expect(reminders).toHaveLength(5)
    expect(new Set(reminders.map((mail) => mail.messageId)).size).toBe(5)
    const sentCounts = runs.map((run) => Number(/sent (\d+) reminder/.exec(run.out)?.[1]))
    expect(sentCounts.reduce((a, b) => a + b, 0)).toBe(5)
    const reader = await openSeatflow({ store: `sqlite:${db}`, autoProcess: false })
    expect((await allEvents(reader)).filter((event) => event.type === 'ProvisioningReminderSent')).toHaveLength(5)
    await reader.close()
  }, 60_000)
})
