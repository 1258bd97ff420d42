import fc from 'fast-check'
import { derivedId, defaultProviderIds } from '../../src/domain/ids'
import { allEvents, right, startedAt, subscription, useSeatflows } from '../support/app'

/**
 * What "no reminder lost, none doubled" means, with H = reminderIntervalHours: each call
 * `sendDueReminders(now)` sends, for every Manual change awaiting provisioning whose last
 * notification (its request, or its last reminder) was recorded at L, exactly one reminder when
 * now >= L + H and none otherwise, and records it at `now`; reminders of a change are numbered
 * 1, 2, 3, ... with no gap and no repeat, so two of them are always at least H apart by their
 * recorded times. However the clock jumps, backwards or forwards, that is what happens.
 */
const hours = 3_600_000
const interval = 24

describe('reminders while the clock moves backwards and forwards by hours', () => {
  const { start } = useSeatflows('memory')

  it('a reminder is recorded at the `now` it was due at, so asking again at that `now` sends nothing more', async () => {
    const { app, clock, mailer } = await start({ reminderIntervalHours: interval })
    const sub = right(await app.createSubscription(subscription('Visio', defaultProviderIds.manual, 3)))
    const later = new Date(Date.parse(startedAt) + 30 * hours)
    expect((await app.sendDueReminders(later)).sent).toHaveLength(1)
    expect((await app.sendDueReminders(later)).sent).toHaveLength(0)
    expect(clock.now().toISOString()).toBe(startedAt)
    const reminders = (await allEvents(app)).filter((event) => event.type === 'ProvisioningReminderSent')
    expect(reminders.map((event) => event.metadata.occurredAt)).toEqual([later.toISOString()])
    expect(mailer.sent().filter((mail) => mail.id === derivedId(`provisioning-reminder:${sub.licenseChangeId}:1`))).toHaveLength(1)
  })

  const step = fc.record({
    moveHours: fc.integer({ min: -72, max: 72 }),
    action: fc.constantFrom('change', 'change', 'remind', 'remind', 'remind', 'provision'),
    /** Ask at the clock's now (undefined), or at a `now` some hours away from it. */
    askAtHours: fc.option(fc.integer({ min: -60, max: 60 }), { nil: undefined }),
  })

  it('matches the model: due ones sent once and recorded at `now`, none early, none twice, none skipped', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
      const { app, clock, mailer } = await start({ reminderIntervalHours: interval })
      const { subscriptionId } = right(await app.createSubscription(subscription('Visio', defaultProviderIds.manual)))
      /** The model: per open change, the times it was notified at (request first). */
      const notified = new Map<string, number[]>()
      const remindedAt = new Map<string, number[]>()
      let quantity = 0
      for (const { moveHours, action, askAtHours } of steps) {
        clock.advanceHours(moveHours)
        if (action === 'change') {
          quantity += 1
          const { licenseChangeId } = right(await app.changeQuantity({ subscriptionId, quantity }))
          notified.set(licenseChangeId, [clock.now().getTime()])
        } else if (action === 'provision' && notified.size > 0) {
          const [oldest] = notified.keys()
          right(await app.markProvisioned({ licenseChangeId: oldest, by: 'Dana' }))
          notified.delete(oldest as string)
        } else if (action === 'remind') {
          const now = askAtHours === undefined ? clock.now() : new Date(clock.now().getTime() + askAtHours * hours)
          const due = [...notified].filter(([, times]) => now.getTime() >= (times.at(-1) ?? 0) + interval * hours)
          const report = await app.sendDueReminders(askAtHours === undefined ? undefined : now)
          expect(report.sent.map((mail) => mail.id).sort()).toEqual(
            due.map(([id, times]) => derivedId(`provisioning-reminder:${id}:${times.length}`)).sort())
          due.forEach(([id, times]) => {
            times.push(now.getTime())
            remindedAt.set(id, [...remindedAt.get(id) ?? [], now.getTime()])
          })
        }
      }
      const recorded = (await allEvents(app)).filter((event) => event.type === 'ProvisioningReminderSent')
      const byChange = new Map<string, number[]>()
      for (const event of recorded) {
        const data = event.data as { readonly licenseChangeId: string; readonly sequence: number }
        const times = byChange.get(data.licenseChangeId) ?? []
        expect(data.sequence).toBe(times.length + 1)
        byChange.set(data.licenseChangeId, [...times, Date.parse(event.metadata.occurredAt)])
      }
      expect(byChange).toEqual(remindedAt)
      const ids = mailer.sent().map((mail) => mail.id)
      expect(new Set(ids).size).toBe(ids.length)
      await app.close()
    }), { numRuns: 100 })
  }, 120_000)
})
