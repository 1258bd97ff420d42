/** Runs tasks one after another, in the order they were given: one seatflow's writes never race each other. */
export interface Lane {
  readonly run: <A>(task: () => Promise<A>) => Promise<A>
}

/** A lane: each task starts when the one before it has settled, whatever its outcome. */
export const createLane = (): Lane => {
  let tail: Promise<unknown> = Promise.resolve()
  return {
    run: <A>(task: () => Promise<A>): Promise<A> => {
      const result = tail.then(task, task)
      tail = result.catch(() => undefined)
      return result
    },
  }
}
