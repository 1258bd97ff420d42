import { createHash } from 'node:crypto'
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { validate as isUuid } from 'uuid'
import { RawEvent, StoredMetadata } from '../../domain/envelope'
import { storedVersionOf } from '../../domain/schema'
import { formatErrors } from '../../domain/validation'
import { canonicalJson } from '../../projections/digest'
import { StoredEvent } from '../../store/port'

/**
 * One event as a line of an export (NDJSON): its id, stream, revision, type, data as stored,
 * and metadata with its schema version made explicit. `position` says where it stood in the
 * store it came from; an import ignores it (the target numbers its events itself).
 */
export const EventLine = t.intersection([
  t.type({
    id: t.refinement(t.string, (s) => isUuid(s), 'uuid'),
    stream: t.refinement(t.string, (s) => s.length > 0, 'a stream name'),
    revision: t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'a revision (a whole number from 0)'),
    type: t.string,
    data: t.unknown,
    metadata: t.UnknownRecord,
  }),
  t.partial({ position: t.number }),
], 'EventLine')
export type EventLine = t.TypeOf<typeof EventLine>

/** A stored event as a line of an export. */
export const toEventLine = (event: StoredEvent): EventLine => ({
  id: event.eventId, stream: event.streamId, revision: event.revision, position: event.position, type: event.type,
  data: event.data,
  metadata: { ...event.metadata, schemaVersion: E.getOrElse(() => 1)(storedVersionOf(event.metadata)) },
})

/** Read one line of an export: JSON, and the fields every line has. */
export const parseEventLine = (text: string): E.Either<string, EventLine> => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return E.left(`not a JSON object (${error instanceof Error ? error.message : String(error)})`)
  }
  const line = EventLine.decode(value)
  return E.isLeft(line) ? E.left(formatErrors(line.left).join('; ')) : E.right(line.right)
}

/** A line as the domain reads a stored event (to validate it through the codecs and upcasters). */
export const rawOf = (line: EventLine, position: number): RawEvent => ({
  eventId: line.id, streamId: line.stream, revision: line.revision, position, type: line.type, data: line.data,
  metadata: line.metadata,
})

/** The metadata of a line, as a store keeps it. */
export const metadataOf = (line: EventLine): StoredMetadata => line.metadata as unknown as StoredMetadata

/** What makes two lines the same event: everything but the position, canonically. */
export const fingerprintOf = (line: EventLine): string => createHash('sha256')
  .update(canonicalJson({ ...line, position: undefined, metadata: { ...line.metadata, schemaVersion: E.getOrElse(() => 1)(storedVersionOf(line.metadata)) } }))
  .digest('hex')
