import { decodeOrThrow, RawEvent, Recorded } from '../../domain/envelope'
import { allProjections, allViews } from '../../projections/all'
import { createAudit, Violation } from '../../projections/audit'
import { withDerivedIndexes, withoutIndexes } from '../../projections/derivedIndexes'
import { applyEvent } from '../../projections/runner'
import { openScratchViews, StreamingViewStore } from '../../store/scratch'
import { digestCoding, digestOfKept } from './replayRows'

/** What folding the whole log gave: the digest of the views and every invariant broken. */
export interface FoldResult {
  readonly digest: string
  readonly violations: ReadonlyArray<Violation>
}

/**
 * The reading side of a replay: each batch validated (an unreadable event throws
 * UndecodableEventError before any of its batch is observed) and observed by the audit. It
 * needs no view of the projections, so it runs in
 * the thread that reads the log while the views are folded in another.
 */
export interface AuditFold {
  readonly observe: (batch: ReadonlyArray<RawEvent>) => ReadonlyArray<Recorded>
  readonly violations: () => ReadonlyArray<Violation>
}

/** An audit fold: its facts in typed arrays (`compactFacts`), a few megabytes for a million events. */
export const createAuditFold = (): AuditFold => {
  const audit = createAudit()
  return {
    observe: (batch) => {
      const decoded = batch.map(decodeOrThrow)
      for (const event of decoded) audit.observe(event)
      return decoded
    },
    violations: () => audit.finish(),
  }
}

/**
 * The folding side of a replay: validated events in, in order, applied to every projection's main
 * view (index views are read off them) in scratch views that spill to disk, and the digest of
 * those views at the end. The same fold runs in the replay's worker thread or in the caller's.
 */
export interface ViewsFold {
  readonly apply: (events: ReadonlyArray<Recorded>) => void
  /** How many events were folded, and the position of the last. */
  readonly progress: () => { readonly events: number; readonly position: number }
  readonly digest: () => string
  /** The views as folded so far. */
  readonly views: StreamingViewStore
  readonly close: () => void
}

/** A views fold into fresh scratch views. */
export const createViewsFold = (options: { readonly cacheRows?: number } = {}): ViewsFold => {
  const scratch = withDerivedIndexes(openScratchViews({ coding: digestCoding(allProjections), ...options }), allProjections)
  const projections = withoutIndexes(allProjections)
  let events = 0
  let position = 0
  return {
    apply: (batch) => {
      scratch.update('replay', (tx) => {
        for (const event of batch) {
          applyEvent(tx, projections, event)
          position = event.position
        }
        return position
      })
      events += batch.length
    },
    progress: () => ({ events, position }),
    digest: () => digestOfKept(scratch, allProjections, allViews),
    views: scratch,
    close: scratch.close,
  }
}
