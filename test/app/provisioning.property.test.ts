import * as fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { createSimulatedClock } from '../../src/providers/clock'
import { licenseChangeIdFor, defaultProviderIds } from '../../src/domain/ids'
import { ProvisioningRequest, ProvisioningResult } from '../../src/providers/gateway'
import { openStorage } from '../../src/store/open'
import { StoredEvent } from '../../src/store/port'
import { allEvents, createScriptedGateway, right, startedAt, subscription, useSeatflows } from '../support/app'

type Step =
  | { readonly type: 'change'; readonly target: number; readonly quantity: number }
  | { readonly type: 'answer'; readonly result: ProvisioningResult }
  | { readonly type: 'atProvider'; readonly target: number; readonly quantity: number }
  | { readonly type: 'sync' }
  | { readonly type: 'advance'; readonly minutes: number }
  | { readonly type: 'process' }
  | { readonly type: 'requeue'; readonly pick: number }

const answer: fc.Arbitrary<ProvisioningResult> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<ProvisioningResult>({ _tag: 'Provisioned' }) },
  { weight: 1, arbitrary: fc.nat({ max: 99 }).map((n): ProvisioningResult => ({ _tag: 'Accepted', reference: `op-${n}`, ...(n % 2 === 0 ? { retryAfterSeconds: n } : {}) })) },
  { weight: 2, arbitrary: fc.nat({ max: 900 }).map((n): ProvisioningResult => ({ _tag: 'TransientFailure', reason: 'HTTP 503', ...(n % 3 === 0 ? { retryAfterSeconds: n } : {}) })) },
  { weight: 2, arbitrary: fc.constant<ProvisioningResult>({ _tag: 'PermanentFailure', reason: 'tenant not ready' }) },
)
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ type: fc.constant('change' as const), target: fc.nat({ max: 1 }), quantity: fc.nat({ max: 8 }) }) },
  { weight: 4, arbitrary: fc.record({ type: fc.constant('answer' as const), result: answer }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('atProvider' as const), target: fc.nat({ max: 1 }), quantity: fc.nat({ max: 8 }) }) },
  { weight: 2, arbitrary: fc.constant({ type: 'sync' as const }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('advance' as const), minutes: fc.integer({ min: 1, max: 90 }) }) },
  { weight: 2, arbitrary: fc.constant({ type: 'process' as const }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('requeue' as const), pick: fc.nat({ max: 5 }) }) },
)

const data = (event: StoredEvent): Record<string, unknown> => event.data as Record<string, unknown>

/** What the log says of each License Change as of a position: its subscription, target, origin and status. */
const changesAsOf = (events: ReadonlyArray<StoredEvent>, position: number) => {
  const changes = new Map<string, { subscriptionId: string; target: number; origin: string; position: number; status: string }>()
  for (const event of events) {
    if (event.position > position) break
    const id = String(data(event)['licenseChangeId'])
    if (event.type === 'LicenseChangeRecorded') {
      changes.set(id, { subscriptionId: String(data(event)['subscriptionId']), target: Number(data(event)['newQuantity']), origin: String(data(event)['origin']), position: event.position, status: String(data(event)['status']) })
    }
    const change = changes.get(id)
    if (change === undefined) continue
    if (event.type === 'LicenseChangeProvisioned') change.status = 'Provisioned'
    if (event.type === 'ProvisioningFailed') change.status = 'Failed Provisioning'
    if (event.type === 'LicenseChangeSuperseded') change.status = 'Superseded'
    if (event.type === 'ProvisioningRequeued') change.status = 'Awaiting Provisioning'
  }
  return changes
}

/** Every send: its target is the quantity as of its change; nothing earlier of the subscription unresolved, nothing later settled. */
const checkSends = (events: ReadonlyArray<StoredEvent>, sends: ReadonlyArray<{ readonly request: ProvisioningRequest; readonly position: number }>): void => {
  const quantityAsOf = new Map(events.filter((event) => event.type === 'SubscriptionQuantityChanged' || event.type === 'SubscriptionCreated')
    .map((event) => [licenseChangeIdFor(event.eventId) as string, Number(data(event)['newQuantity'] ?? data(event)['quantity'])]))
  for (const { request, position } of sends) {
    expect({ id: request.licenseChangeId, target: request.targetQuantity }).toEqual({ id: request.licenseChangeId, target: quantityAsOf.get(request.licenseChangeId) })
    const changes = changesAsOf(events, position)
    const self = changes.get(request.licenseChangeId)
    expect(self?.status).toBe('Awaiting Provisioning')
    const siblings = [...changes.entries()].filter(([id, change]) => id !== request.licenseChangeId && change.subscriptionId === request.subscriptionId)
    const earlierUnresolved = siblings.filter(([, c]) => c.position < (self?.position ?? 0) && (c.status === 'Awaiting Provisioning' || c.status === 'Failed Provisioning'))
    const laterSettled = siblings.filter(([, c]) => c.position > (self?.position ?? 0) && (c.status === 'Provisioned' || c.origin === 'provider'))
    expect({ id: request.licenseChangeId, earlierUnresolved, laterSettled }).toEqual({ id: request.licenseChangeId, earlierUnresolved: [], laterSettled: [] })
  }
}

describe('any interleaving of host changes, provider answers and syncs', () => {
  const seatflows = useSeatflows('memory')

  it('keeps the sum of deltas equal to the quantity and only ever sends the target of the change, in order, never a stale one', async () => {
    let runs = 0
    const seen = new Map<string, number>()
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 15, maxLength: 40, size: "max" }), async (steps) => {
      runs += 1
      const storage = openStorage('memory:')
      const gateway = createScriptedGateway()
      const sends: Array<{ readonly request: ProvisioningRequest; readonly position: number }> = []
      const changeQuantity = async (request: ProvisioningRequest): Promise<ProvisioningResult> => {
        sends.push({ request, position: await storage.events.lastPosition() })
        return gateway.changeQuantity(request)
      }
      const clock = createSimulatedClock(startedAt)
      const app = await seatflows.open({ store: storage, clock, gateways: { 'Partner Center': { ...gateway, changeQuantity } }, retryBaseSeconds: 60 })
      const subs = [
        right(await app.createSubscription(subscription('Teams Premium', defaultProviderIds.partnerCenter, 1))).subscriptionId,
        right(await app.createSubscription(subscription('Power BI Pro', defaultProviderIds.partnerCenter, 2))).subscriptionId,
      ]
      for (const s of steps) {
        switch (s.type) {
          case 'change': {
            const result = await app.changeQuantity({ subscriptionId: subs[s.target], quantity: s.quantity })
            if (E.isLeft(result)) expect(result.left._tag).toBe('QuantityUnchanged')
            break
          }
          case 'answer': gateway.queue(s.result); break
          case 'atProvider': gateway.changeAtProvider(String(subs[s.target]), s.quantity, { changedBy: 'admin@customer.example' }); break
          case 'sync': await app.syncNow(); break
          case 'advance': clock.advanceHours(s.minutes / 60); break
          case 'process': await app.process(); break
          case 'requeue': {
            const failed = (await app.licenseChangeLog()).filter((row) => row.status === 'Failed Provisioning' && row.supersededBy === null)
            const row = failed[s.pick % Math.max(failed.length, 1)]
            if (row !== undefined) right(await app.requeue({ licenseChangeId: row.licenseChangeId, by: 'Dana', reason: 'again' }))
            break
          }
        }
      }
      const log = await app.licenseChangeLog()
      for (const row of await app.subscriptions()) {
        expect(log.filter((change) => change.subscriptionId === row.subscriptionId).reduce((sum, change) => sum + change.delta, 0)).toBe(row.quantity)
      }
      const events = await allEvents(app)
      checkSends(events, sends)
      for (const event of events) seen.set(event.type, (seen.get(event.type) ?? 0) + 1)
      seen.set('sends', (seen.get('sends') ?? 0) + sends.length)
      const report = await app.audit()
      expect(report.violations).toEqual([])
      expect(report.digest).toBe(await app.digest())
    }), { numRuns: 60 })
    expect(runs).toBeGreaterThanOrEqual(60)
    // Not vacuous: the runs send, retry on a schedule, hold changes back, re-queue and supersede.
    for (const what of ['sends', 'ProvisioningAttemptScheduled', 'ProvisioningHeldBack', 'ProvisioningRequeued', 'LicenseChangeSuperseded', 'ProvisioningAccepted']) {
      expect({ what, seen: (seen.get(what) ?? 0) > 0 }).toEqual({ what, seen: true })
    }
  })
})
