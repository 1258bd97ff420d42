import { Claims } from './claims'
import { EventStore } from './port'
import { Records } from './records'
import { ViewStore } from './views'

/** An event store and a view store that live together and close together. */
export interface Storage {
  readonly events: EventStore
  readonly views: ViewStore
  /** Leases on work several processes sharing the store could each do (sending one mail). */
  readonly claims: Claims
  /** Keyed records beside the log (a service's tokens and idempotent answers). */
  readonly records: Records
  /**
   * The same views, as seen from inside an `appendMany`'s `within`: what is written there commits
   * in the events' own transaction (one disk sync for both). Stores with multi-stream appends have it.
   */
  readonly transactionalViews?: ViewStore
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
