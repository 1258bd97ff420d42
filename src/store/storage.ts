import * as E from 'fp-ts/Either'
import {
  AppendError, AppendResult, EventMetadata, EventStore, ExpectedRevision, NewEvent, ReadAllOptions, StoredEvent,
  defaultBatchSize,
} from './port'
import { ViewStore } from './views'

/** An event store and a view store that live together and close together. */
export interface Storage {
  readonly events: EventStore
  readonly views: ViewStore
  /** Release the storage; closing twice is harmless. */
  readonly close: () => Promise<void>
  /** What the storage is and where it lives, for logs and messages. */
  readonly describe: string
  /** True when opened read-only: appends are refused and view writes stay in this process. */
  readonly readOnly?: boolean
}

/**
 * How a storage is opened. `read`: an existing store, read-only (nothing is created, migrated or
 * written). `write`: an existing store. `create`: an existing store, or a new one where there is none.
 */
export type StoreAccess = 'read' | 'write' | 'create'

/** Thrown when a path does not hold a store seatflow may open: what is there, and that it was left as it was. */
export class NotAStoreError extends Error {
  constructor(readonly path: string, message: string) {
    super(message)
    this.name = 'NotAStoreError'
  }
}

/** Thrown by an append to a storage opened read-only. */
export class ReadOnlyStoreError extends Error {
  constructor(readonly where: string) {
    super(`${where} is opened read-only: nothing can be appended to it; open it for writing to record events`)
    this.name = 'ReadOnlyStoreError'
  }
}

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

/** An event as both adapters keep it: data and metadata as JSON text. */
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

/** Turn a new event into the text both adapters store. */
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
  metadata: parseField(row, 'metadata') as EventMetadata,
})

/** The batch size of a read, checked: a positive integer. */
export const batchSizeOf = (options: ReadAllOptions): number => {
  const size = options.batchSize ?? defaultBatchSize
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`batchSize must be a positive integer, got ${size}`)
  return size
}

/** The checkpoint a view update returned, checked: a non-negative integer. */
export const checkpointOf = (name: string, value: unknown): number => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`view update of ${name} must return a non-negative integer checkpoint, got ${String(value)}`)
  }
  return value
}

/** Where an event id already stands. */
export interface EventPlace {
  readonly streamId: string
  readonly revision: number
  readonly position: number
}

/** What an adapter can tell about its current state, inside the append's transaction. */
export interface AppendLookup {
  readonly lastRevision: (streamId: string) => ExpectedRevision
  readonly lastPosition: () => number
  readonly locate: (eventId: string) => EventPlace | undefined
}

/** What an append must do: write from a first revision, or answer without writing. */
export type AppendPlan =
  | { readonly _tag: 'Write'; readonly firstRevision: number }
  | { readonly _tag: 'Answer'; readonly result: AppendResult }

const firstRepeated = (ids: ReadonlyArray<string>): string | undefined =>
  ids.find((id, index) => ids.indexOf(id) !== index)

const duplicate = (streamId: string, eventId: string): E.Either<AppendError, AppendPlan> =>
  E.left({ _tag: 'DuplicateEventId', streamId, eventId })

const answer = (nextExpectedRevision: number, position: number): E.Either<AppendError, AppendPlan> =>
  E.right({ _tag: 'Answer', result: { nextExpectedRevision, position } })

/** Check ids, then revision: an idempotent retry answers whatever the expected revision is. */
const planByIds = (streamId: string, ids: ReadonlyArray<string>, lookup: AppendLookup)
: E.Either<AppendError, AppendPlan> | undefined => {
  const repeated = firstRepeated(ids)
  if (repeated !== undefined) return duplicate(streamId, repeated)
  const places = ids.map(lookup.locate)
  const last = places[places.length - 1]
  if (last !== undefined && places.every((place) => place?.streamId === streamId)) {
    return answer(last.revision, last.position)
  }
  const offending = ids.find((_, i) => places[i] !== undefined && places[i]?.streamId !== streamId)
    ?? ids.find((_, i) => places[i] !== undefined)
  return offending === undefined ? undefined : duplicate(streamId, offending)
}

/** Decide an append from the store's state: the one place both adapters take their semantics from. */
export const planAppend = (
  streamId: string, expected: ExpectedRevision, ids: ReadonlyArray<string>, lookup: AppendLookup,
): E.Either<AppendError, AppendPlan> => {
  const actual = lookup.lastRevision(streamId)
  if (ids.length === 0) return answer(actual === 'no_stream' ? -1 : actual, lookup.lastPosition())
  const byIds = planByIds(streamId, ids, lookup)
  if (byIds !== undefined) return byIds
  if (actual !== expected) return E.left({ _tag: 'WrongExpectedRevision', streamId, expected, actual })
  return E.right({ _tag: 'Write', firstRevision: actual === 'no_stream' ? 0 : actual + 1 })
}

/** Plan an append and carry it out: answer without writing, or `write` from the first revision. */
export const appendByPlan = (
  streamId: string, expected: ExpectedRevision, events: ReadonlyArray<EncodedEvent>, lookup: AppendLookup,
  write: (streamId: string, firstRevision: number, events: ReadonlyArray<EncodedEvent>) => AppendResult,
): E.Either<AppendError, AppendResult> => {
  const plan = planAppend(streamId, expected, events.map((event) => event.eventId), lookup)
  if (E.isLeft(plan)) return plan
  return E.right(plan.right._tag === 'Answer' ? plan.right.result : write(streamId, plan.right.firstRevision, events))
}
