import * as E from 'fp-ts/Either'
import { defaultProviderIds } from '../../src/domain/ids'
import { Mail } from '../../src/providers/mail'
import { countOf, right, storeKinds, subscription, useSeatflows } from '../support/app'

const idsOf = (mails: ReadonlyArray<Mail>): ReadonlyArray<string> => mails.map((mail) => mail.id)
const once = (ids: ReadonlyArray<string>): boolean => new Set(ids).size === ids.length

describe.each(storeKinds)('several callers at once in one process, on the %s store', (kind) => {
  const seatflows = useSeatflows(kind)

  it('two process() calls at once send a new change\'s request mail once, and record it once', async () => {
    const { app, mailer } = await seatflows.start({ autoProcess: false })
    right(await app.createSubscription(subscription('Visio', defaultProviderIds.manual, 3)))
    const reports = await Promise.all([app.process(), app.process()])
    expect(mailer.sent()).toHaveLength(1)
    expect(reports.map((report) => report.requestsSent).reduce((a, b) => a + b)).toBe(1)
    expect(await countOf(app, 'ProvisioningRequested')).toBe(1)
  })

  it('two sendDueReminders() at the same moment send each due reminder once', async () => {
    const { app, mailer, clock } = await seatflows.start()
    right(await app.createSubscription(subscription('Visio', defaultProviderIds.manual, 3)))
    right(await app.createSubscription(subscription('Teams', defaultProviderIds.manual, 4)))
    clock.advanceHours(25)
    const reports = await Promise.all([app.sendDueReminders(), app.sendDueReminders()])
    const reminders = mailer.sent().filter((mail) => mail.subject.startsWith('Reminder'))
    expect(reminders).toHaveLength(2)
    expect(once(idsOf(reminders))).toBe(true)
    expect(reports.flatMap((report) => report.sent)).toHaveLength(2)
    expect(await countOf(app, 'ProvisioningReminderSent')).toBe(2)
  })

  it('20 changes of one subscription at once are all accepted (none refused for a race among themselves), each mailed once', async () => {
    const { app, mailer } = await seatflows.start()
    const visio = right(await app.createSubscription(subscription('Visio', defaultProviderIds.manual, 1)))
    const results = await Promise.all(Array.from({ length: 20 }, (_, n) => app.changeQuantity({ subscriptionId: visio.subscriptionId, quantity: n + 2 })))
    expect(results.filter(E.isLeft)).toEqual([])
    const requests = mailer.sent().filter((mail) => mail.subject.startsWith('Provisioning request'))
    expect(requests).toHaveLength(21)
    expect(once(idsOf(requests))).toBe(true)
    expect(await countOf(app, 'ProvisioningRequested')).toBe(21)
    expect((await app.subscriptions()).find((row) => row.subscriptionId === visio.subscriptionId)?.quantity).toBe(21)
    expect((await app.audit()).violations).toEqual([])
  })
})

describe('two seatflows on one SQLite file in one process', () => {
  const seatflows = useSeatflows('sqlite')

  it('racing outboxes send each mail once: the claim one takes, the other leaves', async () => {
    const first = await seatflows.start({ autoProcess: false })
    const second = await seatflows.start({ autoProcess: false, store: first.url })
    for (const product of ['Visio', 'Teams', 'Project']) right(await first.app.createSubscription(subscription(product, defaultProviderIds.manual, 2)))
    await Promise.all([first.app.process(), second.app.process(), first.app.process(), second.app.process()])
    const sent = [...first.mailer.sent(), ...second.mailer.sent()]
    expect(sent).toHaveLength(3)
    expect(once(idsOf(sent))).toBe(true)
    expect(await countOf(first.app, 'ProvisioningRequested')).toBe(3)
  })
})
