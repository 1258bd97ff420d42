import type { Logger } from 'pino'
import type { ProcessReport } from '../app/seatflow'
import { ServiceContext } from './context'
import { ServiceMetrics } from './metrics'
import { hasCome, OwnTimes } from './wakeTimes'
import { logProcessed, logReminders, logSync, timesAsked } from './workerLog'

/** What a worker's runs work with: the seatflow, where they log and count, the intervals, and the times the worker set itself. */
export interface WorkerParts {
  readonly seatflow: ServiceContext['seatflow']
  readonly log: Logger
  readonly metrics: ServiceMetrics | undefined
  readonly recheckMs: number
  readonly checkMs: number
  readonly syncMs: number | null
  readonly times: {
    readonly get: () => OwnTimes
    readonly set: (change: Partial<OwnTimes>) => void
  }
}

/** The seatflow's clock now, in epoch milliseconds. */
export const clockNow = (parts: WorkerParts): number => parts.seatflow.now().getTime()

/** Log, count and remember what a processing run asks for (a check of an accepted attempt, a retry). */
export const heard = (parts: WorkerParts, report: ProcessReport): void => {
  logProcessed(parts.log, report)
  parts.metrics?.processed(report)
  const asked = timesAsked(report, clockNow(parts), parts.checkMs, parts.recheckMs)
  const own = parts.times.get()
  parts.times.set({ checkAt: asked.checkAt ?? own.checkAt, recheckAt: asked.recheckAt ?? own.recheckAt })
}

/** A failed action: logged, counted, and looked at again after `recheckMs`. */
export const failedAction = (parts: WorkerParts, action: string) => (error: unknown): void => {
  parts.metrics?.failed(action)
  parts.log.error({ action, err: error }, `${action} failed: tried again in ${parts.recheckMs / 1000} s`)
  parts.times.set({ recheckAt: clockNow(parts) + parts.recheckMs })
}

const remind = async (parts: WorkerParts, at: number): Promise<void> => {
  const report = await parts.seatflow.sendDueReminders(new Date(at))
  logReminders(parts.log, report)
  parts.metrics?.reminded(report)
  if (report.failed.length + report.claimedElsewhere.length > 0) parts.times.set({ recheckAt: at + parts.recheckMs })
}

/** Run what is due by the clock now: the reminders, gateway calls and checks, work to retry, the sync. */
export const runDue = async (parts: WorkerParts): Promise<void> => {
  const at = clockNow(parts)
  const due = await parts.seatflow.nextDue()
  parts.times.set({ lastRunAt: at })
  if (hasCome(due.reminderAt, at)) await remind(parts, at)
  const own = parts.times.get()
  if (hasCome(due.attemptAt, at) || hasCome(own.checkAt, at) || hasCome(own.recheckAt, at)) {
    parts.times.set({ checkAt: null, recheckAt: null })
    heard(parts, await parts.seatflow.process())
  }
  if (parts.syncMs !== null && hasCome(parts.times.get().syncAt, at)) {
    parts.times.set({ syncAt: at + parts.syncMs })
    logSync(parts.log, await parts.seatflow.syncNow())
  }
}
