import { openEventStoreDbStorage } from '../../src/store/eventstoredb'
import { ReadAllOptions, StoredEvent } from '../../src/store/port'
import { Storage } from '../../src/store/storage'
import { startStandIn, StandIn } from '../support/eventstoredb/server'
import { collectAll, newEvent } from './contract'

/** Close a storage, or say that it hung: an open gRPC call holds the client's dispose. */
const closesWithin = async (storage: Storage, ms: number): Promise<'closed' | 'hung'> => {
  let timer: NodeJS.Timeout | undefined
  const hung = new Promise<'hung'>((resolve) => { timer = setTimeout(() => resolve('hung'), ms) })
  try {
    return await Promise.race([storage.close().then(() => 'closed' as const), hung])
  } finally {
    clearTimeout(timer)
  }
}

// A reader that takes its time: meanwhile the node sends the rest of the read and ends the call,
// and the client holds what the reader has not taken yet. A reader that then left early once kept
// the call's stream open for good (cancelling a call that has ended does nothing), and close()
// waited for it: the hang seen against a stand-in in another process. 44 events (with the node's
// system events): more than the client's read streams take in while the reader waits, few enough
// that the node has sent them all and ended the call by the time the reader is back.
const eventCount = 44
const slowly = async (store: Storage['events'], options: ReadAllOptions): Promise<ReadonlyArray<StoredEvent>> => {
  const read: StoredEvent[] = []
  for await (const batch of store.readAll(options)) {
    read.push(...batch)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return read
}

describe('the eventstoredb adapter leaves no call open when a read ends early', () => {
  let standIn: StandIn
  let storage: Storage
  let positions: ReadonlyArray<number>
  beforeAll(async () => {
    standIn = await startStandIn({ batchAppend: true })
    const writer = openEventStoreDbStorage(`${standIn.url}&views=memory`)
    for (let revision = -1; revision < eventCount - 1; revision += 11) {
      await writer.events.append('long', revision < 0 ? 'no_stream' : revision, Array.from({ length: 11 }, () => newEvent()))
    }
    positions = (await collectAll(writer.events)).map((event) => event.position)
    await writer.close()
  })
  afterAll(async () => { await standIn.stop() })
  beforeEach(() => { storage = openEventStoreDbStorage(`${standIn.url}&views=memory`) })

  it('a read of $all that stops at its until bound', async () => {
    const read = await slowly(storage.events, { after: positions[1] ?? 0, until: positions[12] ?? 0, batchSize: 3 })
    expect(read.map((event) => event.position)).toEqual(positions.slice(2, 13))
    expect(await closesWithin(storage, 3000)).toBe('closed')
  })

  it('a reader that stops taking batches', async () => {
    for await (const batch of storage.events.readAll({ after: 0, batchSize: 5 })) {
      expect(batch).toHaveLength(5)
      await new Promise((resolve) => setTimeout(resolve, 100))
      break
    }
    expect(await closesWithin(storage, 3000)).toBe('closed')
  })

  it('the last position, read backwards and left at the first seatflow event', async () => {
    expect(await storage.events.lastPosition()).toBe(positions.at(-1))
    expect(await closesWithin(storage, 3000)).toBe('closed')
  })

  it('a read stopped by an event it cannot decode', async () => {
    const damaged = standIn.log.stream('long')?.[20]
    if (damaged === undefined) throw new Error('no event to damage')
    const data = damaged.data
    damaged.data = Buffer.from('{not json')
    try {
      await expect(slowly(storage.events, { after: 0, batchSize: 5 })).rejects.toThrow(/event 20 of stream long|data is not valid JSON/)
      expect(await closesWithin(storage, 3000)).toBe('closed')
    } finally {
      damaged.data = data
    }
  })
})
