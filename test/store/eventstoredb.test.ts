import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/Either'
import { openEventStoreDbStorage } from '../../src/store/eventstoredb'
import { Storage } from '../../src/store/storage'
import { startStandIn, StandIn } from '../support/eventstoredb/server'
import { collectAll, newEvent, storeContract } from './contract'

const standIns: StandIn[] = []
afterAll(async () => { await Promise.all(standIns.map((standIn) => standIn.stop())) })

/** A fresh stand-in for each storage: a contract test starts from an empty store. */
const onStandIn = (batchAppend: boolean, namespace: string) => async (): Promise<Storage> => {
  const standIn = await startStandIn({ batchAppend, systemEventEvery: 2 })
  standIns.push(standIn)
  const storage = openEventStoreDbStorage(`${standIn.url}&views=memory${namespace === '' ? '' : `&namespace=${namespace}`}`)
  corruptions.set(storage, (streamId, revision) => {
    const record = standIn.log.stream(namespace + streamId)?.[revision]
    if (record === undefined) throw new Error(`no event ${streamId}@${revision} to damage`)
    record.data = Buffer.from('{not json')
  })
  return storage
}
const corruptions = new WeakMap<Storage, (streamId: string, revision: number) => void>()

const standInOptions = {
  duplicateIds: 'eventstoredb', maxAppendBytes: 1_048_576,
  corrupt: async (storage: Storage, streamId: string, revision: number) => corruptions.get(storage)?.(streamId, revision),
} as const

storeContract('eventstoredb stand-in, BatchAppend advertised', onStandIn(true, ''), standInOptions)
storeContract('eventstoredb stand-in, Append only, in a namespace', onStandIn(false, 'tenant-a/'), standInOptions)

const realServer = process.env.EVENTSTOREDB_URL
if (realServer === undefined) {
  // Skipped on purpose: no EventStoreDB server can run on these machines (no Docker, no binary).
  // The placeholder makes the run say so, and how to run the contract against a real server.
  describe('eventstoredb real server', () => {
    it.skip('runs only with EVENTSTOREDB_URL=esdb://host:2113?tls=false (npm run test:eventstoredb)', () => undefined)
  })
} else {
  // Each test gets a namespace of its own, so that earlier runs and other users of the server do not show.
  storeContract(`eventstoredb at ${realServer}`, () => openEventStoreDbStorage(
    `${realServer}${realServer.includes('?') ? '&' : '?'}views=memory&namespace=seatflow-test-${randomUUID()}/`), {
    duplicateIds: 'eventstoredb', maxAppendBytes: 1_048_576,
  })
}

describe('the eventstoredb adapter', () => {
  let standIn: StandIn
  let storage: Storage
  beforeEach(async () => {
    standIn = await startStandIn({ batchAppend: false })
    storage = openEventStoreDbStorage(`${standIn.url}&views=memory&defaultDeadline=300`)
  })
  afterEach(async () => {
    await storage.close()
    await standIn.stop()
  })

  it('says where EventStoreDB is unavailable, on the first append as on reads', async () => {
    const port = standIn.port
    await standIn.stop()
    const closed = openEventStoreDbStorage(`esdb://127.0.0.1:${port}?tls=false&views=memory`)
    try {
      const message = new RegExp(`EventStoreDB unavailable at 127\\.0\\.0\\.1:${port}`)
      await expect(closed.events.append('s', 'no_stream', [newEvent()])).rejects.toThrow(message)
      await expect(closed.events.readStream('s')).rejects.toThrow(message)
      await expect(collectAll(closed.events)).rejects.toThrow(message)
      await expect(closed.events.append('s', 'no_stream', [newEvent()])).rejects.toMatchObject({ cause: expect.anything() })
    } finally {
      await closed.close()
    }
  })

  it('writes once when an append whose answer was lost is retried with the same ids and expected revision', async () => {
    const batch = [newEvent(), newEvent()]
    standIn.behaviour.replyDelayMs = 600
    const lost = await storage.events.append('s', 'no_stream', batch).catch((error: unknown) => error)
    expect(lost).toMatchObject({ message: expect.stringMatching(/EventStoreDB append on stream s failed at 127\.0\.0\.1:\d+: .*deadline/i), cause: expect.anything() })
    standIn.behaviour.replyDelayMs = 0
    const retried = await storage.events.append('s', 'no_stream', batch)
    const stream = await storage.events.readStream('s')
    expect(stream.map((event) => event.eventId)).toEqual(batch.map((event) => event.eventId))
    expect(retried).toEqual(E.right({ nextExpectedRevision: 1, position: stream[1]?.position }))
  })

  it('refuses an event id that is not a UUID and data that is a bare string, and writes nothing', async () => {
    await expect(storage.events.append('s', 'no_stream', [newEvent({ eventId: 'order-1' })])).rejects.toThrow(/not a lower-case UUID/)
    await expect(storage.events.append('s', 'no_stream', [newEvent({ data: 'text' })])).rejects.toThrow(/bare JSON string/)
    expect(standIn.log.stream('s')).toBeUndefined()
  })

  it('keeps system events out of reads, subscriptions and the last position', async () => {
    await storage.events.append('s', 'no_stream', [newEvent()])
    const [mine] = await storage.events.readStream('s')
    standIn.log.writeSystem('$stats-127.0.0.1:2113', '$statsCollected', {})
    expect(await storage.events.lastPosition()).toBe(mine?.position)
    expect(await collectAll(storage.events)).toEqual([mine])
  })
})
