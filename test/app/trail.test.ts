import * as E from 'fp-ts/Either'
import { trail, TrailRow } from '../../src/app/audit/trail'
import { EventStore } from '../../src/store/port'
import { allEvents, buildRichHistory, storeKinds, useSeatflows, storageOf } from '../support/app'

const rowsOf = (result: E.Either<unknown, ReadonlyArray<TrailRow>>): ReadonlyArray<TrailRow> => {
  if (E.isLeft(result)) throw new Error(`no trail: ${JSON.stringify(result.left)}`)
  return result.right
}

/** A store that counts how often the whole log is read. */
const counting = (store: EventStore) => {
  let fullReads = 0
  return {
    store: { ...store, readAll: (options: Parameters<EventStore['readAll']>[0]) => { fullReads += 1; return store.readAll(options) } },
    fullReads: () => fullReads,
  }
}

describe.each(storeKinds)('the trail on the %s store', (kind) => {
  const seatflows = useSeatflows(kind)

  it('of a Manual subscription: who changed it, what followed, in order, from its own streams only', async () => {
    const harness = await seatflows.start()
    const { manualId } = await buildRichHistory(harness)
    const { store, fullReads } = counting(storageOf(harness.app).events)
    const rows = rowsOf(await trail(store, { subscriptionId: manualId }))
    expect(fullReads()).toBe(0)
    expect(rows.map((r) => [r.type, r.actor, r.causedBy?.type ?? null, r.result])).toEqual([
      ['SubscriptionCreated', 'host', null, 'quantity 3'],
      ['LicenseChangeRecorded', 'seatflow', 'SubscriptionCreated', 'Awaiting Provisioning'],
      ['ProvisioningRequested', 'seatflow', null, 'Awaiting Provisioning'], // the outbox records no causation (yet)
      ['SubscriptionQuantityChanged', 'host', null, 'quantity 5'],
      ['LicenseChangeRecorded', 'seatflow', 'SubscriptionQuantityChanged', 'Awaiting Provisioning'],
      ['ProvisioningRequested', 'seatflow', null, 'Awaiting Provisioning'], // the outbox records no causation (yet)
      ...rows.slice(6).map((r) => [r.type, r.actor, r.causedBy?.type ?? null, r.result]),
    ])
    expect(rows.map((r) => r.position)).toEqual([...rows.map((r) => r.position)].sort((a, b) => a - b))
    const provisioned = rows.find((r) => r.type === 'LicenseChangeProvisioned')
    expect(provisioned).toMatchObject({ actor: 'Dana', causedBy: null, result: 'Provisioned' })
    const all = await allEvents(harness.app)
    rows.forEach((r) => {
      const stored = all.find((e) => e.eventId === r.eventId)
      expect(r).toMatchObject({ position: stored?.position, occurredAt: stored?.metadata.occurredAt, streamId: stored?.streamId })
      if (r.causedBy !== null) expect(all.find((e) => e.eventId === r.causedBy?.eventId)?.type).toBe(r.causedBy.type)
    })
  })

  it('of a bundle child names the parent change that caused its own', async () => {
    const harness = await seatflows.start()
    const { manualChildId } = await buildRichHistory(harness)
    const rows = rowsOf(await trail(storageOf(harness.app).events, { subscriptionId: manualChildId }))
    const changed = rows.filter((r) => r.type === 'SubscriptionQuantityChanged')
    expect(changed.length).toBeGreaterThan(0)
    changed.forEach((r) => expect(r.causedBy?.type).toBe('SubscriptionQuantityChanged'))
  })

  it('of one License Change: the quantity change that started it, then every event of it', async () => {
    const harness = await seatflows.start()
    const { failedId } = await buildRichHistory(harness)
    const rows = rowsOf(await trail(storageOf(harness.app).events, { licenseChangeId: failedId }))
    expect(rows.map((r) => [r.type, r.result])).toEqual([
      ['SubscriptionQuantityChanged', 'quantity 12'],
      ['LicenseChangeRecorded', 'Awaiting Provisioning'],
      ['ProvisioningAttemptFailed', 'Awaiting Provisioning'],
      ['ProvisioningAttemptScheduled', 'Awaiting Provisioning'],
      ['ProvisioningAttemptFailed', 'Awaiting Provisioning'],
      ['ProvisioningFailed', 'Failed Provisioning'],
      ['ProvisioningRequeued', 'Awaiting Provisioning'],
      ['LicenseChangeProvisioned', 'Provisioned'],
      ['LicenseChangeInvoiced', 'Provisioned, invoiced by billing-run-1'],
    ])
    expect(rows[6]).toMatchObject({ actor: 'Dana', licenseChangeId: failedId })
  })

  it('finds a cause that none of its streams holds in the log before it', async () => {
    const harness = await seatflows.start()
    const { manualId } = await buildRichHistory(harness)
    const all = await allEvents(harness.app)
    const settingChanged = all.find((e) => e.type === 'SettingChanged')
    const stream = await storageOf(harness.app).events.readStream(`subscription-${manualId}`)
    const last = stream[stream.length - 1]
    if (settingChanged === undefined || last === undefined) throw new Error('the history lacks a setting or the subscription')
    const appended = await storageOf(harness.app).events.append(last.streamId, last.revision, [{
      eventId: '0b5e9d1c-4f7a-4b8e-9a51-3c2d1e0f9a87', type: 'SubscriptionQuantityChanged',
      data: { subscriptionId: manualId, previousQuantity: 5, newQuantity: 5, origin: 'host' },
      metadata: { occurredAt: '2026-01-09T09:00:00.000Z', actor: 'script', correlationId: 'c', causationId: settingChanged.eventId },
    }])
    expect(E.isRight(appended)).toBe(true)
    const { store, fullReads } = counting(storageOf(harness.app).events)
    const rows = rowsOf(await trail(store, { subscriptionId: manualId }))
    expect(rows[rows.length - 1]?.causedBy).toEqual({ eventId: settingChanged.eventId, type: 'SettingChanged' })
    expect(fullReads()).toBe(1)
  })

  it('of an unknown subscription or License Change is a clear refusal', async () => {
    const { app } = await seatflows.start()
    const id = '0b5e9d1c-4f7a-4b8e-9a51-3c2d1e0f9a87'
    expect(await trail(storageOf(app).events, { subscriptionId: id })).toEqual(E.left({ _tag: 'SubscriptionNotFound', subscriptionId: id }))
    expect(await trail(storageOf(app).events, { licenseChangeId: id })).toEqual(E.left({ _tag: 'LicenseChangeNotFound', licenseChangeId: id }))
  })
})
