import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { DomainEvent, eventCodecs } from './events'
import { holdsExactly } from './exact'
import { schemaRegistry, SchemaRegistry, storedVersionOf, upcast } from './schema'
import { formatErrors } from './validation'

/** The metadata every stored event carries. */
export const EventMetadata = t.strict({
  occurredAt: t.string,
  actor: t.string,
  correlationId: t.string,
  causationId: t.union([t.null, t.string]),
}, 'EventMetadata')
export type EventMetadata = t.TypeOf<typeof EventMetadata>

/** The metadata as a store keeps it: the event's metadata and the schema version of its data (absent on events stored before versions: 1). */
export type StoredMetadata = EventMetadata & { readonly schemaVersion?: number }

/** Where an event stands in the store. */
export interface EventPlace {
  readonly eventId: string
  readonly streamId: string
  readonly revision: number
  readonly position: number
  readonly metadata: EventMetadata
}

/** A domain event with its envelope, as read back from the store and validated. */
export type Recorded<E extends DomainEvent = DomainEvent> = E & EventPlace

/** A stored event as any store hands it over, not yet validated. */
export interface RawEvent extends Omit<EventPlace, 'metadata'> {
  readonly type: string
  readonly data: unknown
  readonly metadata: unknown
}

/** A stored event that does not decode: where it is, what it claims to be and why it is unreadable. */
export interface UndecodableEvent {
  readonly _tag: 'UndecodableEvent'
  readonly streamId: string
  readonly revision: number
  readonly position: number
  readonly eventType: string
  readonly reason: string
}

export const describeUndecodable = (e: UndecodableEvent): string =>
  `stored event ${e.eventType} at stream ${e.streamId} revision ${e.revision} (position ${e.position}) is unreadable: ${e.reason}`

/** Thrown when a read meets an unreadable event: the store is broken, not the user's command. */
export class UndecodableEventError extends Error {
  constructor(readonly detail: UndecodableEvent) {
    super(describeUndecodable(detail))
    this.name = 'UndecodableEventError'
  }
}

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

const codecOf = (type: string): t.Mixed | undefined =>
  Object.prototype.hasOwnProperty.call(eventCodecs, type) ? eventCodecs[type as keyof typeof eventCodecs] : undefined

/**
 * Validate a value: the codec's type guard first, which allocates nothing (a replay spends most of
 * its time here), and the full decode only when the guard refuses (for its error messages) or the
 * value holds fields the codec does not know (decode drops them).
 */
const checked = <C extends t.Mixed>(codec: C, value: unknown): t.Validation<t.TypeOf<C>> =>
  codec.is(value) && holdsExactly(codec, value) ? E.right(value) : codec.decode(value)

/** The metadata fields an event carries, without what else the store keeps beside them (the schema version). */
const metadataOf = (value: unknown): t.Validation<EventMetadata> => {
  if (!EventMetadata.is(value)) return EventMetadata.decode(value)
  const { occurredAt, actor, correlationId, causationId } = value
  return E.right({ occurredAt, actor, correlationId, causationId })
}

/**
 * Validate a stored event against its codec and its envelope. Its data is first brought up from
 * the schema version it was stored at (metadata `schemaVersion`, 1 when absent) to the current one.
 */
export const decodeRecorded = (raw: RawEvent, registry: SchemaRegistry = schemaRegistry): E.Either<UndecodableEvent, Recorded> => {
  const fail = (reason: string): E.Either<UndecodableEvent, Recorded> => E.left({
    _tag: 'UndecodableEvent', streamId: raw.streamId, revision: raw.revision, position: raw.position,
    eventType: raw.type, reason,
  })
  const codec = codecOf(raw.type)
  if (codec === undefined) return fail(`unknown event type "${raw.type}"`)
  const data = E.chain((version: number) => upcast(registry, raw.type, version, raw.data))(storedVersionOf(raw.metadata))
  if (E.isLeft(data)) return fail(data.left)
  const event = checked(codec, { type: raw.type, data: data.right })
  if (E.isLeft(event)) return fail(formatErrors(event.left).join('; '))
  const metadata = metadataOf(raw.metadata)
  if (E.isLeft(metadata)) return fail(`metadata ${formatErrors(metadata.left).join('; ')}`)
  if (!isoInstant.test(metadata.right.occurredAt) || Number.isNaN(Date.parse(metadata.right.occurredAt))) {
    return fail(`metadata occurredAt: expected an ISO-8601 instant, got ${JSON.stringify(metadata.right.occurredAt)}`)
  }
  const domainEvent = event.right as DomainEvent
  return E.right({
    ...domainEvent, eventId: raw.eventId, streamId: raw.streamId, revision: raw.revision,
    position: raw.position, metadata: metadata.right,
  } as Recorded)
}

/** Like decodeRecorded, but throws UndecodableEventError: for reads that cannot go on past a broken event. */
export const decodeOrThrow = (raw: RawEvent): Recorded => {
  const decoded = decodeRecorded(raw)
  if (E.isLeft(decoded)) throw new UndecodableEventError(decoded.left)
  return decoded.right
}
