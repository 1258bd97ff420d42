import { defaultProviderIds } from '../../src/domain/ids'
import { right, storeKinds, subscription, useSeatflows } from '../support/app'

describe.each(storeKinds)('what a service looks up, on the %s store', (kind) => {
  const seatflows = useSeatflows(kind)

  it('pages the License Change Log in a stable order, every row once, filtered as asked', async () => {
    const { app } = await seatflows.start()
    const visio = right(await app.createSubscription(subscription('Visio', defaultProviderIds.manual, 1)))
    for (let quantity = 2; quantity <= 12; quantity += 1) right(await app.changeQuantity({ subscriptionId: visio.subscriptionId, quantity }))
    right(await app.createSubscription(subscription('Bundle', defaultProviderIds.doNothing, 3)))
    const all = await app.licenseChangeLog()
    const seen: string[] = []
    let after: string | null = null
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await app.licenseChanges({}, { after, limit: 5 })
      seen.push(...page.rows.map((row) => row.licenseChangeId))
      after = page.next
      if (after === null) break
    }
    expect(seen).toHaveLength(all.length)
    expect([...seen].sort()).toEqual(all.map((row) => row.licenseChangeId).sort())
    expect(seen).toEqual([...seen].sort())
    const awaiting = await app.licenseChanges({ status: 'Awaiting Provisioning', subscriptionId: visio.subscriptionId.toUpperCase() }, { limit: 500 })
    expect(awaiting.rows.map((row) => row.licenseChangeId).sort())
      .toEqual(all.filter((row) => row.status === 'Awaiting Provisioning' && row.subscriptionId === visio.subscriptionId).map((row) => row.licenseChangeId).sort())
    expect(awaiting.next).toBeNull()
    expect((await app.licenseChanges({ provider: 'do nothing' })).rows.map((row) => row.product)).toEqual(['Bundle'])
  })

  it('finds one License Change, subscription or provider by id (in any case), and null for none', async () => {
    const { app } = await seatflows.start()
    const visio = right(await app.createSubscription(subscription('Visio', defaultProviderIds.manual, 1)))
    expect((await app.licenseChange(visio.licenseChangeId ?? ''))?.product).toBe('Visio')
    expect((await app.subscription(visio.subscriptionId.toUpperCase()))?.quantity).toBe(1)
    expect((await app.provider(defaultProviderIds.manual))?.name).toBe('Manual Provider')
    expect(await app.licenseChange('0193a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b')).toBeNull()
  })

  it('says when the next reminder and the next scheduled attempt fall due', async () => {
    const { app, gateway } = await seatflows.start()
    expect(await app.nextDue()).toEqual({ reminderAt: null, attemptAt: null })
    right(await app.createSubscription(subscription('Visio', defaultProviderIds.manual, 1)))
    gateway.queue({ _tag: 'TransientFailure', reason: 'busy', retryAfterSeconds: 600 })
    right(await app.createSubscription(subscription('Teams', defaultProviderIds.partnerCenter, 1)))
    const due = await app.nextDue()
    expect(due.reminderAt).toBe('2026-01-06T09:00:00.000Z')
    expect(due.attemptAt).toBe('2026-01-05T09:10:00.000Z')
  })
})
