import * as E from 'fp-ts/Either'
import { AppendResult } from '../../src/store/port'
import { appendMany, collectAll, ContractContext, newEvent, positions } from './contract'

const written = (result: E.Either<unknown, AppendResult>): AppendResult => {
  if (E.isLeft(result)) throw new Error(`append refused: ${JSON.stringify(result.left)}`)
  return result.right
}

/** The append part of the contract: revisions, conflicts, ids, sizes. */
export const appendContract = (context: ContractContext): void => {
  const events = () => context.events()

  describe('appends', () => {
    it('appends to a new stream from revision 0, at a position after 0', async () => {
      const event = newEvent({ type: 'Created', data: { a: 1 } })
      const result = written(await events().append('s-1', 'no_stream', [event]))
      expect(result.nextExpectedRevision).toBe(0)
      expect(result.position).toBeGreaterThan(0)
      expect(await events().readStream('s-1')).toEqual([{ ...event, streamId: 's-1', revision: 0, position: result.position }])
      expect(await events().lastPosition()).toBe(result.position)
    })

    it('starts empty: no events, last position 0, missing stream is empty', async () => {
      expect(await events().lastPosition()).toBe(0)
      expect(await events().readStream('nowhere')).toEqual([])
      expect(await collectAll(events())).toEqual([])
    })

    it('refuses a stale expected revision and writes nothing', async () => {
      await appendMany(events(), 's', 2)
      const before = await events().lastPosition()
      const result = await events().append('s', 0, [newEvent()])
      expect(result).toEqual(E.left({ _tag: 'WrongExpectedRevision', streamId: 's', expected: 0, actual: 1 }))
      expect(await events().readStream('s')).toHaveLength(2)
      expect(await events().lastPosition()).toBe(before)
    })

    it('refuses no_stream on an existing stream and a revision on a missing one', async () => {
      await appendMany(events(), 's', 1)
      expect(await events().append('s', 'no_stream', [newEvent()]))
        .toEqual(E.left({ _tag: 'WrongExpectedRevision', streamId: 's', expected: 'no_stream', actual: 0 }))
      expect(await events().append('t', 0, [newEvent()]))
        .toEqual(E.left({ _tag: 'WrongExpectedRevision', streamId: 't', expected: 0, actual: 'no_stream' }))
      expect(await collectAll(events())).toHaveLength(1)
    })

    it('lets exactly one of several racing appends win each revision, and keeps revisions dense', async () => {
      await appendMany(events(), 's', 1)
      for (let revision = 0; revision < 4; revision += 1) {
        const results = await Promise.all(Array.from({ length: 5 }, () => events().append('s', revision, [newEvent()])))
        expect(results.filter(E.isRight)).toHaveLength(1)
        expect(results.filter(E.isLeft).map((r) => r.left)).toEqual(Array.from({ length: 4 }, () =>
          ({ _tag: 'WrongExpectedRevision', streamId: 's', expected: revision, actual: revision + 1 })))
      }
      expect((await events().readStream('s')).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4])
    })

    it('numbers revisions densely from 0, across appends of several events', async () => {
      await events().append('s', 'no_stream', [newEvent(), newEvent()])
      const result = written(await events().append('s', 1, [newEvent(), newEvent(), newEvent()]))
      const stream = await events().readStream('s')
      expect(result).toEqual({ nextExpectedRevision: 4, position: stream[4]?.position })
      expect(stream.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4])
    })

    it('answers an empty append with the current state and writes nothing', async () => {
      expect(await events().append('s', 'no_stream', [])).toEqual(E.right({ nextExpectedRevision: -1, position: 0 }))
      await appendMany(events(), 's', 2)
      await appendMany(events(), 't', 1)
      const last = await events().lastPosition()
      expect(await events().append('s', 1, [])).toEqual(E.right({ nextExpectedRevision: 1, position: last }))
      expect(await collectAll(events())).toHaveLength(3)
    })

    it('keeps global order across streams in append order, positions increasing', async () => {
      const order = ['a', 'b', 'a', 'c', 'b']
      for (const streamId of order) await appendMany(events(), streamId, 1)
      const all = await collectAll(events())
      expect(all.map((e) => e.streamId)).toEqual(order)
      expect([...positions(all)].sort((x, y) => x - y)).toEqual(positions(all))
      expect(new Set(positions(all)).size).toBe(5)
      expect(positions(await events().readStream('a'))).toEqual([all[0]?.position, all[2]?.position])
    })

    it('never lets a reader see a gap that is filled later, while writers race', async () => {
      const snapshots: Array<ReadonlyArray<number>> = []
      let writing = true
      const reader = (async () => { while (writing) snapshots.push(positions(await collectAll(events()))) })()
      await Promise.all(['x', 'y', 'z'].map((streamId) => appendMany(events(), streamId, 8, [1, 2])))
      writing = false
      await reader
      const final = positions(await collectAll(events()))
      expect(final).toHaveLength(3 * 12)
      expect(snapshots.length).toBeGreaterThan(1)
      for (const snapshot of snapshots) expect(snapshot).toEqual(final.slice(0, snapshot.length))
    })
  })

  describe('idempotency and duplicate ids', () => {
    it('writes a retry with the same ids and the same expected revision once, and answers where they stand', async () => {
      await appendMany(events(), 's', 1)
      const batch = [newEvent(), newEvent()]
      const first = written(await events().append('s', 0, batch))
      await appendMany(events(), 'other', 1)
      expect(await events().append('s', 0, batch)).toEqual(E.right(first))
      expect(await events().readStream('s')).toHaveLength(3)
      expect(await collectAll(events())).toHaveLength(4)
    })

    it('treats a retry with another expected revision as documented', async () => {
      await appendMany(events(), 's', 1)
      const batch = [newEvent(), newEvent()]
      const first = written(await events().append('s', 0, batch))
      const retry = await events().append('s', 'no_stream', batch)
      if (context.options.duplicateIds === 'port') expect(retry).toEqual(E.right(first))
      else expect(retry).toEqual(E.left({ _tag: 'WrongExpectedRevision', streamId: 's', expected: 'no_stream', actual: 2 }))
      expect(await events().readStream('s')).toHaveLength(3)
    })

    it('treats an id that stands in another stream as documented', async () => {
      const taken = newEvent()
      await events().append('a', 'no_stream', [taken])
      const result = await events().append('b', 'no_stream', [newEvent(), taken])
      if (context.options.duplicateIds === 'port') {
        expect(result).toEqual(E.left({ _tag: 'DuplicateEventId', streamId: 'b', eventId: taken.eventId }))
        expect(await events().readStream('b')).toEqual([])
      } else {
        expect(E.isRight(result)).toBe(true)
        expect((await events().readStream('b'))[1]?.eventId).toBe(taken.eventId)
      }
    })

    it('treats a partial retry at the current revision, where only some ids stand, as documented', async () => {
      const old = newEvent()
      await events().append('s', 'no_stream', [old])
      const result = await events().append('s', 0, [old, newEvent()])
      if (context.options.duplicateIds === 'port') {
        expect(result).toEqual(E.left({ _tag: 'DuplicateEventId', streamId: 's', eventId: old.eventId }))
        expect(await events().readStream('s')).toHaveLength(1)
      } else {
        expect(E.isRight(result)).toBe(true)
        expect((await events().readStream('s')).map((e) => e.eventId)).toEqual([old.eventId, old.eventId, expect.any(String)])
      }
    })

    it('refuses the same id twice in one append and writes nothing', async () => {
      const twice = newEvent()
      expect(await events().append('s', 'no_stream', [twice, newEvent(), { ...twice, type: 'Other' }]))
        .toEqual(E.left({ _tag: 'DuplicateEventId', streamId: 's', eventId: twice.eventId }))
      expect(await collectAll(events())).toEqual([])
    })
  })

  describe('sizes', () => {
    const big = (bytes: number) => newEvent({ data: { big: 'x'.repeat(bytes) } })

    it('round-trips an event over 1 MB, or refuses it with a clear error and writes nothing where the store has a limit', async () => {
      const event = big(2 * 1024 * 1024)
      if (context.options.maxAppendBytes === undefined) {
        await events().append('s', 'no_stream', [event])
        expect((await events().readStream('s'))[0]?.data).toEqual(event.data)
        expect((await collectAll(events()))[0]?.data).toEqual(event.data)
      } else {
        await expect(events().append('s', 'no_stream', [event])).rejects.toThrow(/maximum append size of 1048576 bytes.*nothing was written/)
        expect(await events().readStream('s')).toEqual([])
      }
    })

    it('round-trips the largest event the store takes', async () => {
      const event = big((context.options.maxAppendBytes ?? 1024 * 1024) - 1000)
      await events().append('s', 'no_stream', [event])
      expect((await events().readStream('s'))[0]?.data).toEqual(event.data)
    })
  })
}
