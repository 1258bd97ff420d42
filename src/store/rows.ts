import { NewEvent, StoredEvent } from './port'

/** Thrown when a stored event cannot be read back: the store is broken, not the caller's request. */
export class UnreadableRowError extends Error {
  constructor(
    readonly streamId: string,
    readonly revision: number,
    readonly position: number,
    readonly eventType: string,
    readonly reason: string,
  ) {
    super(`stored event ${eventType} at stream ${streamId} revision ${revision} (position ${position}) `
      + `is unreadable: ${reason}; restore the store from a backup or repair that row`)
    this.name = 'UnreadableRowError'
  }
}

/** An event as the memory and SQLite adapters keep it: data and metadata as JSON text. */
export interface EventRow {
  readonly position: number
  readonly eventId: string
  readonly streamId: string
  readonly revision: number
  readonly type: string
  readonly data: string
  readonly metadata: string
}

/** A new event with its data and metadata turned into JSON text. */
export type EncodedEvent = Omit<EventRow, 'position' | 'streamId' | 'revision'>

/** JSON text of a value; a value JSON cannot hold (undefined, a function) is a bug and throws. */
export const toJson = (value: unknown, what: string): string => {
  const text: string | undefined = JSON.stringify(value)
  if (text === undefined) throw new TypeError(`${what} is not a JSON value`)
  return text
}

/** Turn a new event into the text the adapters store. */
export const encodeEvent = (event: NewEvent): EncodedEvent => ({
  eventId: event.eventId,
  type: event.type,
  data: toJson(event.data, `data of event ${event.eventId}`),
  metadata: toJson(event.metadata, `metadata of event ${event.eventId}`),
})

const parseField = (row: EventRow, field: 'data' | 'metadata'): unknown => {
  try {
    return JSON.parse(row[field])
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new UnreadableRowError(row.streamId, row.revision, row.position, row.type, `${field} is not valid JSON (${detail})`)
  }
}

/** Read a stored row back into an event; throws UnreadableRowError when its JSON is broken. */
export const decodeRow = (row: EventRow): StoredEvent => ({
  eventId: row.eventId,
  streamId: row.streamId,
  revision: row.revision,
  position: row.position,
  type: row.type,
  data: parseField(row, 'data'),
  // Shape is checked by the domain (decodeRecorded); the store only promises JSON.
  metadata: parseField(row, 'metadata') as StoredEvent['metadata'],
})
