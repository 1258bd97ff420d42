import { EventData, jsonEvent, JSONType, Position, ResolvedEvent, START } from '@eventstore/db-client'
import { StoredMetadata } from '../../domain/envelope'
import { NewEvent, StoredEvent } from '../port'
import { toJson, UnreadableRowError } from '../rows'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * The global position seatflow gives an EventStoreDB event: its prepare position. Prepare
 * positions are unique per event and grow in $all order for every append made through gRPC,
 * while commit positions may be shared by the events of one append. To read after position p,
 * the adapter asks for $all from {commit: p, prepare: p}: on a node every event at or after p in
 * $all order has a commit position of at least p (a commit never precedes its prepares), so
 * nothing is skipped; what comes back at or before p is dropped by its prepare position, so
 * nothing is seen twice.
 */
export const positionOf = (position: Position | undefined, streamId: string, revision: bigint): number => {
  const prepare = Number(position?.prepare ?? -1n)
  if (position === undefined || !Number.isSafeInteger(prepare) || prepare < 0) {
    throw new Error(`EventStoreDB event ${revision} of stream ${streamId} has no usable position (${String(position?.prepare)})`)
  }
  return prepare
}

/** The start point of a read or subscription after a seatflow position. */
export const startAfter = (after: number): Position | typeof START =>
  after <= 0 ? START : { commit: BigInt(after), prepare: BigInt(after) }

/** An event on its way to EventStoreDB: a JSON event with the envelope as its metadata. */
export const toEventData = (event: NewEvent): EventData => {
  if (!uuid.test(event.eventId)) {
    throw new TypeError(`event id "${event.eventId}" is not a lower-case UUID: EventStoreDB keeps event ids as UUIDs`)
  }
  if (typeof event.data === 'string') {
    throw new TypeError(`data of event ${event.eventId} is a bare JSON string: the EventStoreDB adapter stores objects, arrays, numbers, booleans or null, since a string cannot be told apart from broken JSON on read`)
  }
  toJson(event.data, `data of event ${event.eventId}`)
  return jsonEvent({
    id: event.eventId, type: event.type, data: event.data as JSONType, metadata: event.metadata as unknown as JSONType,
  })
}

/** The prefix (after the namespace) of the streams that hold claims (see claims.ts): not events of the log. */
export const claimStreamPrefix = 'seatflow-claim-'

/** Whether an event is EventStoreDB's own: a system stream or a system event type. */
export const isSystemEvent = (streamId: string, type: string): boolean => streamId.startsWith('$') || type.startsWith('$')

const readableMetadata = (metadata: unknown): metadata is StoredMetadata =>
  typeof metadata === 'object' && metadata !== null && !(metadata instanceof Uint8Array)

/**
 * Read a recorded event back, or undefined when it is not seatflow's (a system event, another
 * namespace, a link, a claim). Throws UnreadableRowError when its data or metadata is not JSON.
 */
export const fromResolved = (resolved: ResolvedEvent, namespace: string): StoredEvent | undefined => {
  const event = resolved.event
  if (event === undefined || isSystemEvent(event.streamId, event.type) || !event.streamId.startsWith(namespace)) return undefined
  if (event.streamId.startsWith(namespace + claimStreamPrefix)) return undefined
  const streamId = event.streamId.slice(namespace.length)
  const position = positionOf(event.position, event.streamId, event.revision)
  const revision = Number(event.revision)
  const unreadable = (reason: string): never => { throw new UnreadableRowError(streamId, revision, position, event.type, reason) }
  if (!event.isJson) return unreadable('it is not a JSON event (content type application/octet-stream)')
  if (typeof event.data === 'string') return unreadable('data is not valid JSON')
  if (!readableMetadata(event.metadata)) return unreadable('metadata is missing or not valid JSON')
  return { eventId: event.id, type: event.type, data: event.data, metadata: event.metadata, streamId, revision, position }
}
