import { EventStore, ExpectedRevision } from '../store/port'
import { ViewStore } from '../store/views'

/** A state of one aggregate as of a revision of its stream (and the global position of that revision). */
export interface CachedState {
  readonly aggregate: string
  readonly state: unknown
  readonly revision: ExpectedRevision
  readonly position: number
}

/** How many streams' states a store keeps in this process. */
export const cachedStreams = 10_000

/**
 * Two states a stream: the latest seen, and the latest one read up to an earlier position (the
 * reactions read each stream as of the event they react to, behind the head).
 */
interface Kept {
  readonly head: CachedState
  readonly behind?: CachedState
}

const caches = new WeakMap<EventStore, Map<string, Kept>>()

/** The view rows that hold persisted snapshots: not a projection, not in the digest. */
export const snapshotsView = 'aggregateSnapshots'

/** Bump when an aggregate's state changes shape: older snapshots are then ignored and made again. */
export const snapshotVersion = 1

/** A stream's state is persisted once it is this many events past its last snapshot. */
export const snapshotEvery = 500

interface Snapshot extends CachedState {
  readonly version: number
}

const isSnapshot = (row: unknown, aggregate: string): row is Snapshot => {
  if (row === null || typeof row !== 'object') return false
  const snapshot = row as Partial<Snapshot>
  return snapshot.version === snapshotVersion && snapshot.aggregate === aggregate && typeof snapshot.position === 'number'
    && (snapshot.revision === 'no_stream' || typeof snapshot.revision === 'number')
}

const snapshotStores = new WeakMap<EventStore, ViewStore>()

const cacheOf = (store: EventStore): Map<string, Kept> => {
  const found = caches.get(store)
  if (found !== undefined) return found
  const made = new Map<string, Kept>()
  caches.set(store, made)
  return made
}

const revisionNumber = (revision: ExpectedRevision): number => (revision === 'no_stream' ? -1 : revision)

/**
 * The latest state this process has seen of a stream. A stream only ever grows, so a state at
 * revision r stays true: a load reads only what came after r, whoever wrote it. Kept per store
 * object, so a store opened anew starts cold; the least recently used streams are forgotten.
 */
export const aggregateCache = {
  /** Persist snapshots of this store's streams in these views (the storage's own), and read them when cold. */
  persistIn: (store: EventStore, views: ViewStore): void => { snapshotStores.set(store, views) },
  /** The persisted snapshot of a stream, when it is of this code's shape and not past `until`. */
  snapshot: (store: EventStore, streamId: string, aggregate: string, until: number): CachedState | undefined => {
    const row = snapshotStores.get(store)?.get(snapshotsView, streamId)
    return isSnapshot(row, aggregate) && row.position <= until ? row : undefined
  },
  /** Persist a state as its stream's snapshot (when this store has somewhere to keep them). */
  persist: (store: EventStore, streamId: string, entry: CachedState): void => {
    const views = snapshotStores.get(store)
    if (views === undefined) return
    views.update(snapshotsView, (tx, checkpoint) => {
      tx.put(snapshotsView, streamId, { ...entry, version: snapshotVersion })
      return checkpoint
    })
  },
  /** The latest state kept of a stream that is not past the global position `until`. */
  get: (store: EventStore, streamId: string, aggregate: string, until: number): CachedState | undefined => {
    const cache = cacheOf(store)
    const found = cache.get(streamId)
    if (found === undefined || found.head.aggregate !== aggregate) return undefined
    cache.delete(streamId)
    cache.set(streamId, found)
    if (found.head.position <= until) return found.head
    return found.behind !== undefined && found.behind.position <= until ? found.behind : undefined
  },
  /** Keep a state: as the head when it is the latest seen, else as the state behind it. */
  put: (store: EventStore, streamId: string, entry: CachedState): void => {
    const cache = cacheOf(store)
    const kept = cache.get(streamId)
    cache.delete(streamId)
    if (kept === undefined || kept.head.aggregate !== entry.aggregate || revisionNumber(entry.revision) >= revisionNumber(kept.head.revision)) {
      cache.set(streamId, { head: entry })
    } else {
      cache.set(streamId, { head: kept.head, behind: entry })
    }
    if (cache.size > cachedStreams) {
      const oldest = cache.keys().next()
      if (oldest.done !== true) cache.delete(oldest.value)
    }
  },
}
