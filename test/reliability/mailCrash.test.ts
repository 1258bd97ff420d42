import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { createSimulatedClock } from '../../src/providers/clock'
import { derivedId, defaultProviderIds } from '../../src/domain/ids'
import { right, subscription } from '../support/app'
import { readLog } from '../support/invariants'
import { runWorker, startWorker } from '../support/processes'
import { createSinkMailer, openReliabilityApp, readLines, reliabilityEpoch, SentMail } from '../support/reliability'

const hour = 3_600_000
const at = (hours: number): string => new Date(Date.parse(reliabilityEpoch) + hours * hour).toISOString()

describe('a crash between "email sent" and "email recorded"', () => {
  let dir = ''
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-mail-crash-')) })
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('sends the mail at most once more on restart and records it exactly once, for a request and for a reminder', async () => {
    const url = `sqlite:${path.join(dir, 'seatflow.db')}`
    const sink = path.join(dir, 'sent-mail.jsonl')
    // The subscription and its License Change are on record, the request mail is not: the workers send it.
    const setup = await openReliabilityApp({ storage: url, mailer: createSinkMailer(sink), clock: createSimulatedClock(reliabilityEpoch), autoProcess: false })
    const created = right(await setup.createSubscription(subscription('Visio', defaultProviderIds.manual, 10)))
    await setup.close()
    const licenseChangeId = created.licenseChangeId ?? ''
    const args = (hours: number): ReadonlyArray<string> =>
      ['--store', url, '--acks', path.join(dir, 'acks.jsonl'), '--sink', sink, '--commands', '0', '--clock', `${at(hours)},0,0`]
    const sendsOf = (id: string): number => readLines<SentMail>(sink).filter((mail) => mail.id === id).length
    const recordsOf = async (id: string, type: string): Promise<number> =>
      (await readLog(url)).filter((event) => event.type === type && event.eventId === id).length

    /**
     * Killed right after sending `mail` at `hour`: sent once, not recorded, its claim held by a dead
     * process; each restart (which takes over a dead process's claim): sent twice in all, recorded once.
     */
    const crashBetweenSendAndRecord = async (mail: string, type: string, hour: number): Promise<void> => {
      const worker = startWorker([...args(hour), '--kill-after-sends', '1'])
      expect(await worker.exited).toEqual({ code: null, signal: 'SIGKILL' })
      expect([sendsOf(mail), await recordsOf(mail, type)]).toEqual([1, 0])
      for (const restartAt of [hour + 1, hour + 2]) {
        await runWorker(args(restartAt))
        expect({ restartAt, sends: sendsOf(mail), records: await recordsOf(mail, type) }).toEqual({ restartAt, sends: 2, records: 1 })
      }
    }

    const request = derivedId(`provisioning-request:${licenseChangeId}`)
    await crashBetweenSendAndRecord(request, 'ProvisioningRequested', 0)
    // The request was recorded at hour 1: the first reminder falls due at hour 25.
    const reminder = derivedId(`provisioning-reminder:${licenseChangeId}:1`)
    await crashBetweenSendAndRecord(reminder, 'ProvisioningReminderSent', 26)
    expect(readLines<SentMail>(sink).map((mail) => mail.id)).toEqual([request, request, reminder, reminder])

    const app = await openReliabilityApp({ storage: url, mailer: createSinkMailer(sink), clock: createSimulatedClock(at(28)), autoProcess: false })
    expect((await app.audit()).violations).toEqual([])
    await app.close()
  }, 120_000)
})
