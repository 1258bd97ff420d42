import * as E from 'fp-ts/Either'
import { v4 as uuid } from 'uuid'
import { EventStore, NewEvent, ReadAllOptions, StoredEvent } from '../../src/store/port'
import { Storage } from '../../src/store/storage'
import { appendContract } from './contract-appends'
import { readContract } from './contract-reads'
import { viewContract } from './contract-views'

let counter = 0

/** A new event with a fresh id unless one is given. */
export const newEvent = (overrides: Partial<NewEvent> = {}): NewEvent => {
  counter += 1
  return {
    eventId: uuid(),
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

/** Append `count` events to a stream one by one, from its current revision. */
export const appendMany = async (store: EventStore, streamId: string, count: number, sizes: ReadonlyArray<number> = []): Promise<void> => {
  let revision = (await store.readStream(streamId)).length - 1
  for (let i = 0; i < count; i += 1) {
    const events = Array.from({ length: sizes[i % Math.max(1, sizes.length)] ?? 1 }, () => newEvent())
    const result = await store.append(streamId, revision < 0 ? 'no_stream' : revision, events)
    if (E.isLeft(result)) throw new Error(`append to ${streamId} refused: ${result.left._tag}`)
    revision = result.right.nextExpectedRevision
  }
}

/** The positions of events. */
export const positions = (events: ReadonlyArray<StoredEvent>): ReadonlyArray<number> => events.map((event) => event.position)

/** How a store differs where the port lets it. */
export interface ContractOptions {
  /**
   * What a store does with event ids that already stand: `port` is planAppend's rule (memory, SQLite:
   * ids standing anywhere are refused unless the whole append is a retry of that stream's events);
   * `eventstoredb` is the node's rule (only a retry with the same ids and the same expected revision
   * is recognised; ids are not unique across streams, nor within a stream at its current revision).
   */
  readonly duplicateIds: 'port' | 'eventstoredb'
  /** The most bytes one append may hold, when the store has such a limit (EventStoreDB: 1,048,576). */
  readonly maxAppendBytes?: number
  /** Damage the stored data of one event; absent when the store cannot hold an undecodable event. */
  readonly corrupt?: (storage: Storage, streamId: string, revision: number) => Promise<void>
}

/** What each part of the contract runs on. */
export interface ContractContext {
  readonly storage: () => Storage
  readonly events: () => EventStore
  readonly options: ContractOptions
}

/** The contract every Storage adapter must meet. */
export const storeContract = (name: string, open: () => Storage | Promise<Storage>, options: ContractOptions = { duplicateIds: 'port' }): void =>
  describe(`${name} store contract`, () => {
    let storage: Storage | undefined
    beforeEach(async () => { storage = await open() })
    afterEach(async () => { await storage?.close() })
    const context: ContractContext = {
      storage: () => { if (storage === undefined) throw new Error('no storage open'); return storage },
      events: () => context.storage().events,
      options,
    }
    appendContract(context)
    readContract(context)
    viewContract(context)
  })
