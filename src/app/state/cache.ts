import { ExpectedRevision } from '../../store/port'
import { ViewStore } from '../../store/views'

/** A state of one aggregate as of a revision of its stream (and the global position of that revision). */
export interface CachedState {
  readonly aggregate: string
  readonly state: unknown
  readonly revision: ExpectedRevision
  readonly position: number
}

/** The view rows that hold persisted snapshots: not a projection, not in the digest. */
export const snapshotsView = 'aggregateSnapshots'

/** Bump when an aggregate's state changes shape: older snapshots are then ignored and made again. */
export const snapshotVersion = 3

/** A stream's state is persisted once it is this many events past its last snapshot. */
export const snapshotEvery = 500

/** How many streams' states one seatflow keeps in memory. */
export const cachedStreams = 10_000

/**
 * Two states a stream: the latest seen, and the latest one read up to an earlier position (the
 * reactions read each stream as of the event they react to, behind the head).
 */
interface Kept {
  readonly head: CachedState
  readonly behind?: CachedState
}

interface Snapshot extends CachedState {
  readonly version: number
  readonly streamId: string
}

const isSnapshot = (row: unknown, aggregate: string): row is Snapshot => {
  if (row === null || typeof row !== 'object') return false
  const snapshot = row as Partial<Snapshot>
  return snapshot.version === snapshotVersion && snapshot.aggregate === aggregate && typeof snapshot.position === 'number'
    && (snapshot.revision === 'no_stream' || typeof snapshot.revision === 'number')
}

const revisionNumber = (revision: ExpectedRevision): number => (revision === 'no_stream' ? -1 : revision)

/** The states one seatflow has seen of its streams, and where their snapshots persist. */
export interface AggregateCache {
  /** The latest state kept of a stream that is not past the global position `until`. */
  readonly get: (streamId: string, aggregate: string, until: number) => CachedState | undefined
  /** Keep a state: as the head when it is the latest seen, else as the state behind it. */
  readonly put: (streamId: string, entry: CachedState) => void
  /** The persisted snapshot of a stream, when it is of this code's shape and not past `until`. */
  readonly snapshot: (streamId: string, aggregate: string, until: number) => CachedState | undefined
  /** Persist a state as its stream's snapshot (when there is somewhere to keep them). */
  readonly persist: (streamId: string, entry: CachedState) => void
}

/**
 * The latest state this seatflow has seen of each stream. A stream only ever grows, so a state at
 * revision r stays true: a load reads only what came after r, whoever wrote it. The least
 * recently used streams are forgotten; snapshots persist in `snapshots` (the storage's views).
 */
export const createAggregateCache = (snapshots?: ViewStore, capacity = cachedStreams): AggregateCache => {
  const kept = new Map<string, Kept>()
  /** The streams that have a snapshot (read once): a stream without one costs no query. Another process's new ones are found at the next start. */
  let snapshotted: Set<string> | undefined
  const hasSnapshot = (streamId: string): boolean => {
    snapshotted ??= new Set((snapshots?.rows(snapshotsView) ?? []).flatMap((row) => {
      const streamId = (row as Partial<Snapshot> | null)?.streamId
      return typeof streamId === 'string' ? [streamId] : []
    }))
    return snapshotted.has(streamId)
  }
  return {
    get: (streamId, aggregate, until) => {
      const found = kept.get(streamId)
      if (found === undefined || found.head.aggregate !== aggregate) return undefined
      kept.delete(streamId)
      kept.set(streamId, found)
      if (found.head.position <= until) return found.head
      return found.behind !== undefined && found.behind.position <= until ? found.behind : undefined
    },
    put: (streamId, entry) => {
      const found = kept.get(streamId)
      kept.delete(streamId)
      const newer = found === undefined || found.head.aggregate !== entry.aggregate
        || revisionNumber(entry.revision) >= revisionNumber(found.head.revision)
      kept.set(streamId, newer ? { head: entry } : { head: found.head, behind: entry })
      if (kept.size > capacity) {
        const oldest = kept.keys().next()
        if (oldest.done !== true) kept.delete(oldest.value)
      }
    },
    snapshot: (streamId, aggregate, until) => {
      if (!hasSnapshot(streamId)) return undefined
      const row = snapshots?.get(snapshotsView, streamId)
      return isSnapshot(row, aggregate) && row.position <= until ? row : undefined
    },
    persist: (streamId, entry) => {
      snapshots?.update(snapshotsView, (tx, checkpoint) => {
        tx.put(snapshotsView, streamId, { ...entry, streamId, version: snapshotVersion })
        return checkpoint
      })
      snapshotted?.add(streamId)
    },
  }
}
