import { Violation } from '../../projections/audit'
import { EventStore } from '../../store/port'
import { ViewStore } from '../../store/views'
import { ProgressListener } from '../transfer/transfer'
import { FoldClient, foldInThread, foldInWorker } from './replayThreads'

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
  /**
   * Fold in a worker thread, so that reading the log and folding it run on two cores; `auto`
   * (the default) does for more than 20,000 events. The result is the same either way.
   */
  readonly worker?: boolean | 'auto'
}

/** From how many events a replay folds in a worker thread by default: below, starting the worker costs more than it saves. */
export const workerFromEvents = 20_000

const usesWorker = async (store: EventStore, options: ReplayOptions): Promise<boolean> => {
  if (options.worker !== undefined && options.worker !== 'auto') return options.worker
  const last = await store.lastPosition()
  return Math.min(last, options.until ?? last) > workerFromEvents
}

/** Read the log in batches and hand them to the fold; the fold's result, with how many events and up to where. */
const feed = async (store: EventStore, options: ReplayOptions, fold: FoldClient, folded: () => { readonly events: number; readonly position: number }): Promise<ReplayReport> => {
  const read = store.readAll({
    after: 0,
    ...(options.until === undefined ? {} : { until: options.until }),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
  })
  for await (const batch of read) await fold.send(batch)
  const { digest, violations } = await fold.finish()
  return { ...folded(), digest, violations }
}

/**
 * Replay the log into fresh views and hand them to `inspect` before they are dropped: what
 * `replay` does, for callers that want more of the views than their digest. The fold runs in the
 * caller's thread, where the views can be inspected.
 */
export const replayAndInspect = async <A>(store: EventStore, options: ReplayOptions, inspect: (views: ViewStore) => A)
: Promise<{ readonly report: ReplayReport; readonly inspected: A }> => {
  let progress = { events: 0, position: 0 }
  const fold = foldInThread((folded) => { progress = folded; options.onProgress?.(folded) })
  try {
    const report = await feed(store, options, fold, () => progress)
    return { report, inspected: inspect(fold.views) }
  } finally {
    await fold.close()
  }
}

/**
 * Replay the whole log (or up to `until`) into fresh views, with no side effects: no mail, no
 * gateway, no write to the store. The log is streamed in batches; an unreadable event stops the
 * replay with its stream, revision, position and reason. Reading and folding run on two threads
 * (see `ReplayOptions.worker`).
 */
export const replay = async (store: EventStore, options: ReplayOptions = {}): Promise<ReplayReport> => {
  if (!(await usesWorker(store, options))) return (await replayAndInspect(store, options, () => undefined)).report
  let progress = { events: 0, position: 0 }
  const fold = foldInWorker((folded) => { progress = folded; options.onProgress?.(folded) })
  try {
    return await feed(store, options, fold, () => progress)
  } finally {
    await fold.close()
  }
}
