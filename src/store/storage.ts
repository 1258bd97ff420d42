import { Claims } from './claims'
import { EventStore } from './port'
import { ViewStore } from './views'

/** An event store and a view store that live together and close together. */
export interface Storage {
  readonly events: EventStore
  readonly views: ViewStore
  /** Leases on work several processes sharing the store could each do (sending one mail). */
  readonly claims: Claims
  /** Release the storage; closing twice is harmless. */
  readonly close: () => Promise<void>
  /** What the storage is and where it lives, for logs and messages. */
  readonly describe: string
}
