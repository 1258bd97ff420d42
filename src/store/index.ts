/** seatflow/store: the event store port, the storages seatflow opens, and what they refuse. */
export { defaultStoreUrl, openStorage } from './open'
export type { OpenOptions } from './open'
export { openMemoryStorage } from './memory'
export { openSqliteStorage } from './sqlite'
export type { SqliteOptions, SqliteStorage } from './sqlite'
export { AppendTooLargeError, EventStoreDbUnavailableError, openEventStoreDbStorage } from './eventstoredb'
export { UnreadableRowError } from './rows'
export { NotAStoreError, ReadOnlyStoreError } from './storage'
export type { Storage, StoreAccess } from './storage'
export type {
  EventStore, StoredEvent, NewEvent, ExpectedRevision, AppendError, AppendResult, AppendManyOptions, StreamAppend, StreamAppended,
  SubscribeOptions, CatchUpSubscription, BatchHandler, ReadAllOptions, ReadStreamOptions,
} from './port'
export type { ViewStore, ViewTransaction } from './views'
export type { Claims } from './claims'
