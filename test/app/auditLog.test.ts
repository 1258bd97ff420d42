import { auditLog, positionAsOf } from '../../src/app/audit/auditLog'
import { replay } from '../../src/app/audit/replay'
import { defaultProviderIds } from '../../src/domain/ids'
import { openStorage } from '../../src/store/open'
import { allEvents, buildRichHistory, right, storageOf, storeKinds, subscription, useSeatflows, withoutAtomicAppends } from '../support/app'

describe.each(storeKinds)('audit at a moment on the %s store', (kind) => {
  const seatflows = useSeatflows(kind)

  it('as of a recorded time, shows the views and checks as they stood then', async () => {
    const { app, clock } = await seatflows.start()
    const created = right(await app.createSubscription(subscription('Visio', defaultProviderIds.manual, 3)))
    const afterCreation = await storageOf(app).events.lastPosition()
    clock.advanceHours(24)
    right(await app.markProvisioned({ licenseChangeId: created.licenseChangeId, by: 'Dana' }))

    const then = await auditLog(storageOf(app).events, { basis: 'recorded time', time: '2026-01-05T12:00:00.000Z' })
    expect(then).toMatchObject({ events: afterCreation, position: afterCreation, violations: [], mismatches: [] })
    expect(then.summary.licenseChanges).toEqual({ 'Not Applicable': 0, 'Awaiting Provisioning': 1, Provisioned: 0, 'Failed Provisioning': 0, total: 1 })
    expect(then.summary).toMatchObject({ subscriptions: 1, seats: 3, providers: { active: 3, deactivated: 0 } })
    expect(then.digest).toBe((await replay(storageOf(app).events, { until: afterCreation })).digest)

    const now = await auditLog(storageOf(app).events, { basis: 'now' })
    expect(now.summary.licenseChanges).toMatchObject({ 'Awaiting Provisioning': 0, Provisioned: 1 })
    expect(now.digest).toBe(await app.digest())
    const before = await auditLog(storageOf(app).events, { basis: 'recorded time', time: '2025-12-31T00:00:00.000Z' })
    expect(before).toMatchObject({ events: 0, position: 0, summary: { subscriptions: 0 } })
  })

  it('as of a time takes the last event recorded at or before it, wherever it stands in the log', async () => {
    const harness = await seatflows.start()
    await buildRichHistory(harness)
    const events = await allEvents(harness.app)
    const time = '2026-01-06T09:00:00.000Z'
    const expected = Math.max(0, ...events.filter((e) => e.metadata.occurredAt <= time).map((e) => e.position))
    expect(expected).toBeGreaterThan(0)
    expect(expected).toBeLessThan(events.length)
    expect(await positionAsOf(storageOf(harness.app).events, new Date(time))).toBe(expected)
    const byTime = await auditLog(storageOf(harness.app).events, { basis: 'recorded time', time })
    const byPosition = await auditLog(storageOf(harness.app).events, { basis: 'position', position: expected })
    expect({ ...byTime, moment: null }).toEqual({ ...byPosition, moment: null })
  })

  it('reports the License Change Log mismatches as they stood, with the difference', async () => {
    const { app } = await seatflows.start({ autoProcess: false, store: withoutAtomicAppends(openStorage(seatflows.freshUrl())) })
    const created = right(await app.createSubscription(subscription('Visio', defaultProviderIds.manual, 3)))
    const unprocessed = await storageOf(app).events.lastPosition()
    await app.process()
    const then = await auditLog(storageOf(app).events, { basis: 'position', position: unprocessed })
    expect(then.mismatches).toEqual([{
      subscriptionId: created.subscriptionId, product: 'Visio', providerId: defaultProviderIds.manual,
      quantity: 3, sumOfDeltas: 0, difference: 3, licenseChanges: 0,
    }])
    expect(then.violations).toContainEqual({ _tag: 'QuantityMismatch', subscriptionId: created.subscriptionId, quantity: 3, sumOfDeltas: 0, difference: 3 })
    expect((await auditLog(storageOf(app).events, { basis: 'now' })).mismatches).toEqual([])
  })

  it('tells its progress after every batch', async () => {
    const harness = await seatflows.start()
    await buildRichHistory(harness)
    const ticks: number[] = []
    await auditLog(storageOf(harness.app).events, { basis: 'now' }, (tick) => ticks.push(tick.events))
    const last = await storageOf(harness.app).events.lastPosition()
    expect(ticks).toEqual(Array.from({ length: Math.ceil(last / 1000) }, (_, i) => Math.min(last, (i + 1) * 1000)))
  })
})
