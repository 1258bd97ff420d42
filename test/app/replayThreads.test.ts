import * as E from 'fp-ts/Either'
import { replay, replayAndInspectViews, ReplayOptions } from '../../src/app/audit/replay'
import { UndecodableEventError } from '../../src/domain/envelope'
import { defaultProviderIds } from '../../src/domain/ids'
import { openStorage } from '../../src/store/open'
import { EventStore } from '../../src/store/port'
import { buildRichHistory, right, storageOf, storeKinds, subscription, useSeatflows, withoutAtomicAppends } from '../support/app'

/** An audit's replay with the views in numbers and the mismatch report, and the progress it told, threaded or not. */
const auditOf = async (store: EventStore, options: ReplayOptions) => {
  const told: Array<{ readonly events: number; readonly position?: number }> = []
  const audited = await replayAndInspectViews(store, { ...options, batchSize: 25, onProgress: (tick) => told.push(tick) })
  return { ...audited, told }
}

const failureOf = (run: Promise<unknown>): Promise<unknown> => run.then(() => null, (error: unknown) => error)

describe.each(storeKinds)('a replay folded in a worker thread on the %s store', (kind) => {
  const seatflows = useSeatflows(kind)

  it('gives the digest, violations, views in numbers, mismatches and progress of the replay in one thread, on a rich history whole and cut', async () => {
    const harness = await seatflows.start()
    await buildRichHistory(harness)
    const store = storageOf(harness.app).events
    const last = await store.lastPosition()
    for (const until of [undefined, Math.floor(last / 3), last - 7]) {
      const at = until === undefined ? {} : { until }
      const threaded = await auditOf(store, { ...at, worker: true })
      expect(threaded).toEqual(await auditOf(store, { ...at, worker: false }))
      expect(await replay(store, { ...at, worker: true })).toEqual(threaded.report)
    }
    expect((await auditOf(store, { worker: true })).report.digest).toBe(await harness.app.digest())
  })

  it('finds the same violations and mismatches in a log that does not add up', async () => {
    const { app } = await seatflows.start({ autoProcess: false, store: withoutAtomicAppends(openStorage(seatflows.freshUrl())) })
    right(await app.createSubscription(subscription('Visio', defaultProviderIds.manual, 3)))
    const threaded = await auditOf(storageOf(app).events, { worker: true })
    expect(threaded.report.violations).not.toEqual([])
    expect(threaded.inspected.mismatches).not.toEqual([])
    expect(threaded).toEqual(await auditOf(storageOf(app).events, { worker: false }))
  })

  it('refuses an unreadable event as the replay in one thread does, naming its stream, revision, position, type and reason', async () => {
    const harness = await seatflows.start()
    const { manualId } = await buildRichHistory(harness)
    const store = storageOf(harness.app).events
    const streamId = `subscription-${manualId}`
    const stream = await store.readStream(streamId)
    const last = stream[stream.length - 1]
    if (last === undefined) throw new Error('empty stream')
    const appended = await store.append(streamId, last.revision, [{
      eventId: '0b5e9d1c-4f7a-4b8e-9a51-3c2d1e0f9a87', type: 'SubscriptionQuantityChanged',
      data: { subscriptionId: manualId, quantity: 'five' },
      metadata: { occurredAt: '2026-01-09T09:00:00.000Z', actor: 'intruder', correlationId: 'c-1', causationId: null },
    }])
    if (E.isLeft(appended)) throw new Error(appended.left._tag)

    const threaded = await failureOf(replay(store, { worker: true, batchSize: 10 }))
    expect(threaded).toBeInstanceOf(UndecodableEventError)
    expect((threaded as UndecodableEventError).detail).toMatchObject({
      _tag: 'UndecodableEvent', streamId, revision: last.revision + 1, position: appended.right.position, eventType: 'SubscriptionQuantityChanged',
    })
    expect((threaded as UndecodableEventError).detail.reason).toContain('previousQuantity')
    const single = await failureOf(replay(store, { worker: false, batchSize: 10 }))
    expect((threaded as UndecodableEventError).detail).toEqual((single as UndecodableEventError).detail)
    expect((threaded as Error).message).toBe((single as Error).message)
    expect(await failureOf(replayAndInspectViews(store, { worker: true }))).toEqual(single)
  })
})
