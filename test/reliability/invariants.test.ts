import Database from 'better-sqlite3'
import { defaultProviderIds } from '../../src/domain/ids'
import { right, subscription, useSeatflows } from '../support/app'
import {
  acknowledgedProblems, integrityCheck, licenseChangeProblems, mailRecordProblems, readLog, revisionProblems, sinkProblems,
} from '../support/invariants'

/** The reliability checks find what they look for: a log broken on purpose breaks each of them. */
describe('the invariants of the reliability suite', () => {
  const { start, fileOf } = useSeatflows('sqlite')

  const history = async () => {
    const harness = await start()
    const sub = right(await harness.app.createSubscription(subscription('Visio', defaultProviderIds.manual, 3)))
    const change = right(await harness.app.changeQuantity({ subscriptionId: sub.subscriptionId, quantity: 5, correlationId: 'change-1' }))
    harness.clock.advanceHours(25)
    await harness.app.sendDueReminders()
    harness.clock.advanceHours(25)
    await harness.app.sendDueReminders()
    await harness.app.close()
    return { ...harness, file: fileOf(harness.url), sub, change }
  }

  it('hold on a sound log', async () => {
    const { url, file, sub, change, mailer } = await history()
    const events = await readLog(url)
    expect(integrityCheck(file)).toEqual(['ok'])
    expect(revisionProblems(events)).toEqual([])
    expect(licenseChangeProblems(events)).toEqual([])
    expect(mailRecordProblems(events)).toEqual([])
    expect(sinkProblems(events, mailer.sent())).toEqual([])
    expect(acknowledgedProblems(events, [{ kind: 'change', correlationId: 'change-1', subscriptionId: sub.subscriptionId, quantity: 5, licenseChangeId: change.licenseChangeId }])).toEqual([])
  })

  it('name a lost License Change, a gap in a stream, a lost reminder, a mail sent but not recorded and a lost command', async () => {
    const { url, file, sub, change, mailer } = await history()
    const db = new Database(file)
    db.prepare("DELETE FROM events WHERE type = 'LicenseChangeRecorded' AND data LIKE ?").run(`%${change.licenseChangeId}%`)
    db.prepare("DELETE FROM events WHERE type = 'ProvisioningReminderSent' AND data LIKE '%\"sequence\":1%'").run()
    db.close()
    const events = await readLog(url)
    expect(revisionProblems(events).length).toBeGreaterThan(0)
    expect(licenseChangeProblems(events)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^no License Change for SubscriptionQuantityChanged .* \(3 -> 5\)$/),
      `subscription ${sub.subscriptionId}: quantity 5, License Changes add up to 3`,
    ]))
    // Both open changes (0 -> 3 and 3 -> 5) lost their first reminder's record.
    const lostReminder = expect.stringMatching(/^reminder 2 of .* follows 0$/)
    expect(mailRecordProblems(events)).toEqual([lostReminder, lostReminder])
    const unrecorded = expect.stringMatching(/^mail .* was sent and is recorded 0 times$/)
    expect(sinkProblems(events, mailer.sent())).toEqual([unrecorded, unrecorded])
    expect(acknowledgedProblems(events, [{ kind: 'change', correlationId: 'never-written', subscriptionId: sub.subscriptionId, quantity: 7, licenseChangeId: change.licenseChangeId }]))
      .toEqual(['acknowledged change never-written stands 0 times in the log'])
  })
})
