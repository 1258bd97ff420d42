import * as E from 'fp-ts/Either'
import { EventStore, NewEvent, ReadAllOptions, StoredEvent } from '../../src/store/port'
import { Storage } from '../../src/store/storage'

let counter = 0

/** A new event with a fresh id unless one is given. */
export const newEvent = (overrides: Partial<NewEvent> = {}): NewEvent => {
  counter += 1
  return {
    eventId: `event-${counter}-${Math.random().toString(36).slice(2)}`,
    type: 'SomethingHappened',
    data: { n: counter },
    metadata: { occurredAt: '2024-05-01T10:00:00.000Z', actor: 'alice', correlationId: 'c-1', causationId: null },
    ...overrides,
  }
}

/** Every batch of a full read, in order. */
export const collectBatches = async (store: EventStore, options: ReadAllOptions)
: Promise<ReadonlyArray<ReadonlyArray<StoredEvent>>> => {
  const batches: Array<ReadonlyArray<StoredEvent>> = []
  for await (const batch of store.readAll(options)) batches.push(batch)
  return batches
}

/** Every event of a full read, in order. */
export const collectAll = async (store: EventStore, options: ReadAllOptions = { after: 0 })
: Promise<ReadonlyArray<StoredEvent>> => (await collectBatches(store, options)).flat()

const appendMany = async (store: EventStore, streamId: string, count: number): Promise<void> => {
  for (let i = 0; i < count; i += 1) {
    const result = await store.append(streamId, i === 0 ? 'no_stream' : i - 1, [newEvent()])
    expect(E.isRight(result)).toBe(true)
  }
}

/** The contract every Storage adapter must meet. */
export const storeContract = (name: string, open: () => Storage | Promise<Storage>): void => describe(`${name} store contract`, () => {
  let storage: Storage
  let events: EventStore
  beforeEach(async () => {
    storage = await open()
    events = storage.events
  })
  afterEach(async () => { await storage.close() })

  describe('appends', () => {
    it('appends to a new stream from revision 0 and position 1', async () => {
      const event = newEvent({ type: 'Created', data: { a: 1 } })
      expect(await events.append('s-1', 'no_stream', [event])).toEqual(E.right({ nextExpectedRevision: 0, position: 1 }))
      expect(await events.readStream('s-1')).toEqual([{ ...event, streamId: 's-1', revision: 0, position: 1 }])
      expect(await events.lastPosition()).toBe(1)
    })

    it('starts empty: no events, last position 0, missing stream is empty', async () => {
      expect(await events.lastPosition()).toBe(0)
      expect(await events.readStream('nowhere')).toEqual([])
      expect(await collectAll(events)).toEqual([])
    })

    it('refuses a stale expected revision and writes nothing', async () => {
      await appendMany(events, 's', 2)
      const result = await events.append('s', 0, [newEvent()])
      expect(result).toEqual(E.left({ _tag: 'WrongExpectedRevision', streamId: 's', expected: 0, actual: 1 }))
      expect(await events.readStream('s')).toHaveLength(2)
      expect(await events.lastPosition()).toBe(2)
    })

    it('refuses no_stream on an existing stream and a revision on a missing one', async () => {
      await appendMany(events, 's', 1)
      expect(await events.append('s', 'no_stream', [newEvent()]))
        .toEqual(E.left({ _tag: 'WrongExpectedRevision', streamId: 's', expected: 'no_stream', actual: 0 }))
      expect(await events.append('t', 0, [newEvent()]))
        .toEqual(E.left({ _tag: 'WrongExpectedRevision', streamId: 't', expected: 0, actual: 'no_stream' }))
      expect(await events.lastPosition()).toBe(1)
    })

    it('lets exactly one of two racing appends for the same revision win', async () => {
      await appendMany(events, 's', 1)
      const results = await Promise.all([events.append('s', 0, [newEvent()]), events.append('s', 0, [newEvent()])])
      expect(results.filter(E.isRight)).toHaveLength(1)
      expect(results.filter(E.isLeft).map((r) => r.left._tag)).toEqual(['WrongExpectedRevision'])
      expect(await events.readStream('s')).toHaveLength(2)
    })

    it('numbers revisions densely from 0, across appends of several events', async () => {
      await events.append('s', 'no_stream', [newEvent(), newEvent()])
      const result = await events.append('s', 1, [newEvent(), newEvent(), newEvent()])
      expect(result).toEqual(E.right({ nextExpectedRevision: 4, position: 5 }))
      expect((await events.readStream('s')).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4])
    })

    it('reads a stream from a revision on, and nothing past its end', async () => {
      await events.append('s', 'no_stream', [newEvent(), newEvent(), newEvent()])
      await events.append('other', 'no_stream', [newEvent()])
      expect((await events.readStream('s', { fromRevision: 1 })).map((e) => e.revision)).toEqual([1, 2])
      expect(await events.readStream('s', { fromRevision: 3 })).toEqual([])
      expect(await events.readStream('nowhere', { fromRevision: 2 })).toEqual([])
      await expect(events.readStream('s', { fromRevision: -1 })).rejects.toThrow('fromRevision')
    })

    it('answers an empty append with the current state and writes nothing', async () => {
      expect(await events.append('s', 'no_stream', [])).toEqual(E.right({ nextExpectedRevision: -1, position: 0 }))
      await appendMany(events, 's', 2)
      await appendMany(events, 't', 1)
      expect(await events.append('s', 1, [])).toEqual(E.right({ nextExpectedRevision: 1, position: 3 }))
      expect(await events.lastPosition()).toBe(3)
    })

    it('keeps global order across streams in append order', async () => {
      const order = ['a', 'b', 'a', 'c', 'b']
      const revisions = new Map<string, number>()
      for (const streamId of order) {
        const revision = revisions.get(streamId)
        await events.append(streamId, revision ?? 'no_stream', [newEvent({ data: { streamId } })])
        revisions.set(streamId, (revision ?? -1) + 1)
      }
      const all = await collectAll(events)
      expect(all.map((e) => e.streamId)).toEqual(order)
      expect(all.map((e) => e.position)).toEqual([1, 2, 3, 4, 5])
      expect((await events.readStream('a')).map((e) => e.position)).toEqual([1, 3])
    })
  })

  describe('idempotency and duplicate ids', () => {
    it('writes an idempotent retry of the same ids once and answers where they stand', async () => {
      await appendMany(events, 's', 1)
      const batch = [newEvent(), newEvent()]
      const first = await events.append('s', 0, batch)
      expect(first).toEqual(E.right({ nextExpectedRevision: 2, position: 3 }))
      await appendMany(events, 'other', 1)
      expect(await events.append('s', 0, batch)).toEqual(first)
      expect(await events.append('s', 'no_stream', batch)).toEqual(first)
      expect(await events.readStream('s')).toHaveLength(3)
      expect(await events.lastPosition()).toBe(4)
    })

    it('refuses an id that stands in another stream and writes nothing', async () => {
      const taken = newEvent()
      await events.append('a', 'no_stream', [taken])
      const fresh = newEvent()
      expect(await events.append('b', 'no_stream', [fresh, taken]))
        .toEqual(E.left({ _tag: 'DuplicateEventId', streamId: 'b', eventId: taken.eventId }))
      expect(await events.readStream('b')).toEqual([])
      expect(await events.lastPosition()).toBe(1)
    })

    it('refuses a partial retry, where only some ids stand, and writes nothing', async () => {
      const old = newEvent()
      await events.append('s', 'no_stream', [old])
      expect(await events.append('s', 0, [old, newEvent()]))
        .toEqual(E.left({ _tag: 'DuplicateEventId', streamId: 's', eventId: old.eventId }))
      expect(await events.lastPosition()).toBe(1)
    })

    it('refuses the same id twice in one append', async () => {
      const twice = newEvent()
      expect(await events.append('s', 'no_stream', [twice, newEvent(), { ...twice, type: 'Other' }]))
        .toEqual(E.left({ _tag: 'DuplicateEventId', streamId: 's', eventId: twice.eventId }))
      expect(await events.lastPosition()).toBe(0)
    })
  })

  describe('reading all', () => {
    it('reads exactly the events after a position across batch boundaries', async () => {
      await appendMany(events, 'a', 5)
      await appendMany(events, 'b', 5)
      for (let after = 0; after <= 10; after += 1) {
        const batches = await collectBatches(events, { after, batchSize: 3 })
        expect(batches.every((batch) => batch.length > 0 && batch.length <= 3)).toBe(true)
        expect(batches.flat().map((e) => e.position)).toEqual(Array.from({ length: 10 - after }, (_, i) => after + i + 1))
      }
    })

    it('stops at the until bound, inclusive', async () => {
      await appendMany(events, 's', 10)
      const read = await collectAll(events, { after: 2, until: 7, batchSize: 3 })
      expect(read.map((e) => e.position)).toEqual([3, 4, 5, 6, 7])
      expect(await collectAll(events, { after: 7, until: 7 })).toEqual([])
    })

    it('reads in batches of the default size when none is given', async () => {
      await appendMany(events, 's', 3)
      expect((await collectBatches(events, { after: 0 })).map((b) => b.length)).toEqual([3])
    })
  })

  describe('round trips', () => {
    it('round-trips a 2 MB event and unicode data', async () => {
      const big = 'x'.repeat(2 * 1024 * 1024)
      const unicode = { emoji: '🎟️👩‍💻🚀', rtl: 'שלום עולם مرحبا', mixed: 'Zürich — 東京 ☃ \u200f', nested: [{ ' key ü': '𝔘' }] }
      const event = newEvent({ data: { big, unicode } })
      await events.append('s', 'no_stream', [event])
      const [read] = await events.readStream('s')
      expect(read?.data).toEqual({ big, unicode })
      expect((await collectAll(events))[0]?.data).toEqual({ big, unicode })
    })

    it('round-trips metadata, including a causation id', async () => {
      const metadata = { occurredAt: '2024-06-01T00:00:00.000Z', actor: 'système', correlationId: 'corr', causationId: 'cause' }
      await events.append('s', 'no_stream', [newEvent({ metadata })])
      expect((await events.readStream('s'))[0]?.metadata).toEqual(metadata)
    })
  })

  describe('views', () => {
    it('stores the checkpoint with the rows an update writes', () => {
      const { views } = storage
      expect(views.checkpoint('p')).toBe(0)
      views.update('p', (tx, checkpoint) => {
        expect(checkpoint).toBe(0)
        tx.put('v', 'k1', { n: 1 })
        expect(tx.get('v', 'k1')).toEqual({ n: 1 })
        return 5
      })
      expect(views.checkpoint('p')).toBe(5)
      expect(views.get('v', 'k1')).toEqual({ n: 1 })
      views.update('p', (tx, checkpoint) => {
        expect(checkpoint).toBe(5)
        tx.delete('v', 'k1')
        expect(tx.get('v', 'k1')).toBeUndefined()
        return 6
      })
      expect(views.get('v', 'k1')).toBeUndefined()
      expect(views.checkpoint('p')).toBe(6)
    })

    it('leaves rows and checkpoint unchanged when apply throws', () => {
      const { views } = storage
      views.update('p', (tx) => { tx.put('v', 'a', 1); tx.put('v', 'b', 2); return 3 })
      expect(() => views.update('p', (tx) => {
        tx.put('v', 'a', 100)
        tx.delete('v', 'b')
        tx.put('v', 'c', 3)
        throw new Error('boom')
      })).toThrow('boom')
      expect(views.checkpoint('p')).toBe(3)
      expect(views.rows('v')).toEqual([1, 2])
    })

    it('refuses a checkpoint that is not a non-negative integer and keeps the rows', () => {
      const { views } = storage
      expect(() => views.update('p', (tx) => { tx.put('v', 'a', 1); return -1 })).toThrow(RangeError)
      expect(views.rows('v')).toEqual([])
      expect(views.checkpoint('p')).toBe(0)
    })

    it('lists rows in key order', () => {
      const { views } = storage
      views.update('p', (tx) => {
        for (const key of ['b', '😀', 'a', '\uffee', 'c', 'é', 'B', 'aa', '10', '9']) tx.put('v', key, key)
        tx.put('w', '0', 'other view')
        return 1
      })
      // Code point order, as SQLite's BINARY collation: U+FFEE before U+1F600 (unlike UTF-16 order).
      expect(views.rows('v')).toEqual(['10', '9', 'B', 'a', 'aa', 'b', 'c', 'é', '\uffee', '😀'])
      expect(views.rows('missing')).toEqual([])
    })

    it('resets the given views and checkpoints only', () => {
      const { views } = storage
      views.update('p', (tx) => { tx.put('v', 'a', 1); tx.put('w', 'a', 2); return 4 })
      views.update('q', () => 7)
      views.reset(['v'], ['p'])
      expect(views.rows('v')).toEqual([])
      expect(views.checkpoint('p')).toBe(0)
      expect(views.rows('w')).toEqual([2])
      expect(views.checkpoint('q')).toBe(7)
    })
  })
})
