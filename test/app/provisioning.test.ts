import { retryDelayMs } from '../../src/domain/retry'
import { defaultProviderIds } from '../../src/domain/ids'
import { allEvents, countOf, leftOf, right, rowOf, rowsOf, startedAt, storeKinds, subscription, useSeatflows, storageOf } from '../support/app'

const pc = defaultProviderIds.partnerCenter
const at = (ms: number): string => new Date(Date.parse(startedAt) + ms).toISOString()
const retryAt = (from: string, licenseChangeId: string, nextAttempt: number, failures: number, baseSeconds = 10): string =>
  new Date(Date.parse(from) + retryDelayMs({ baseSeconds, capSeconds: 3600 }, { licenseChangeId, nextAttempt, failures, retryAfterSeconds: null })).toISOString()

describe.each(storeKinds)('automatic provisioning on the %s store', (kind) => {
  const seatflows = useSeatflows(kind)

  describe('retries', () => {
    it('tries attempt 2 not before base + jitter after the failure, attempt 3 not before base×2 + jitter, then fails with the last reason', async () => {
      const { app, gateway, clock } = await seatflows.start({ retryBaseSeconds: 10 })
      gateway.queue({ _tag: 'TransientFailure', reason: 'HTTP 503' }, { _tag: 'TransientFailure', reason: 'HTTP 503' }, { _tag: 'TransientFailure', reason: 'HTTP 504' })
      const teams = right(await app.createSubscription(subscription('Teams Premium', pc, 10)))
      const id = String(teams.licenseChangeId)
      const second = retryAt(startedAt, id, 2, 1)
      expect(Date.parse(second) - Date.parse(startedAt)).toBeGreaterThanOrEqual(10_000)
      expect(Date.parse(second) - Date.parse(startedAt)).toBeLessThan(15_000)
      expect(await rowOf(app, id)).toMatchObject({ attempts: 1, notBefore: second, message: `Attempt 1 failed: HTTP 503; attempt 2 not before ${second}` })

      clock.set(new Date(Date.parse(second) - 1))
      expect(await app.process()).toMatchObject({ changesTried: 0, scheduled: [{ licenseChangeId: id, notBefore: second }], nextAttemptAt: second })
      clock.set(second)
      const third = retryAt(second, id, 3, 2)
      // The run that tried attempt 2 says when attempt 3 is due (a host calls process() again then).
      expect(await app.process()).toMatchObject({ changesTried: 1, scheduled: [{ licenseChangeId: id, notBefore: third }], nextAttemptAt: third })
      expect(Date.parse(third) - Date.parse(second)).toBeGreaterThanOrEqual(20_000)
      expect(Date.parse(third) - Date.parse(second)).toBeLessThan(30_000)
      expect(await rowOf(app, id)).toMatchObject({ attempts: 2, notBefore: third })

      clock.set(third)
      await app.process()
      expect(await rowOf(app, id)).toMatchObject({ status: 'Failed Provisioning', attempts: 3, notBefore: null, message: 'HTTP 504 (gave up after 3 attempts)' })
      expect(gateway.calls().map((call) => call.request.attempt)).toEqual([1, 2, 3])
    })

    it('honours the provider’s Retry-After when it asks for longer, and re-checks an accepted attempt when it says', async () => {
      const { app, gateway, clock } = await seatflows.start()
      gateway.queue({ _tag: 'TransientFailure', reason: 'HTTP 429 throttled', retryAfterSeconds: 600 }, { _tag: 'Accepted', reference: 'op-1', retryAfterSeconds: 120 })
      const teams = right(await app.createSubscription(subscription('Teams Premium', pc, 10)))
      expect(await rowOf(app, teams.licenseChangeId)).toMatchObject({ notBefore: at(600_000) })
      clock.set(at(599_999))
      expect((await app.process()).changesTried).toBe(0)
      clock.set(at(600_000))
      await app.process()
      expect(await rowOf(app, teams.licenseChangeId)).toMatchObject({ pendingReference: 'op-1', notBefore: at(720_000), message: `Accepted by Partner Center (op-1); waiting for confirmation; next check not before ${at(720_000)}` })
      clock.set(at(719_999))
      expect((await app.process()).changesTried).toBe(0)
      clock.set(at(720_000))
      await app.process()
      expect(await rowOf(app, teams.licenseChangeId)).toMatchObject({ status: 'Provisioned' })
      expect(gateway.calls().map((call) => call.operation)).toEqual(['changeQuantity', 'changeQuantity', 'checkPending'])
    })

    it('keeps the schedule across a restart: it comes from the stored failure, not from the process', async () => {
      if (kind !== 'sqlite') return
      const { app, gateway, clock, url } = await seatflows.start({ retryBaseSeconds: 60 })
      gateway.queue({ _tag: 'TransientFailure', reason: 'HTTP 503' })
      const teams = right(await app.createSubscription(subscription('Teams Premium', pc, 10)))
      const due = retryAt(startedAt, String(teams.licenseChangeId), 2, 1, 60)
      await app.close()
      const again = await seatflows.open({ store: url, clock, gateways: { 'Partner Center': gateway }, retryBaseSeconds: 60 })
      clock.set(new Date(Date.parse(due) - 1))
      expect((await again.process()).changesTried).toBe(0)
      clock.set(due)
      expect((await again.process()).changesTried).toBe(1)
      expect(await rowOf(again, teams.licenseChangeId)).toMatchObject({ status: 'Provisioned', attempts: 1 })
    })

    it('refuses a retry policy that makes no sense', async () => {
      await expect(seatflows.start({ retryBaseSeconds: 60, retryCapSeconds: 30 })).rejects.toThrow('retryCapSeconds must be a number of seconds >= retryBaseSeconds (60), not 30')
    })
  })

  describe('ordering and re-queue', () => {
    it('a later change waits for a failed one and says so; after a re-queue the old target goes first, then the later one', async () => {
      const { app, gateway } = await seatflows.start()
      const teams = right(await app.createSubscription(subscription('Teams Premium', pc, 10)))
      gateway.queue({ _tag: 'PermanentFailure', reason: 'tenant not ready', code: 'TenantNotReady' })
      const earlier = right(await app.changeQuantity({ subscriptionId: teams.subscriptionId, quantity: 12 }))
      const later = right(await app.changeQuantity({ subscriptionId: teams.subscriptionId, quantity: 14 }))
      expect(await rowOf(app, later.licenseChangeId)).toMatchObject({
        status: 'Awaiting Provisioning', waitingFor: earlier.licenseChangeId,
        message: `Waiting for License Change ${earlier.licenseChangeId} (Failed Provisioning) of this subscription`,
      })
      expect((await app.process()).held).toEqual([{ licenseChangeId: later.licenseChangeId, waitingFor: earlier.licenseChangeId }])
      const heldEvents = await countOf(app, 'ProvisioningHeldBack')
      await app.process()
      expect(await countOf(app, 'ProvisioningHeldBack')).toBe(heldEvents)

      right(await app.requeue({ licenseChangeId: earlier.licenseChangeId, by: 'Dana', reason: 'tenant ready now' }))
      expect(gateway.calls().map((call) => [call.request.licenseChangeId, call.request.targetQuantity])).toEqual([
        [teams.licenseChangeId, 10], [earlier.licenseChangeId, 12], [earlier.licenseChangeId, 12], [later.licenseChangeId, 14],
      ])
      expect((await rowsOf(app, teams.subscriptionId)).map((row) => row.status)).toEqual(['Provisioned', 'Provisioned', 'Provisioned'])
      expect(gateway.quantityOf(teams.subscriptionId)).toBe(14)
      expect((await app.audit()).violations).toEqual([])
    })

    it('a re-queued change gets a fresh attempt budget', async () => {
      const { app, gateway, clock } = await seatflows.start({ retryBaseSeconds: 1 })
      gateway.queue(...Array.from({ length: 5 }, () => ({ _tag: 'TransientFailure' as const, reason: 'HTTP 503' })))
      const teams = right(await app.createSubscription(subscription('Teams Premium', pc, 10)))
      for (let i = 0; i < 2; i += 1) { clock.advanceHours(1); await app.process() }
      expect(await rowOf(app, teams.licenseChangeId)).toMatchObject({ status: 'Failed Provisioning', attempts: 3 })
      right(await app.requeue({ licenseChangeId: teams.licenseChangeId, by: 'Dana', reason: 'again' }))
      for (let i = 0; i < 2; i += 1) { clock.advanceHours(1); await app.process() }
      expect(gateway.calls().map((call) => call.request.attempt)).toEqual([1, 2, 3, 4, 5, 6])
      expect(await rowOf(app, teams.licenseChangeId)).toMatchObject({ status: 'Provisioned' })
    })

    it('a re-queue is refused when a later change already set the provider’s quantity: its target would be stale', async () => {
      const { app, gateway } = await seatflows.start()
      const teams = right(await app.createSubscription(subscription('Teams Premium', pc, 10)))
      gateway.queue({ _tag: 'PermanentFailure', reason: 'tenant not ready' })
      const earlier = right(await app.changeQuantity({ subscriptionId: teams.subscriptionId, quantity: 12 }))
      const later = right(await app.changeQuantity({ subscriptionId: teams.subscriptionId, quantity: 14 }))
      // A log from before Failed changes held later ones back: the later change was provisioned anyway.
      const stream = `licensechange-${later.licenseChangeId}`
      const revision = (await storageOf(app).events.readStream(stream)).length - 1
      await storageOf(app).events.append(stream, revision, [{
        eventId: '018f0000-0000-7000-8000-000000000001', type: 'LicenseChangeProvisioned',
        data: { licenseChangeId: later.licenseChangeId, by: 'Partner Center', via: 'gateway', note: null },
        metadata: { occurredAt: startedAt, actor: 'Partner Center', correlationId: 'legacy', causationId: null },
      }])
      const before = await storageOf(app).events.lastPosition()
      expect(leftOf(await app.requeue({ licenseChangeId: earlier.licenseChangeId, by: 'Dana', reason: 'retry' })))
        .toEqual({ _tag: 'LicenseChangeSuperseded', licenseChangeId: earlier.licenseChangeId, supersededBy: later.licenseChangeId })
      expect(await storageOf(app).events.lastPosition()).toBe(before)
      expect(gateway.calls().map((call) => call.request.targetQuantity)).toEqual([10, 12])
    })
  })

  describe('two-way sync', () => {
    it('records a different provider quantity as Not Applicable by the provider-side actor; the same quantity writes nothing', async () => {
      const { app, gateway } = await seatflows.start()
      const teams = right(await app.createSubscription(subscription('Teams Premium', pc, 10)))
      const before = await storageOf(app).events.lastPosition()
      expect(right(await app.syncFromProvider({ subscriptionId: teams.subscriptionId, quantity: 10 }))).toMatchObject({ outcome: 'unchanged', licenseChangeId: null })
      expect((await app.syncNow()).results).toEqual([expect.objectContaining({ outcome: 'unchanged' })])
      expect(await storageOf(app).events.lastPosition()).toBe(before)

      gateway.changeAtProvider(teams.subscriptionId, 13, { changedBy: 'admin@customer.example', changedAt: '2026-01-05T08:00:00.000Z' })
      expect((await app.driftReport()).drift).toEqual([expect.objectContaining({ seatflowQuantity: 10, providerQuantity: 13, changedBy: 'admin@customer.example', wouldRecord: expect.objectContaining({ delta: 3 }) })])
      expect(await storageOf(app).events.lastPosition()).toBe(before)
      const synced = await app.syncNow()
      expect(synced).toEqual({ failed: [], results: [expect.objectContaining({ outcome: 'recorded', seatflowQuantity: 10, providerQuantity: 13 })] })
      const row = await rowOf(app, synced.results[0]?.licenseChangeId ?? null)
      expect(row).toMatchObject({ origin: 'provider', status: 'Not Applicable', previousQuantity: 10, newQuantity: 13 })
      const quantityEvent = (await allEvents(app)).filter((event) => event.type === 'SubscriptionQuantityChanged').pop()
      expect(quantityEvent?.metadata).toMatchObject({ actor: 'admin@customer.example' })
      expect((await app.driftReport()).drift).toEqual([])
      expect(gateway.calls()).toHaveLength(1)
    })

    it('a provider quantity an unresolved change explains writes nothing; the change then goes on', async () => {
      const { app, gateway } = await seatflows.start()
      const teams = right(await app.createSubscription(subscription('Teams Premium', pc, 10)))
      gateway.queue({ _tag: 'Accepted', reference: 'op-1' })
      const change = right(await app.changeQuantity({ subscriptionId: teams.subscriptionId, quantity: 12 }))
      expect(right(await app.syncFromProvider({ subscriptionId: teams.subscriptionId, quantity: 10 })))
        .toMatchObject({ outcome: 'pending change', waitingFor: change.licenseChangeId, licenseChangeId: null })
      expect(await countOf(app, 'SubscriptionQuantityChanged')).toBe(1)
      expect(await rowsOf(app, teams.subscriptionId)).toHaveLength(2)
      await app.process()
      expect(await rowOf(app, change.licenseChangeId)).toMatchObject({ status: 'Provisioned' })
    })

    it('a provider-side change while seatflow changes wait supersedes them: their stale targets are never sent, and later changes go at once', async () => {
      const { app, gateway } = await seatflows.start()
      const teams = right(await app.createSubscription(subscription('Teams Premium', pc, 10)))
      gateway.queue({ _tag: 'PermanentFailure', reason: 'tenant not ready' })
      const failed = right(await app.changeQuantity({ subscriptionId: teams.subscriptionId, quantity: 12 }))
      const held = right(await app.changeQuantity({ subscriptionId: teams.subscriptionId, quantity: 14 }))
      gateway.changeAtProvider(teams.subscriptionId, 15, { changedBy: 'admin@customer.example' })
      const synced = await app.syncNow()
      const fromProvider = synced.results[0]?.licenseChangeId
      expect(synced.results).toEqual([expect.objectContaining({ outcome: 'recorded', seatflowQuantity: 14, providerQuantity: 15 })])
      for (const stale of [failed, held]) {
        expect(await rowOf(app, stale.licenseChangeId)).toMatchObject({ status: 'Failed Provisioning', supersededBy: fromProvider, message: expect.stringContaining(`Superseded by License Change ${String(fromProvider)}`) })
      }
      expect(leftOf(await app.requeue({ licenseChangeId: failed.licenseChangeId, by: 'Dana', reason: 'retry' })))
        .toEqual({ _tag: 'LicenseChangeSuperseded', licenseChangeId: failed.licenseChangeId, supersededBy: fromProvider })
      const next = right(await app.changeQuantity({ subscriptionId: teams.subscriptionId, quantity: 20 }))
      expect(await rowOf(app, next.licenseChangeId)).toMatchObject({ status: 'Provisioned', previousQuantity: 15 })
      expect(gateway.calls().map((call) => call.request.targetQuantity)).toEqual([10, 12, 20])
      expect(gateway.quantityOf(teams.subscriptionId)).toBe(20)
      const report = await app.audit()
      expect(report.violations).toEqual([])
      expect(report.digest).toBe(await app.digest())
    })

    it('a subscription the gateway cannot read is reported, not fatal; bad input is refused and writes nothing', async () => {
      const { app } = await seatflows.start()
      const teams = right(await app.createSubscription({ ...subscription('Teams Premium', pc, 0) }))
      const before = await storageOf(app).events.lastPosition()
      expect((await app.syncNow()).failed).toEqual([{ subscriptionId: teams.subscriptionId, reason: `subscription ${teams.subscriptionId} is not known at the simulated provider` }])
      expect(leftOf(await app.syncFromProvider({ subscriptionId: teams.subscriptionId, quantity: -1 }))).toMatchObject({ _tag: 'InvalidCommand' })
      expect(leftOf(await app.syncFromProvider({ subscriptionId: '018f0000-0000-7000-8000-000000000009', quantity: 1 }))).toMatchObject({ _tag: 'SubscriptionNotFound' })
      expect(await storageOf(app).events.lastPosition()).toBe(before)
    })
  })
})
