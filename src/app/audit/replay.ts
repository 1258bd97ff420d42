import { decodeOrThrow } from '../../domain/envelope'
import { allProjections, allViews } from '../../projections/all'
import { AuditFacts, ChangeFacts, createAudit, Violation } from '../../projections/audit'
import { withDerivedIndexes, withoutIndexes } from '../../projections/derivedIndexes'
import { digestMainViews } from '../../projections/digest'
import { applyEvent } from '../../projections/runner'
import { openScratchViews, StreamingViewStore } from '../../store/scratch'
import { EventStore } from '../../store/port'
import { ViewStore } from '../../store/views'
import { ProgressListener } from '../transfer/transfer'

/** What a replay of the log found. */
export interface ReplayReport {
  /** How many events were replayed. */
  readonly events: number
  /** The global position of the last one (0: none). */
  readonly position: number
  /** sha256 of every view rebuilt from the log: equal logs, equal digests. */
  readonly digest: string
  /** Every invariant the log breaks. */
  readonly violations: ReadonlyArray<Violation>
}

/** Options of a replay. */
export interface ReplayOptions {
  /** Replay up to this global position (inclusive). */
  readonly until?: number
  readonly batchSize?: number
  /** Told after every batch. */
  readonly onProgress?: ProgressListener
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
 * Replay the log into fresh views and hand them to `inspect` before they are dropped: what
 * `replay` does, for callers that want more of the views than their digest.
 */
export const replayAndInspect = async <A>(store: EventStore, options: ReplayOptions, inspect: (views: ViewStore) => A)
: Promise<{ readonly report: ReplayReport; readonly inspected: A }> => {
  const scratch = withDerivedIndexes(openScratchViews(), allProjections)
  const projections = withoutIndexes(allProjections)
  const audit = createAudit(auditFactsIn(scratch))
  let events = 0
  let position = 0
  const read = store.readAll({
    after: 0,
    ...(options.until === undefined ? {} : { until: options.until }),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
  })
  try {
    for await (const batch of read) {
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
      options.onProgress?.({ events, position })
    }
    const report = { events, position, digest: digestMainViews(scratch, allProjections, allViews), violations: audit.finish() }
    return { report, inspected: inspect(scratch) }
  } finally {
    scratch.close()
  }
}

/**
 * Replay the whole log (or up to `until`) into fresh views, with no side effects: no mail, no
 * gateway, no write to the store. The log is streamed in batches; an unreadable event stops the
 * replay with its stream, revision, position and reason.
 */
export const replay = async (store: EventStore, options: ReplayOptions = {}): Promise<ReplayReport> =>
  (await replayAndInspect(store, options, () => undefined)).report
