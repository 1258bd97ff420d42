import { createSimulatedClock } from '../../src/providers/clock'
import { defaultProviderIds } from '../../src/domain/ids'
import { createMemoryMailer, Mail } from '../../src/providers/mail'
import { allEvents, right, startedAt, subscription, useSeatflows } from '../support/app'

/**
 * Two seatflows on one SQLite file, as two processes are: while one works through its due
 * reminders, the other provisions a change that is further down that list.
 */
describe('an outbox whose list went stale while it sent', () => {
  const { freshUrl, open } = useSeatflows('sqlite')

  it('sends no reminder for a change provisioned meanwhile by another process', async () => {
    const url = freshUrl()
    const clock = createSimulatedClock(startedAt)
    const other = await open({ store: url, clock, mailer: createMemoryMailer() })
    const changes = [
      right(await other.createSubscription(subscription('Visio', defaultProviderIds.manual, 3))).licenseChangeId ?? '',
      right(await other.createSubscription(subscription('Project', defaultProviderIds.manual, 2))).licenseChangeId ?? '',
    ]
    const sent: Mail[] = []
    let provisionedMeanwhile: string | null = null
    const reminding = await open({
      store: url, clock,
      mailer: {
        send: async (mail) => {
          sent.push(mail)
          if (provisionedMeanwhile !== null) return
          // The other process provisions the change this mail is not about.
          provisionedMeanwhile = changes.find((id) => !mail.text.includes(id)) ?? null
          right(await other.markProvisioned({ licenseChangeId: provisionedMeanwhile, by: 'Dana' }))
        },
      },
    })
    clock.advanceHours(25)

    const report = await reminding.sendDueReminders()

    const stillOpen = changes.filter((id) => id !== provisionedMeanwhile)
    expect(stillOpen).toHaveLength(1)
    expect(sent).toHaveLength(1)
    expect(report.sent).toEqual(sent)
    const reminded = (await allEvents(reminding)).filter((event) => event.type === 'ProvisioningReminderSent')
    expect(reminded.map((event) => (event.data as { licenseChangeId: string }).licenseChangeId)).toEqual(stillOpen)
    expect((await reminding.audit()).violations).toEqual([])
  })
})
