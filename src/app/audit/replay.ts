import { InspectedViews } from '../../projections/mismatches'
import { Violation } from '../../projections/audit'
import { EventStore } from '../../store/port'
import { ViewStore } from '../../store/views'
import { ProgressListener } from '../transfer/transfer'
import { FoldClient, FoldFinished, foldInThread, foldInWorker, FoldProgress } from './replayThreads'

/** What a replay of the log found. */
export interface ReplayReport {
  /** How many events were replayed. */
  readonly events: number
  /** The global position of the last event replayed. */
  readonly position: number
  /** sha256 over the rebuilt views: equal views, equal digest. */
  readonly digest: string
  /** The invariants the log breaks; empty when it audits clean. */
  readonly violations: ReadonlyArray<Violation>
}

/** How to replay: up to where, in batches of how many events, and who wants to hear of the progress. */
export interface ReplayOptions {
  /** Replay only up to this global position (time travel); the whole log when absent. */
  readonly until?: number
  readonly batchSize?: number
  /** Told after every batch. */
  readonly onProgress?: ProgressListener
  /**
   * Fold the views in a worker thread while this one reads, validates and audits the log, so that
   * a replay runs on two cores; `auto` does for more than `workerFromEvents` events. The result is
   * the same either way. Off by default: on the 2-core machine of BENCHMARKS.md, shared with other
   * work, the worker's replay was no faster and took 40 MB more (its own heap).
   */
  readonly worker?: boolean | 'auto'
}

/** From how many events a replay asked for `worker: 'auto'` folds in a worker thread: below, starting the worker costs more than it saves. */
export const workerFromEvents = 20_000

const usesWorker = async (store: EventStore, options: ReplayOptions): Promise<boolean> => {
  if (options.worker === undefined || options.worker === false) return false
  if (options.worker === true) return true
  const last = await store.lastPosition()
  return Math.min(last, options.until ?? last) > workerFromEvents
}

/** Read the log in batches and hand them to a fold; what the fold gave, with how many events it folded and up to where. */
const feed = async (store: EventStore, options: ReplayOptions, inspect: boolean, start: (onFolded: FoldProgress) => FoldClient)
: Promise<{ readonly report: ReplayReport; readonly finished: FoldFinished }> => {
  let progress = { events: 0, position: 0 }
  const fold = start((folded) => { progress = folded; options.onProgress?.(folded) })
  try {
    const read = store.readAll({
      after: 0,
      ...(options.until === undefined ? {} : { until: options.until }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    })
    for await (const batch of read) await fold.send(batch)
    const finished = await fold.finish(inspect)
    return { report: { ...progress, ...finished.result }, finished }
  } finally {
    await fold.close()
  }
}

/**
 * Replay the log into fresh views and hand them to `inspect` before they are dropped: what
 * `replay` does, for callers that want more of the views than their digest. The fold runs in the
 * caller's thread, where the views can be inspected.
 */
export const replayAndInspect = async <A>(store: EventStore, options: ReplayOptions, inspect: (views: ViewStore) => A)
: Promise<{ readonly report: ReplayReport; readonly inspected: A }> => {
  let inspected: { readonly value: A } | null = null
  const { report } = await feed(store, options, false, (onFolded) => {
    const fold = foldInThread(onFolded)
    return { ...fold, finish: async (asked) => {
      const finished = await fold.finish(asked)
      inspected = { value: inspect(fold.views) }
      return finished
    } }
  })
  if (inspected === null) throw new Error('the replay finished without its views inspected')
  return { report, inspected: (inspected as { readonly value: A }).value }
}

/**
 * Replay the log, then the views in numbers and the mismatch report (what an audit shows): in a
 * worker thread or in the caller's, as `replay` would (see `ReplayOptions.worker`).
 */
export const replayAndInspectViews = async (store: EventStore, options: ReplayOptions)
: Promise<{ readonly report: ReplayReport; readonly inspected: InspectedViews }> => {
  const { report, finished } = await feed(store, options, true, (await usesWorker(store, options)) ? foldInWorker : foldInThread)
  if (finished.inspected === null) throw new Error('the replay finished without its views inspected')
  return { report, inspected: finished.inspected }
}

/**
 * Replay the whole log (or up to `until`) into fresh views, with no side effects: no mail, no
 * gateway, no write to the store. The log is streamed in batches; an unreadable event stops the
 * replay with its stream, revision, position and reason. Reading and folding can run on two
 * threads (see `ReplayOptions.worker`).
 */
export const replay = async (store: EventStore, options: ReplayOptions = {}): Promise<ReplayReport> =>
  (await feed(store, options, false, (await usesWorker(store, options)) ? foldInWorker : foldInThread)).report
