import * as E from 'fp-ts/Either'
import { StoredMetadata } from '../domain/envelope'

/** An event on its way into the store. */
export interface NewEvent {
  readonly eventId: string
  readonly type: string
  readonly data: unknown
  readonly metadata: StoredMetadata
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

/** Where the appended events landed: the stream's new revision and the position of the last one. */
export interface AppendResult {
  readonly nextExpectedRevision: number
  readonly position: number
}

/** Where the events of one stream of a multi-stream append landed: its new revision and each event's position. */
export interface StreamAppended extends AppendResult {
  readonly positions: ReadonlyArray<number>
}

/** The events of one stream in a multi-stream append, with the revision that stream is expected at. */
export interface StreamAppend {
  readonly streamId: string
  readonly expected: ExpectedRevision
  readonly events: ReadonlyArray<NewEvent>
}

/** Options of a multi-stream append. */
export interface AppendManyOptions {
  /**
   * Runs inside the same transaction once the events are written (and only then): what it writes
   * to the storage's `transactionalViews` commits with them.
   */
  readonly within?: (placed: ReadonlyArray<StreamAppended>) => void
  /**
   * False for events a power loss may take back because they are redone with the same ids: the
   * record of an effect (a mail sent, a gateway's answer), whose effect is idempotent. A store
   * may then spare the disk sync (the next durable commit syncs them too). Default: true.
   */
  readonly durable?: boolean
}

/** Options of a read of one stream. */
export interface ReadStreamOptions {
  /** Start at this revision (inclusive): what a cached state has not seen yet. */
  readonly fromRevision?: number
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

/** A running catch-up subscription to the log. */
export interface CatchUpSubscription {
  /** Stop delivering; resolves once no batch is being handled any more. Stopping twice is harmless. */
  readonly stop: () => Promise<void>
  /** Settles when the subscription ends: resolves after `stop`, rejects with what broke it (the handler or the store). */
  readonly done: Promise<void>
}

/** Handles one batch of a subscription; the next batch waits for it. A throw ends the subscription. */
export type BatchHandler = (events: ReadonlyArray<StoredEvent>) => Promise<void>

/**
 * The event store port. Appends are atomic per call and checked against the expected revision.
 * What every adapter guarantees about event ids: the same id twice in one append is refused
 * (DuplicateEventId), and an append retried with the same ids and the same expected revision
 * after it was committed writes nothing again and answers where they are. (Memory and SQLite
 * go further and refuse an id that stands anywhere else; EventStoreDB may write it again.)
 */
export interface EventStore {
  readonly append: (streamId: string, expected: ExpectedRevision, events: ReadonlyArray<NewEvent>)
  => Promise<E.Either<AppendError, AppendResult>>
  /**
   * Optional capability: append to several streams in one transaction, each at its own expected
   * revision, all or nothing (each stream at most once). Stores that have it let a command and
   * the reactions that follow from it commit together; the others take the asynchronous path.
   */
  readonly appendMany?: (appends: ReadonlyArray<StreamAppend>, options?: AppendManyOptions)
  => Promise<E.Either<AppendError, ReadonlyArray<StreamAppended>>>
  /** The events of a stream in revision order, from a revision (default 0); a missing stream is empty. */
  readonly readStream: (streamId: string, options?: ReadStreamOptions) => Promise<ReadonlyArray<StoredEvent>>
  /** Every event in global order, in batches, never loading the whole log. */
  readonly readAll: (options: ReadAllOptions) => AsyncIterable<ReadonlyArray<StoredEvent>>
  /**
   * Deliver the events after a position in global order, batch by batch, then keep delivering new
   * ones as they are appended, until stopped. Each event is delivered once, in order.
   */
  readonly subscribe: (options: SubscribeOptions, onBatch: BatchHandler) => CatchUpSubscription
  /** The position of the last event (0 when empty). */
  readonly lastPosition: () => Promise<number>
  readonly close: () => Promise<void>
}

export const defaultBatchSize = 1000
