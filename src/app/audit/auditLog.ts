import { decodeOrThrow } from '../../domain/envelope'
import { MismatchRow, ViewSummary } from '../../projections/mismatches'
import { EventStore } from '../../store/port'
import { replayAndInspectViews, ReplayOptions, ReplayReport } from './replay'
import { ProgressListener } from '../transfer/transfer'

/** Which moment an audit looks at. */
export type AuditMoment =
  | { readonly basis: 'now' }
  | { readonly basis: 'position'; readonly position: number }
  /** By recorded time: up to the last event whose occurredAt is at or before `time`. */
  | { readonly basis: 'recorded time'; readonly time: string }

/** An audit of the log as it stood at a moment: the replay, the views in numbers and the mismatch report. */
export interface AuditReport extends ReplayReport {
  readonly moment: AuditMoment
  readonly summary: ViewSummary
  readonly mismatches: ReadonlyArray<MismatchRow>
}

/**
 * The global position of the last event recorded at or before `time` (its metadata occurredAt),
 * 0 if none: a scan of the whole log, since recorded times need not follow positions.
 */
export const positionAsOf = async (store: EventStore, time: Date, onProgress?: ProgressListener): Promise<number> => {
  const limit = time.getTime()
  let found = 0
  let events = 0
  for await (const batch of store.readAll({ after: 0 })) {
    for (const event of batch.map(decodeOrThrow)) {
      if (Date.parse(event.metadata.occurredAt) <= limit) found = event.position
    }
    events += batch.length
    onProgress?.({ events, position: batch[batch.length - 1]?.position ?? 0 })
  }
  return found
}

/**
 * Audit the log as it stood at a moment (time travel: replay up to it, with no side effects):
 * the digest of the views, the invariants they break, the views in numbers and the License
 * Change Log mismatch report.
 */
export const auditLog = async (
  store: EventStore, moment: AuditMoment, onProgress?: ProgressListener, threads: Pick<ReplayOptions, 'worker'> = {},
): Promise<AuditReport> => {
  const until = moment.basis === 'position' ? moment.position
    : moment.basis === 'recorded time' ? await positionAsOf(store, new Date(moment.time), onProgress)
      : undefined
  const { report, inspected } = await replayAndInspectViews(store, {
    ...threads, ...(until === undefined ? {} : { until }), ...(onProgress === undefined ? {} : { onProgress }),
  })
  return { ...report, moment, ...inspected }
}
