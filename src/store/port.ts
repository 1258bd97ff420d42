import * as E from 'fp-ts/Either'

/** Who did it, when, and why: stored with every event. */
export interface EventMetadata {
  readonly occurredAt: string
  readonly actor: string
  readonly correlationId: string
  readonly causationId: string | null
  /** The schema version of the event's data (src/domain/schema.ts); absent on events stored before versions: 1. */
  readonly schemaVersion?: number
}

/** An event on its way into the store. */
export interface NewEvent {
  readonly eventId: string
  readonly type: string
  readonly data: unknown
  readonly metadata: EventMetadata
}

/** An event as the store holds it: its stream, dense revision from 0, and global position (from 1). */
export interface StoredEvent extends NewEvent {
  readonly streamId: string
  readonly revision: number
  readonly position: number
}

/** The revision an append expects its stream to be at: no stream yet, or the revision of its last event. */
export type ExpectedRevision = 'no_stream' | number

/** The store's answer to an append that it refused. */
export type AppendError =
  | { readonly _tag: 'WrongExpectedRevision'; readonly streamId: string; readonly expected: ExpectedRevision; readonly actual: ExpectedRevision }
  | { readonly _tag: 'DuplicateEventId'; readonly streamId: string; readonly eventId: string }

/** Where the appended events landed. */
export interface AppendResult {
  readonly nextExpectedRevision: number
  readonly position: number
}

/** Options of a read of one stream. */
export interface ReadStreamOptions {
  /** Start at this revision (inclusive): what a cached state has not seen yet. */
  readonly fromRevision?: number
}

/** The first revision a stream read asks for, checked: a non-negative integer. */
export const fromRevisionOf = (options: ReadStreamOptions | undefined): number => {
  const from = options?.fromRevision ?? 0
  if (!Number.isSafeInteger(from) || from < 0) throw new RangeError(`fromRevision must be a non-negative integer, got ${from}`)
  return from
}

/** Options of an ordered read of all events. */
export interface ReadAllOptions {
  /** Read the events after this global position (0: from the start). */
  readonly after: number
  /** How many events a batch holds at most. */
  readonly batchSize?: number
  /** Stop after this global position (inclusive). */
  readonly until?: number
}

/** Options of a catch-up subscription. */
export interface SubscribeOptions {
  /** Deliver the events after this global position (0: from the start), then every new one. */
  readonly after: number
  /** How many events a batch holds at most. */
  readonly batchSize?: number
}

/** A running catch-up subscription. */
export interface Subscription {
  /** Stop delivering; resolves once no batch is being handled any more. Stopping twice is harmless. */
  readonly stop: () => Promise<void>
  /** Settles when the subscription ends: resolves after `stop`, rejects with what broke it (the handler or the store). */
  readonly done: Promise<void>
}

/** Handles one batch of a subscription; the next batch waits for it. A throw ends the subscription. */
export type BatchHandler = (events: ReadonlyArray<StoredEvent>) => Promise<void>

/**
 * The event store port. Appends are atomic per call and checked against the expected revision.
 * Appending events whose ids all already stand in that stream is an idempotent retry: it writes
 * nothing and answers with where they are. An id that stands elsewhere is a DuplicateEventId.
 */
export interface EventStore {
  readonly append: (streamId: string, expected: ExpectedRevision, events: ReadonlyArray<NewEvent>)
  => Promise<E.Either<AppendError, AppendResult>>
  /** The events of a stream in revision order, from a revision (default 0); a missing stream is empty. */
  readonly readStream: (streamId: string, options?: ReadStreamOptions) => Promise<ReadonlyArray<StoredEvent>>
  /** Every event in global order, in batches, never loading the whole log. */
  readonly readAll: (options: ReadAllOptions) => AsyncIterable<ReadonlyArray<StoredEvent>>
  /**
   * Deliver the events after a position in global order, batch by batch, then keep delivering new
   * ones as they are appended, until stopped. Each event is delivered once, in order.
   */
  readonly subscribe: (options: SubscribeOptions, onBatch: BatchHandler) => Subscription
  /** The position of the last event (0 when empty). */
  readonly lastPosition: () => Promise<number>
  readonly close: () => Promise<void>
}

export const defaultBatchSize = 1000
