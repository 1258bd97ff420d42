/** Where time comes from. The domain never reads a clock; the application puts time into commands. */
export interface Clock {
  readonly now: () => Date
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() }

/** A clock that moves only when told: for the demo, examples and tests. */
export const createSimulatedClock = (start: Date | string) => {
  let current = new Date(start).getTime()
  return {
    now: (): Date => new Date(current),
    /** Move by a number of hours (negative: backwards). */
    advanceHours: (hours: number): void => { current += hours * 3_600_000 },
    set: (to: Date | string): void => { current = new Date(to).getTime() },
  }
}
