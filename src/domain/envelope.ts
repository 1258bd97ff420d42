import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { DomainEvent, eventCodecs } from './events'
import { asIs, CompiledValidator, compileValidator, refused } from './compiledCodec'
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

/** Each event type's codec with its validator, generated once from `eventCodecs`. */
const validators: ReadonlyMap<string, { readonly codec: t.Mixed; readonly validate: CompiledValidator }> = new Map(
  Object.entries(eventCodecs).map(([type, codec]) => [type, { codec, validate: compileValidator(codec) }] as const),
)
const validateMetadata = compileValidator(EventMetadata)

/**
 * Validate a value: its generated validator first, which allocates nothing (a replay spends much
 * of its time here), and the codec's decode only when the validator refuses (for its messages) or
 * says the value holds fields the codec does not know (decode drops them).
 */
const checked = <C extends t.Mixed>(codec: C, validate: CompiledValidator, value: unknown): t.Validation<t.TypeOf<C>> =>
  validate(value) === asIs ? E.right(value) : codec.decode(value)

/** The metadata fields an event carries, without what else the store keeps beside them (the schema version). */
const metadataOf = (value: unknown): t.Validation<EventMetadata> => {
  if (validateMetadata(value) === refused) return EventMetadata.decode(value)
  const { occurredAt, actor, correlationId, causationId } = value as EventMetadata
  return E.right({ occurredAt, actor, correlationId, causationId })
}

/** Whether an envelope's time is an ISO-8601 instant; events of one command share it, so the last one checked is remembered. */
const isInstant = (() => {
  let lastInstant = ''
  return (text: string): boolean => {
    if (text === lastInstant) return true
    const ok = isoInstant.test(text) && !Number.isNaN(Date.parse(text))
    if (ok) lastInstant = text
    return ok
  }
})()

/** The event's data at the current schema version: as stored when stored at it (no upcaster to run). */
const currentData = (raw: RawEvent, registry: SchemaRegistry): E.Either<string, unknown> => {
  const version = storedVersionOf(raw.metadata)
  if (E.isLeft(version)) return version
  return version.right === registry.currentVersion(raw.type) ? E.right(raw.data) : upcast(registry, raw.type, version.right, raw.data)
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
  const known = validators.get(raw.type)
  if (known === undefined) return fail(`unknown event type "${raw.type}"`)
  const data = currentData(raw, registry)
  if (E.isLeft(data)) return fail(data.left)
  const event = checked(known.codec, known.validate, { type: raw.type, data: data.right })
  if (E.isLeft(event)) return fail(formatErrors(event.left).join('; '))
  const metadata = metadataOf(raw.metadata)
  if (E.isLeft(metadata)) return fail(`metadata ${formatErrors(metadata.left).join('; ')}`)
  if (!isInstant(metadata.right.occurredAt)) {
    return fail(`metadata occurredAt: expected an ISO-8601 instant, got ${JSON.stringify(metadata.right.occurredAt)}`)
  }
  const domainEvent = event.right as DomainEvent
  return E.right({
    type: domainEvent.type, data: domainEvent.data, eventId: raw.eventId, streamId: raw.streamId, revision: raw.revision,
    position: raw.position, metadata: metadata.right,
  } as Recorded)
}

/** Like decodeRecorded, but throws UndecodableEventError: for reads that cannot go on past a broken event. */
export const decodeOrThrow = (raw: RawEvent): Recorded => {
  const decoded = decodeRecorded(raw)
  if (E.isLeft(decoded)) throw new UndecodableEventError(decoded.left)
  return decoded.right
}
