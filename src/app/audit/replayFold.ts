import { decodeOrThrow, RawEvent } from '../../domain/envelope'
import { allProjections, allViews } from '../../projections/all'
import { AuditFacts, ChangeFacts, createAudit, Violation } from '../../projections/audit'
import { withDerivedIndexes, withoutIndexes } from '../../projections/derivedIndexes'
import { applyEvent } from '../../projections/runner'
import { openScratchViews, StreamingViewStore } from '../../store/scratch'
import { digestCoding, digestOfKept } from './replayRows'

/** What folding the whole log gave: the digest of the views and every invariant broken. */
export interface FoldResult {
  readonly digest: string
  readonly violations: ReadonlyArray<Violation>
}

/** The audit's facts of License Changes kept with the replay's views, so they spill to disk too. */
const auditFactsIn = (scratch: StreamingViewStore): AuditFacts => {
  const view = 'audit:licenseChanges'
  return {
    get: (id) => scratch.get(view, id) as ChangeFacts | undefined,
    set: (facts) => scratch.put(view, facts.licenseChangeId, facts),
    forEach: (visit) => scratch.forEachRow(view, (row) => visit(row as ChangeFacts)),
  }
}

/**
 * A replay's fold: stored events in, in order, each validated, applied to every projection's
 * main view (index views are read off them) and observed by the audit, in scratch views that
 * spill to disk. The same fold runs in the replay's worker thread or in the caller's.
 */
export interface ReplayFold {
  /** Validate and fold a batch; an unreadable event throws UndecodableEventError before any of the batch is folded. */
  readonly apply: (batch: ReadonlyArray<RawEvent>) => void
  /** How many events were folded, and the position of the last. */
  readonly progress: () => { readonly events: number; readonly position: number }
  readonly finish: () => FoldResult
  /** The views as folded so far. */
  readonly views: StreamingViewStore
  readonly close: () => void
}

/** A fold into fresh scratch views. */
export const createReplayFold = (options: { readonly cacheRows?: number } = {}): ReplayFold => {
  const scratch = withDerivedIndexes(openScratchViews({ coding: digestCoding(allProjections), ...options }), allProjections)
  const projections = withoutIndexes(allProjections)
  const audit = createAudit(auditFactsIn(scratch))
  let events = 0
  let position = 0
  return {
    apply: (batch) => {
      const decoded = batch.map(decodeOrThrow)
      scratch.update('replay', (tx) => {
        for (const event of decoded) {
          applyEvent(tx, projections, event)
          audit.observe(event)
          position = event.position
        }
        return position
      })
      events += decoded.length
    },
    progress: () => ({ events, position }),
    finish: () => ({ digest: digestOfKept(scratch, allProjections, allViews), violations: audit.finish() }),
    views: scratch,
    close: scratch.close,
  }
}
