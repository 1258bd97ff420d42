import { decodeOrThrow } from '../domain/envelope'
import { allProjections, allViews } from '../projections/all'
import { createAudit, Violation } from '../projections/audit'
import { digestViews } from '../projections/digest'
import { applyEvent } from '../projections/runner'
import { openScratchViews } from '../store/scratch'
import { EventStore } from '../store/port'

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

/**
 * Replay the whole log into fresh views, with no side effects: no mail, no gateway, no write
 * to the store. The log is streamed in batches; an unreadable event stops the replay with its
 * stream, revision, position and reason.
 */
export const replay = async (store: EventStore, options: { readonly until?: number; readonly batchSize?: number } = {}): Promise<ReplayReport> => {
  const scratch = openScratchViews()
  const audit = createAudit()
  let events = 0
  let position = 0
  const read = store.readAll({
    after: 0,
    ...(options.until === undefined ? {} : { until: options.until }),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
  })
  for await (const batch of read) {
    const decoded = batch.map(decodeOrThrow)
    scratch.update('replay', (tx) => {
      for (const event of decoded) {
        applyEvent(tx, allProjections, event)
        audit.observe(event)
        position = event.position
      }
      return position
    })
    events += decoded.length
  }
  const digest = digestViews(scratch, allViews)
  scratch.close()
  return { events, position, digest, violations: audit.finish() }
}
