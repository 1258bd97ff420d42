import { defaultProviderIds } from '../../src/domain/ids'
import { ProcessReport } from '../../src/app/seatflow'
import { right, storeKinds, subscription, useSeatflows } from '../support/app'

describe.each(storeKinds)('what a service watches, on the %s store', (kind) => {
  const seatflows = useSeatflows(kind)

  it('counts the License Change Log by status and provider kind, with the oldest change awaiting provisioning and the mails on record', async () => {
    const { app, clock } = await seatflows.start()
    right(await app.createSubscription(subscription('Visio', defaultProviderIds.manual, 1)))
    clock.advanceHours(1)
    const project = right(await app.createSubscription(subscription('Project', defaultProviderIds.manual, 2)))
    right(await app.createSubscription(subscription('Bundle', defaultProviderIds.doNothing, 3)))
    right(await app.createSubscription(subscription('Teams', defaultProviderIds.partnerCenter, 4)))
    clock.advanceHours(30)
    await app.sendDueReminders()
    right(await app.markProvisioned({ licenseChangeId: project.licenseChangeId, by: 'Dana' }))

    const summary = await app.licenseChangeSummary()
    expect([...summary.byStatusAndKind].sort((a, b) => `${a.status}${a.providerKind}`.localeCompare(`${b.status}${b.providerKind}`))).toEqual([
      { status: 'Awaiting Provisioning', providerKind: 'Manual', count: 1 },
      { status: 'Not Applicable', providerKind: 'Do Nothing', count: 1 },
      { status: 'Provisioned', providerKind: 'Automatic', count: 1 },
      { status: 'Provisioned', providerKind: 'Manual', count: 1 },
    ])
    expect(summary).toMatchObject({ oldestAwaitingSince: '2026-01-05T09:00:00.000Z', requestsRecorded: 2, remindersRecorded: 2 })
    // Counted once per log position: asked again at the same position, the same count; once the log moved, a new one.
    expect(await app.licenseChangeSummary()).toBe(summary)
    right(await app.changeQuantity({ subscriptionId: project.subscriptionId, quantity: 5 }))
    const moved = await app.licenseChangeSummary()
    expect(moved.byStatusAndKind.find((entry) => entry.status === 'Awaiting Provisioning' && entry.providerKind === 'Manual')?.count).toBe(2)
    expect(moved.requestsRecorded).toBe(3)
  })

  it('says where the log ends and where the views stand', async () => {
    const { app } = await seatflows.start({ autoProcess: false })
    right(await app.createSubscription(subscription('Visio', defaultProviderIds.manual, 1)))
    const before = await app.positions()
    expect(before.log).toBeGreaterThan(before.views)
    await app.refreshViews()
    const after = await app.positions()
    expect(after).toEqual({ log: before.log, views: before.log })
  })

  it('tells a follower each run it made and the position it ran after', async () => {
    const { app } = await seatflows.start({ autoProcess: false })
    const heard: Array<{ readonly report: ProcessReport; readonly position: number }> = []
    const following = app.follow((processed) => { heard.push(processed) })
    const visio = right(await app.createSubscription(subscription('Visio', defaultProviderIds.manual, 1)))
    for (let i = 0; i < 200 && !heard.some((one) => one.report.requestsSent > 0); i += 1) await new Promise((resolve) => setTimeout(resolve, 10))
    await following.stop()
    expect(heard.flatMap((one) => one.report.requestsSentFor)).toEqual([visio.licenseChangeId])
    expect(heard.map((one) => one.position)).toEqual([...heard.map((one) => one.position)].sort((a, b) => a - b))
  })
})
