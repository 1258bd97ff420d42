import { EventStore, ExpectedRevision } from '../store/port'

/** A state of one aggregate as of a revision of its stream (and the global position of that revision). */
export interface CachedState {
  readonly aggregate: string
  readonly state: unknown
  readonly revision: ExpectedRevision
  readonly position: number
}

/** How many streams' states a store keeps in this process. */
export const cachedStreams = 10_000

const caches = new WeakMap<EventStore, Map<string, CachedState>>()

const cacheOf = (store: EventStore): Map<string, CachedState> => {
  const found = caches.get(store)
  if (found !== undefined) return found
  const made = new Map<string, CachedState>()
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
  get: (store: EventStore, streamId: string, aggregate: string): CachedState | undefined => {
    const cache = cacheOf(store)
    const found = cache.get(streamId)
    if (found === undefined || found.aggregate !== aggregate) return undefined
    cache.delete(streamId)
    cache.set(streamId, found)
    return found
  },
  /** Keep a state unless a later one of the same stream is kept already. */
  put: (store: EventStore, streamId: string, entry: CachedState): void => {
    const cache = cacheOf(store)
    const kept = cache.get(streamId)
    if (kept !== undefined && kept.aggregate === entry.aggregate && revisionNumber(kept.revision) >= revisionNumber(entry.revision)) return
    cache.delete(streamId)
    cache.set(streamId, entry)
    if (cache.size > cachedStreams) {
      const oldest = cache.keys().next()
      if (oldest.done !== true) cache.delete(oldest.value)
    }
  },
}
