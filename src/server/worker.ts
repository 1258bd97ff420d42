import type { Processed } from '../app/facade'
import { ServiceContext } from './context'
import { ServiceMetrics } from './metrics'
import { nextWake, OwnTimes } from './wakeTimes'
import { clockNow, failedAction, heard, runDue, WorkerParts } from './workerRun'

/** How the worker runs. Every option has a default. */
export interface WorkerOptions {
  /** Read every Automatic subscription at its gateway and sync it this often (minutes), the first time one interval after the start. Default: never. */
  readonly syncIntervalMinutes?: number
  /** Seconds before work that could not be done is looked at again (a mail the server refused, work another instance holds, a change still due after its run). Default: 30. */
  readonly recheckSeconds?: number
  /** Seconds between checks of an accepted attempt whose provider gave no Retry-After. Default: 60. */
  readonly checkSeconds?: number
  /** The longest the worker sleeps before it looks at the clock again (seconds): a clock that jumps is noticed within this. Default: 3600. */
  readonly maxSleepSeconds?: number
  /** Hears each run of the follow, after the worker (the console's live updates listen here). */
  readonly onProcessed?: (processed: Processed) => void
}

const partsOf = (context: ServiceContext, options: WorkerOptions, metrics: ServiceMetrics | undefined): WorkerParts => {
  let own: OwnTimes = { checkAt: null, recheckAt: null, syncAt: null, lastRunAt: null }
  return {
    seatflow: context.seatflow, log: context.logger.child({ component: 'worker' }), metrics,
    recheckMs: (options.recheckSeconds ?? 30) * 1000, checkMs: (options.checkSeconds ?? 60) * 1000,
    syncMs: options.syncIntervalMinutes === undefined ? null : options.syncIntervalMinutes * 60_000,
    times: { get: () => own, set: (change) => { own = { ...own, ...change } } },
  }
}

/** One step at a time: runs and plans never overlap, and nothing new starts once stopped. */
const serial = (onError: (action: string) => (error: unknown) => void) => {
  let queue: Promise<void> = Promise.resolve()
  let closed = false
  return {
    add: (step: () => Promise<void>, action: string): Promise<void> => {
      queue = queue.then(() => (closed ? undefined : step().catch(onError(action))))
      return queue
    },
    close: (): Promise<void> => { closed = true; return queue },
    done: (): Promise<void> => queue,
  }
}

/**
 * The worker: follows the log (views and reactions live, from their checkpoints: each provisioning
 * request goes out and each due gateway call is made as soon as it is recorded) and wakes when work
 * falls due by the seatflow's clock — the next reminder, the next scheduled attempt, the next check
 * of an accepted one, work to retry, the next sync — with one timer, never a busy loop: a quiet
 * store costs the log subscription alone. `wake()` runs what is due now (a test moves a simulated
 * clock and wakes it).
 */
export const createWorker = (context: ServiceContext, options: WorkerOptions, metrics?: ServiceMetrics) => {
  const parts = partsOf(context, options, metrics)
  const maxSleepMs = (options.maxSleepSeconds ?? 3600) * 1000
  const steps = serial((action) => failedAction(parts, action))
  let wakeAt: number | null = null
  let timer: NodeJS.Timeout | null = null
  let following: ReturnType<ServiceContext['seatflow']['follow']> | null = null
  let stopped = false
  let planQueued = false

  const disarm = (): void => {
    if (timer !== null) clearTimeout(timer)
    timer = null
  }
  const plan = async (): Promise<void> => {
    planQueued = false
    disarm()
    wakeAt = nextWake(await parts.seatflow.nextDue(), parts.times.get(), parts.recheckMs)
    if (wakeAt === null || stopped) return
    timer = setTimeout(() => { timer = null; void steps.add(run, 'run') }, Math.min(Math.max(0, wakeAt - clockNow(parts)), maxSleepMs))
  }
  const run = async (): Promise<void> => {
    await runDue(parts)
    await plan()
  }
  const replan = (): void => {
    if (planQueued) return
    planQueued = true
    void steps.add(plan, 'plan')
  }
  const follow = (): void => {
    following = parts.seatflow.follow((processed) => { heard(parts, processed.report); replan(); options.onProcessed?.(processed) })
    following.done.catch((error: unknown) => {
      if (stopped) return
      failedAction(parts, 'follow')(error)
      setTimeout(() => { if (!stopped) follow() }, parts.recheckMs).unref()
    })
  }

  return {
    /** Follow the log and plan the first wake. */
    start: (): void => {
      if (following !== null || stopped) return
      parts.times.set({ syncAt: parts.syncMs === null ? null : clockNow(parts) + parts.syncMs })
      parts.log.info({ action: 'start', syncIntervalMinutes: options.syncIntervalMinutes ?? null, recheckSeconds: parts.recheckMs / 1000, checkSeconds: parts.checkMs / 1000 }, 'worker started')
      follow()
      replan()
    },
    /** Run what is due now and plan the next wake; resolves when done. */
    wake: (): Promise<void> => steps.add(run, 'run'),
    /** When the worker wakes next, by the seatflow's clock (null: not until the log moves). */
    nextWakeAt: (): Date | null => (wakeAt === null ? null : new Date(wakeAt)),
    /** Resolves when what the worker started so far is done. */
    settled: (): Promise<void> => steps.done(),
    /** Stop waking and following (the run in progress finishes), and wait for what is running. */
    stop: async (): Promise<void> => {
      stopped = true
      disarm()
      await following?.stop()
      await steps.close()
      parts.log.info({ action: 'stop' }, 'worker stopped')
    },
  }
}

/** A worker. */
export type Worker = ReturnType<typeof createWorker>
