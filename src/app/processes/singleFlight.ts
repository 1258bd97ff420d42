/**
 * One run at a time: a call while a run is going waits for it, then for one more run that starts
 * after the call (what it asked for may have come after the running one looked), shared by every
 * caller that came meanwhile.
 */
export const singleFlight = <A>(run: () => Promise<A>): (() => Promise<A>) => {
  let running: Promise<A> | null = null
  let queued: Promise<A> | null = null
  const call = (): Promise<A> => {
    if (running === null) {
      running = run().finally(() => { running = null })
      return running
    }
    queued ??= running.catch(() => undefined).then(() => {
      queued = null
      return call()
    })
    return queued
  }
  return call
}
