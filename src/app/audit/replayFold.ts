import { decodeOrThrow, RawEvent, Recorded } from '../../domain/envelope'
import { allProjections, allViews } from '../../projections/all'
import { LicenseChangeRow, licenseChangesView } from '../../projections/licenseChangeLog'
import { InspectedViews, inspectViews } from '../../projections/mismatches'
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
 * UndecodableEventError before any of its batch is observed) and observed by the audit. It needs
 * no view of the projections, so it runs in the thread that reads the log while the views are
 * folded in another.
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
  /** The digest of the views; `alsoLicenseChanges` is handed every License Change row on the way (one walk for both). */
  readonly digest: (alsoLicenseChanges?: (row: LicenseChangeRow) => void) => string
  /** The views as folded so far. */
  readonly views: StreamingViewStore
  readonly close: () => void
}

/** A views fold into fresh scratch views. */
export const createViewsFold = (options: { readonly cacheRows?: number } = {}): ViewsFold => {
  const coding = digestCoding(allProjections)
  const scratch = withDerivedIndexes(openScratchViews({ coding, ...options }), allProjections)
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
    digest: (alsoLicenseChanges) => digestOfKept(scratch, allProjections, allViews, alsoLicenseChanges === undefined ? undefined
      : { view: licenseChangesView, coding, visit: (row) => alsoLicenseChanges(row as LicenseChangeRow) }),
    views: scratch,
    close: scratch.close,
  }
}

/** The digest of a fold's views and, when asked, their summary and mismatch report, in one walk of the License Change Log. */
export const finishFold = (fold: ViewsFold, inspect: boolean): { readonly digest: string; readonly inspected: InspectedViews | null } => {
  if (!inspect) return { digest: fold.digest(), inspected: null }
  let digest: string | null = null
  const inspected = inspectViews(fold.views, (each) => { digest = fold.digest(each) })
  if (digest === null) throw new Error('the views were inspected without the digest\'s walk of the License Change Log')
  return { digest, inspected }
}
