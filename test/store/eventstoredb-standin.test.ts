import {
  BACKWARDS, END, EventStoreDBClient, excludeSystemEvents, jsonEvent, MaxAppendSizeExceededError, NO_STREAM, ResolvedEvent,
  START, StreamNotFoundError, WrongExpectedVersionError,
} from '@eventstore/db-client'
import { v4 as uuid } from 'uuid'
import { startStandIn, StandIn } from '../support/eventstoredb/server'

/** The unmodified client against the stand-in, on both append paths: the stand-in answers as a node does. */
describe.each([true, false])('the EventStoreDB stand-in (BatchAppend advertised: %s)', (batchAppend) => {
  let standIn: StandIn
  let client: EventStoreDBClient
  beforeEach(async () => {
    standIn = await startStandIn({ batchAppend })
    client = EventStoreDBClient.connectionString(standIn.url)
  })
  afterEach(async () => {
    await client.dispose()
    await standIn.stop()
  })

  const event = (data: Record<string, unknown> = { n: 1 }, id = uuid()) => jsonEvent({ id, type: 'Happened', data })

  const collect = async (read: AsyncIterable<ResolvedEvent>) => {
    const found: ResolvedEvent[] = []
    for await (const resolved of read) found.push(resolved)
    return found
  }

  it('appends, reads a stream and says stream not found for a missing one', async () => {
    const result = await client.appendToStream('s', [event({ a: 1 }), event({ a: 2 })], { expectedRevision: NO_STREAM })
    expect(result.nextExpectedRevision).toBe(1n)
    const read = await collect(client.readStream('s'))
    expect(read.map((e) => e.event?.data)).toEqual([{ a: 1 }, { a: 2 }])
    expect(read.map((e) => e.event?.revision)).toEqual([0n, 1n])
    await expect(collect(client.readStream('missing'))).rejects.toBeInstanceOf(StreamNotFoundError)
    expect(standIn.calls).toEqual(batchAppend ? { append: 0, batchAppend: 1 } : { append: 1, batchAppend: 0 })
  })

  it('refuses a wrong expected revision with the client error, actualVersion "no_stream" on a missing stream', async () => {
    await client.appendToStream('s', event(), { expectedRevision: NO_STREAM })
    await expect(client.appendToStream('s', event(), { expectedRevision: NO_STREAM })).rejects.toMatchObject({ actualVersion: 0n })
    const missing = await client.appendToStream('t', event(), { expectedRevision: 3n }).catch((error: unknown) => error)
    expect(missing).toBeInstanceOf(WrongExpectedVersionError)
    expect(missing).toMatchObject({ streamName: 't', actualVersion: 'no_stream', expectedVersion: 3n })
  })

  it('acknowledges a retry with the same ids and expected revision without writing, and refuses it after a stale one', async () => {
    const batch = [event(), event()]
    await client.appendToStream('s', event(), { expectedRevision: NO_STREAM })
    expect((await client.appendToStream('s', batch, { expectedRevision: 0n })).nextExpectedRevision).toBe(2n)
    expect((await client.appendToStream('s', batch, { expectedRevision: 0n })).nextExpectedRevision).toBe(2n)
    await expect(client.appendToStream('s', [batch[0] ?? event(), event()], { expectedRevision: 0n })).rejects.toBeInstanceOf(WrongExpectedVersionError)
    expect(await collect(client.readStream('s'))).toHaveLength(3)
  })

  it('refuses an append over 1,048,576 bytes and writes nothing', async () => {
    const big = event({ big: 'x'.repeat(1_048_576) })
    await expect(client.appendToStream('s', big, { expectedRevision: NO_STREAM })).rejects.toBeInstanceOf(MaxAppendSizeExceededError)
    await expect(collect(client.readStream('s'))).rejects.toBeInstanceOf(StreamNotFoundError)
  })

  it('starts $all with system events, reads it both ways, and shares a commit position inside one append', async () => {
    await client.appendToStream('s', [event(), event(), event()], { expectedRevision: NO_STREAM })
    const all = await collect(client.readAll({ fromPosition: START }))
    expect(all[0]?.event?.streamId.startsWith('$')).toBe(true)
    const mine = all.filter((e) => e.event?.streamId === 's').map((e) => e.event?.position)
    expect(new Set(mine.map((p) => p?.commit)).size).toBe(1)
    expect(new Set(mine.map((p) => p?.prepare)).size).toBe(3)
    const backwards = await collect(client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 2 }))
    expect(backwards.map((e) => e.event?.position?.prepare)).toEqual([mine[2]?.prepare, mine[1]?.prepare])
  })

  it('runs a filtered catch-up subscription: catch-up events, caught up, then live ones', async () => {
    await client.appendToStream('s', event({ n: 1 }), { expectedRevision: NO_STREAM })
    const subscription = client.subscribeToAll({ fromPosition: START, filter: excludeSystemEvents() })
    const caughtUp = new Promise<void>((resolve) => subscription.once('caughtUp', () => resolve()))
    const seen: unknown[] = []
    const done = (async () => { for await (const resolved of subscription) { seen.push(resolved.event?.data); if (seen.length === 2) return } })()
    await caughtUp
    await client.appendToStream('s', event({ n: 2 }), { expectedRevision: 0n })
    await done
    expect(seen).toEqual([{ n: 1 }, { n: 2 }])
    await subscription.unsubscribe()
  })

  it('refuses an append decided after its deadline and writes nothing', async () => {
    const hasty = EventStoreDBClient.connectionString(`${standIn.url}&defaultDeadline=150`)
    try {
      standIn.behaviour.decideDelayMs = 400
      const late = await hasty.appendToStream('s', event(), { expectedRevision: NO_STREAM }).catch((error: unknown) => error)
      expect(late).toMatchObject({ type: 'deadline-exceeded' })
      await new Promise((resolve) => setTimeout(resolve, 400))
      await expect(collect(client.readStream('s'))).rejects.toBeInstanceOf(StreamNotFoundError)
    } finally {
      standIn.behaviour.decideDelayMs = 0
      await hasty.dispose()
    }
  })
})
