import Database from 'better-sqlite3'
import * as E from 'fp-ts/Either'
import { UndecodableEventError } from '../../src/domain/envelope'
import { eventCodecs } from '../../src/domain/events'
import { allEvents, buildRichHistory, storeKinds, useSeatflows, storageOf } from '../support/app'

describe.each(storeKinds)('replay and audit on the %s store', (kind) => {
  const seatflows = useSeatflows(kind)

  it('audits a rich history with no violations, and the replay digest equals the live digest every time', async () => {
    const harness = await seatflows.start()
    const { app, clock, mailer, gateway, url } = harness
    await buildRichHistory(harness)
    const position = await storageOf(app).events.lastPosition()
    const types = new Set((await allEvents(app)).map((event) => event.type))
    expect([...types].sort()).toEqual(Object.keys(eventCodecs).sort())

    const live = await app.digest()
    expect(live).toMatch(/^[0-9a-f]{64}$/)
    const first = await app.audit()
    expect(first).toEqual({ events: position, position, digest: live, violations: [] })
    const second = await app.audit()
    expect(second).toEqual(first)
    expect(await app.digest()).toBe(live)
    expect(await storageOf(app).events.lastPosition()).toBe(position)

    if (kind === 'sqlite') {
      await app.close()
      const reopened = await seatflows.open({ store: url, clock, mailer, gateways: { 'Partner Center': gateway } })
      expect(await storageOf(reopened).events.lastPosition()).toBe(position)
      expect(await reopened.digest()).toBe(live)
      expect(await reopened.audit()).toEqual(first)
    }
  })

  it('replays the log only up to a position when asked', async () => {
    const harness = await seatflows.start()
    await buildRichHistory(harness)
    const partial = await harness.app.audit({ until: 3 })
    expect(partial).toMatchObject({ events: 3, position: 3 })
    expect(partial.digest).not.toBe(await harness.app.digest())
  })

  it('stops the audit at a stored event of the wrong shape, naming its stream, revision, position and type', async () => {
    const harness = await seatflows.start()
    const { app } = harness
    const { manualId } = await buildRichHistory(harness)
    const streamId = `subscription-${manualId}`
    const stream = await storageOf(app).events.readStream(streamId)
    let target: { readonly revision: number; readonly position: number }
    if (kind === 'sqlite') {
      const changed = stream.find((event) => event.type === 'SubscriptionQuantityChanged')
      if (changed === undefined) throw new Error('the history has no quantity change of the manual subscription')
      const raw = new Database(seatflows.fileOf(harness.url))
      const updated = raw.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify({ subscriptionId: manualId, quantity: 'five' }), changed.position)
      raw.close()
      expect(updated.changes).toBe(1)
      target = changed
    } else {
      const last = stream[stream.length - 1]
      if (last === undefined) throw new Error('empty stream')
      const appended = await storageOf(app).events.append(streamId, last.revision, [{
        eventId: '0b5e9d1c-4f7a-4b8e-9a51-3c2d1e0f9a87', type: 'SubscriptionQuantityChanged',
        data: { subscriptionId: manualId, quantity: 'five' },
        metadata: { occurredAt: '2026-01-09T09:00:00.000Z', actor: 'intruder', correlationId: 'c-1', causationId: null },
      }])
      if (E.isLeft(appended)) throw new Error(appended.left._tag)
      target = { revision: last.revision + 1, position: appended.right.position }
    }

    const failure = await app.audit().then(() => null, (error: unknown) => error)
    expect(failure).toBeInstanceOf(UndecodableEventError)
    const detail = (failure as UndecodableEventError).detail
    expect(detail).toMatchObject({ _tag: 'UndecodableEvent', streamId, revision: target.revision, position: target.position, eventType: 'SubscriptionQuantityChanged' })
    expect(detail.reason).toContain('previousQuantity')
    expect((failure as Error).message).toContain(`stored event SubscriptionQuantityChanged at stream ${streamId} revision ${target.revision} (position ${target.position}) is unreadable:`)
  })
})
