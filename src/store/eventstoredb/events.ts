import {
  BACKWARDS, END, EventStoreDBClient, NO_STREAM, Position, ResolvedEvent, StreamNotFoundError, WrongExpectedVersionError,
} from '@eventstore/db-client'
import * as E from 'fp-ts/Either'
import { AppendError, AppendResult, EventStore, ExpectedRevision, NewEvent, ReadAllOptions, StoredEvent } from '../port'
import { batchSizeOf, fromRevisionOf } from '../checks'
import { wholeRead } from './calls'
import { claimStreamPrefix, fromResolved, startAfter, toEventData } from './codec'
import { failureOf, mapFailure } from './errors'
import { subscribeToAll } from './subscribe'

/** Where the adapter talks to, and the prefix of its streams. */
export interface Connection {
  readonly client: EventStoreDBClient
  readonly address: string
  readonly namespace: string
}

const repeatedId = (events: ReadonlyArray<NewEvent>): string | undefined =>
  events.map((event) => event.eventId).find((id, index, ids) => ids.indexOf(id) !== index)

const actualOf = (actual: unknown): ExpectedRevision => (typeof actual === 'bigint' ? Number(actual) : 'no_stream')

const bytesOf = (events: ReadonlyArray<NewEvent>): number =>
  events.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event.data)) + Buffer.byteLength(JSON.stringify(event.metadata)), 0)

/** The events of a stream from a revision on (all of them by default); a missing stream has none. */
const readStreamFrom = async (connection: Connection, streamId: string, from?: bigint, maxCount?: number): Promise<ReadonlyArray<StoredEvent>> => {
  const read: StoredEvent[] = []
  try {
    const events = wholeRead(() => connection.client.readStream(connection.namespace + streamId, {
      ...(from === undefined ? {} : { fromRevision: from }), ...(maxCount === undefined ? {} : { maxCount }),
    }))
    for await (const resolved of events) {
      const event = fromResolved(resolved, connection.namespace)
      if (event !== undefined) read.push(event)
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) return []
    throw failureOf(error, { address: connection.address, operation: 'read', streamId })
  }
  return read
}

/** Up to 200 events of $all before a position, newest first; a reader may leave early (wholeRead closes the call). */
const backwardsPage = (connection: Connection, from: Position | typeof END) =>
  wholeRead(() => connection.client.readAll({ fromPosition: from, direction: BACKWARDS, maxCount: 200 }))

/** The position of the last seatflow event: read $all backwards, past system events and other namespaces. */
const lastPositionOf = async (connection: Connection): Promise<number> => {
  let from: Position | typeof END = END
  for (;;) {
    let seen = 0
    let last: ResolvedEvent | undefined
    for await (const resolved of backwardsPage(connection, from)) {
      seen += 1
      last = resolved
      const event = fromResolved(resolved, connection.namespace)
      if (event !== undefined) return event.position
    }
    const position = last?.event?.position
    if (seen < 200 || position === undefined) return 0
    from = position
  }
}

/** Every seatflow event after a position in $all order, in batches. */
async function* readAllAfter(connection: Connection, options: ReadAllOptions): AsyncIterable<ReadonlyArray<StoredEvent>> {
  const size = batchSizeOf(options)
  const until = options.until ?? Number.POSITIVE_INFINITY
  // Left at the until bound, or when the reader stops taking batches: wholeRead closes the call.
  const read = wholeRead(() => connection.client.readAll({ fromPosition: startAfter(options.after) }))
  let batch: StoredEvent[] = []
  let last = options.after
  try {
    for await (const resolved of read) {
      const event = fromResolved(resolved, connection.namespace)
      if (event === undefined || event.position <= options.after) continue
      if (event.position > until) break
      if (event.position <= last) throw new Error(`EventStoreDB $all went back from position ${last} to ${event.position}: an explicit transaction interleaved?`)
      last = event.position
      batch.push(event)
      if (batch.length === size) { yield batch; batch = [] }
    }
  } catch (error) {
    throw failureOf(error, { address: connection.address, operation: 'read of $all' })
  }
  if (batch.length > 0) yield batch
}

/** The event store port on an EventStoreDB client. */
export const eventStoreDbEvents = (connection: Connection): EventStore => {
  const { client, address, namespace } = connection
  const lastPosition = () => lastPositionOf(connection).catch((error: unknown) => { throw failureOf(error, { address, operation: 'read of $all' }) })

  const append = async (streamId: string, expected: ExpectedRevision, events: ReadonlyArray<NewEvent>)
  : Promise<E.Either<AppendError, AppendResult>> => {
    if (events.length === 0) {
      const last = (await readStreamFrom(connection, streamId)).at(-1)
      return E.right({ nextExpectedRevision: last?.revision ?? -1, position: await lastPosition() })
    }
    if (streamId.startsWith(claimStreamPrefix)) throw new TypeError(`stream ${streamId}: names starting with ${claimStreamPrefix} hold claims, not events`)
    const repeated = repeatedId(events)
    if (repeated !== undefined) return E.left({ _tag: 'DuplicateEventId', streamId, eventId: repeated })
    const data = events.map(toEventData)
    try {
      const written = await client.appendToStream(namespace + streamId, data, { expectedRevision: expected === 'no_stream' ? NO_STREAM : BigInt(expected) })
      const [last] = await readStreamFrom(connection, streamId, written.nextExpectedRevision, 1)
      return E.right({ nextExpectedRevision: Number(written.nextExpectedRevision), position: last?.position ?? 0 })
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        return E.left({ _tag: 'WrongExpectedRevision', streamId, expected, actual: actualOf(error.actualVersion) })
      }
      throw mapFailure(error, { address, operation: 'append', streamId, bytes: bytesOf(events) })
    }
  }

  return {
    append,
    readStream: async (streamId, options) => readStreamFrom(connection, streamId, BigInt(fromRevisionOf(options))),
    readAll: (options) => readAllAfter(connection, options),
    subscribe: (options, onBatch) => subscribeToAll(connection, options, onBatch),
    lastPosition,
    close: () => client.dispose(),
  }
}
