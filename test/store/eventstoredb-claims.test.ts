import { createHash } from 'node:crypto'
import { openEventStoreDbStorage } from '../../src/store/eventstoredb'
import { claimStreamMaxCount } from '../../src/store/eventstoredb/claims'
import { StoredEvent } from '../../src/store/port'
import { Storage } from '../../src/store/storage'
import { startStandIn, StandIn } from '../support/eventstoredb/server'
import { collectAll, newEvent } from './contract'

const streamOf = (key: string, namespace = ''): string => `${namespace}seatflow-claim-${createHash('sha256').update(key).digest('hex')}`

describe.each([true, false])('claims in EventStoreDB (stand-in, BatchAppend %s)', (batchAppend) => {
  let standIn: StandIn
  const storages: Storage[] = []
  const open = (namespace = ''): Storage => {
    const storage = openEventStoreDbStorage(`${standIn.url}&views=memory${namespace === '' ? '' : `&namespace=${namespace}`}`)
    storages.push(storage)
    return storage
  }
  beforeEach(async () => { standIn = await startStandIn({ batchAppend, systemEventEvery: 2 }) })
  afterEach(async () => {
    await Promise.all(storages.splice(0).map((storage) => storage.close()))
    await standIn.stop()
  })

  it('of many claims of one key at once from two client connections, exactly one wins', async () => {
    const [first, second] = [open(), open()]
    for (const key of ['mail:1', 'mail:2', 'gateway:3']) {
      const claims = Array.from({ length: 24 }, (_, n) => (n % 2 === 0 ? first : second).claims.claim(key, `owner-${n}`, 1_000, 60_000))
      const won = await Promise.all(claims)
      expect(won.filter((taken) => taken)).toHaveLength(1)
      expect(await second.claims.holder(key)).toBe(`owner-${won.indexOf(true)}`)
      expect(await first.claims.holder(key)).toBe(`owner-${won.indexOf(true)}`)
    }
  })

  it('a claim taken through one connection is seen, refused, released and retaken through the other', async () => {
    const [first, second] = [open(), open()]
    expect(await first.claims.claim('mail:1', 'a', 1_000, 500)).toBe(true)
    expect(await second.claims.claim('mail:1', 'b', 1_100, 500)).toBe(false)
    await second.claims.release('mail:1', 'b')
    expect(await first.claims.holder('mail:1')).toBe('a')
    await first.claims.release('mail:1', 'a')
    expect(await second.claims.claim('mail:1', 'b', 1_100, 500)).toBe(true)
    expect(await first.claims.claim('mail:1', 'a', 1_700, 500)).toBe(true)
  })

  it('keeps the key in the event, limits the stream with $maxCount, and keeps namespaces apart', async () => {
    const [plain, tenant] = [open(), open('tenant-a/')]
    expect(await plain.claims.claim('mail:1', 'a', 1_000, 500)).toBe(true)
    expect(await tenant.claims.claim('mail:1', 'b', 1_000, 500)).toBe(true)
    const taken = standIn.log.stream(streamOf('mail:1'))?.[0]
    expect(taken?.type).toBe('ClaimTaken')
    expect(JSON.parse(Buffer.from(taken?.data ?? new Uint8Array()).toString())).toEqual({ key: 'mail:1', owner: 'a', until: 1_500 })
    expect(standIn.log.stream(streamOf('mail:1', 'tenant-a/'))).toHaveLength(1)
    const metadata = standIn.log.stream(`$$${streamOf('mail:1')}`)?.[0]
    expect(JSON.parse(Buffer.from(metadata?.data ?? new Uint8Array()).toString())).toMatchObject({ $maxCount: claimStreamMaxCount })
  })

  it('readers of $all never see claims: reads, the last position and subscriptions are those of the events alone', async () => {
    const storage = open()
    const seen: StoredEvent[] = []
    const subscription = storage.events.subscribe({ after: 0, batchSize: 1 }, async (batch) => { seen.push(...batch) })
    for (let n = 0; n < 6; n += 1) {
      expect(await storage.claims.claim(`mail:${n}`, 'a', 1_000, 500)).toBe(true)
      await storage.events.append(`s-${n}`, 'no_stream', [newEvent(), newEvent()])
      await storage.claims.release(`mail:${n}`, 'a')
    }
    expect(await storage.claims.claim('mail:last', 'a', 1_000, 500)).toBe(true)
    const events = await collectAll(storage.events)
    expect(events.map((event) => event.streamId)).toEqual(['s-0', 's-0', 's-1', 's-1', 's-2', 's-2', 's-3', 's-3', 's-4', 's-4', 's-5', 's-5'])
    expect(await storage.events.lastPosition()).toBe(events.at(-1)?.position)
    const lastEvent = events.at(-1)?.position ?? 0
    const claimAt = standIn.log.stream(streamOf('mail:last'))?.[0]?.prepare ?? 0
    expect(claimAt).toBeGreaterThan(lastEvent)
    for (let tries = 0; tries < 100 && seen.length < events.length; tries += 1) await new Promise((resolve) => setTimeout(resolve, 20))
    await subscription.stop()
    expect(seen).toEqual(events)
  })

  it('refuses events in a stream named like a claim stream', async () => {
    await expect(open().events.append('seatflow-claim-x', 'no_stream', [newEvent()])).rejects.toThrow(/hold claims/)
  })
})
