/** When the store says work falls due (seatflow.nextDue()): ISO times or null. */
export interface Due {
  readonly reminderAt: string | null
  readonly attemptAt: string | null
}

/** What the worker set for itself, in epoch milliseconds by the seatflow's clock (null: nothing). */
export interface OwnTimes {
  /** An accepted attempt waits for its next check (the provider gave no Retry-After). */
  readonly checkAt: number | null
  /** Work that could not be done is tried again: a mail refused, work another instance holds. */
  readonly recheckAt: number | null
  /** The next sync of the automatic providers. */
  readonly syncAt: number | null
  /** The clock's time at the last run, or null before the first. */
  readonly lastRunAt: number | null
}

/**
 * When the worker wakes next, by the seatflow's clock; null: nothing is due, ever, until the log
 * moves. A time the store gives that was due already at the last run was acted on then and is
 * still due (a mail refused, another instance at it, a change held back): it is looked at again
 * `recheckMs` after that run, never in a busy loop. A time that fell due since the last run is
 * due at once.
 */
export const nextWake = (due: Due, own: OwnTimes, recheckMs: number): number | null => {
  const fromStore = [due.reminderAt, due.attemptAt].flatMap((at) => {
    if (at === null) return []
    const time = Date.parse(at)
    return [own.lastRunAt !== null && time <= own.lastRunAt ? own.lastRunAt + recheckMs : time]
  })
  const times = [...fromStore, own.checkAt, own.recheckAt, own.syncAt].filter((time): time is number => time !== null)
  return times.length === 0 ? null : Math.min(...times)
}

/** Whether a time (ISO or epoch ms) has come by `now`. */
export const hasCome = (at: string | number | null, now: number): boolean =>
  at !== null && (typeof at === 'number' ? at : Date.parse(at)) <= now
