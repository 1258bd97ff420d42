import { StoredEvent } from '../../src/store/port'
import { appendMany, collectAll, collectBatches, ContractContext, newEvent, positions } from './contract'

/** Events appended one by one and several at a time (which share a commit position on EventStoreDB), across streams. */
const mixedLog = async (context: ContractContext): Promise<ReadonlyArray<number>> => {
  await appendMany(context.events(), 'a', 3, [1, 3, 2])
  await appendMany(context.events(), 'b', 2, [2, 1])
  await appendMany(context.events(), 'a', 1, [1])
  return positions(await collectAll(context.events()))
}

const waitFor = async (check: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10))
  if (!check()) throw new Error(`timed out waiting for ${what}`)
}

/** The read and subscription part of the contract. */
export const readContract = (context: ContractContext): void => {
  const events = () => context.events()

  describe('reading a stream', () => {
    it('reads from a revision on, and nothing past its end', async () => {
      await events().append('s', 'no_stream', [newEvent(), newEvent(), newEvent()])
      await events().append('other', 'no_stream', [newEvent()])
      expect((await events().readStream('s', { fromRevision: 1 })).map((e) => e.revision)).toEqual([1, 2])
      expect(await events().readStream('s', { fromRevision: 3 })).toEqual([])
      expect(await events().readStream('nowhere', { fromRevision: 2 })).toEqual([])
      await expect(events().readStream('s', { fromRevision: -1 })).rejects.toThrow('fromRevision')
    })
  })

  describe('reading all', () => {
    it('reads exactly the events after any event\'s position, across batch boundaries', async () => {
      const all = await mixedLog(context)
      expect(all).toHaveLength(10)
      for (const [index, after] of [0, ...all].entries()) {
        const batches = await collectBatches(events(), { after, batchSize: 3 })
        expect(batches.every((batch) => batch.length > 0 && batch.length <= 3)).toBe(true)
        expect(positions(batches.flat())).toEqual(all.slice(index))
      }
    })

    it('stops at the until bound, inclusive', async () => {
      await appendMany(events(), 's', 10)
      const all = positions(await collectAll(events()))
      const read = await collectAll(events(), { after: all[1] ?? 0, until: all[6] ?? 0, batchSize: 3 })
      expect(positions(read)).toEqual(all.slice(2, 7))
      expect(await collectAll(events(), { after: all[6] ?? 0, until: all[6] ?? 0 })).toEqual([])
    })

    it('reads in batches of the default size when none is given', async () => {
      await appendMany(events(), 's', 3)
      expect((await collectBatches(events(), { after: 0 })).map((b) => b.length)).toEqual([3])
    })
  })

  describe('round trips', () => {
    it('round-trips unicode data, stream names and types', async () => {
      const unicode = { emoji: '🎟️👩‍💻🚀', rtl: 'שלום עולם مرحبا', mixed: 'Zürich — 東京 ☃ \u200f', nested: [{ ' key ü': '𝔘' }] }
      const event = newEvent({ type: 'Geändert✓', data: { unicode } })
      await events().append('abo-Zürich-東京', 'no_stream', [event])
      const [read] = await events().readStream('abo-Zürich-東京')
      expect(read).toMatchObject({ type: 'Geändert✓', data: { unicode }, streamId: 'abo-Zürich-東京' })
      expect((await collectAll(events()))[0]).toEqual(read)
    })

    it('round-trips metadata, including a causation id', async () => {
      const metadata = { occurredAt: '2024-06-01T00:00:00.000Z', actor: 'système', correlationId: 'corr', causationId: 'cause' }
      await events().append('s', 'no_stream', [newEvent({ metadata })])
      expect((await events().readStream('s'))[0]?.metadata).toEqual(metadata)
    })

    it('stops reads at an undecodable stored event, naming its stream, revision and type', async () => {
      const corrupt = context.options.corrupt
      if (corrupt === undefined) return // this store writes only JSON it made itself and cannot hold such an event
      await appendMany(events(), 'good', 1)
      await events().append('broken', 'no_stream', [newEvent(), newEvent({ type: 'Broken' })])
      await corrupt(context.storage(), 'broken', 1)
      const failure = await collectAll(events()).catch((error: unknown) => error)
      expect(failure).toMatchObject({ name: 'UnreadableRowError', streamId: 'broken', revision: 1, eventType: 'Broken' })
      expect((failure as Error).message).toMatch(/Broken at stream broken revision 1 \(position \d+\)/)
      await expect(events().readStream('broken')).rejects.toMatchObject({ name: 'UnreadableRowError', revision: 1 })
    })
  })

  describe('subscriptions', () => {
    it('delivers the events after a position, then new ones as they are appended, each once and in order', async () => {
      const all = await mixedLog(context)
      for (const [index, after] of [0, all[3] ?? 0, all[8] ?? 0].entries()) {
        const seen: StoredEvent[] = []
        const subscription = events().subscribe({ after, batchSize: 4 }, async (batch) => { seen.push(...batch) })
        await waitFor(() => seen.length >= all.filter((position) => position > after).length, 'the catch-up')
        await appendMany(events(), `live-${index}`, 2, [1, 2])
        const now = positions(await collectAll(events())).filter((position) => position > after)
        await waitFor(() => seen.length >= now.length, 'the live events')
        await subscription.stop()
        expect(positions(seen)).toEqual(now)
      }
    })

    it('resumes exactly after the last handled event when started again from its position', async () => {
      await appendMany(events(), 's', 4, [1, 3])
      let handled: StoredEvent[] = []
      const first = events().subscribe({ after: 0, batchSize: 2 }, async (batch) => { handled.push(...batch) })
      await waitFor(() => handled.length >= 8, 'the first run')
      await first.stop()
      await first.done
      const resumeAfter = handled[4]?.position ?? 0
      handled = []
      const second = events().subscribe({ after: resumeAfter }, async (batch) => { handled.push(...batch) })
      await appendMany(events(), 's', 1)
      await waitFor(() => handled.length >= 4, 'the second run')
      await second.stop()
      expect(positions(handled)).toEqual(positions(await collectAll(events(), { after: resumeAfter })))
    })

    it('ends with the handler\'s failure, and delivers nothing after it', async () => {
      await appendMany(events(), 's', 3)
      let calls = 0
      const subscription = events().subscribe({ after: 0, batchSize: 1 }, async () => { calls += 1; throw new Error('view is broken') })
      await expect(subscription.done).rejects.toThrow('view is broken')
      await appendMany(events(), 's', 1)
      await new Promise((resolve) => setTimeout(resolve, 150))
      expect(calls).toBe(1)
      await subscription.stop()
    })
  })
}
