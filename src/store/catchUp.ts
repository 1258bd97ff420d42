import { BatchHandler, CatchUpSubscription, EventStore, SubscribeOptions } from './port'

/** Resolves once the store holds an event after `position`, or when `signal` aborts. */
export type WaitForEvents = (position: number, signal: AbortSignal) => Promise<void>

/**
 * A catch-up subscription made of reads: read everything after the last delivered position,
 * then wait until the store has more. Used by the stores that have no push of their own.
 */
export const subscribeByReading = (
  store: Pick<EventStore, 'readAll'>, waitForEvents: WaitForEvents, options: SubscribeOptions, onBatch: BatchHandler,
): CatchUpSubscription => {
  const controller = new AbortController()
  const { signal } = controller
  let after = options.after
  const run = async (): Promise<void> => {
    while (!signal.aborted) {
      for await (const batch of store.readAll({ after, ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }) })) {
        if (signal.aborted) return
        await onBatch(batch)
        after = batch[batch.length - 1]?.position ?? after
      }
      await waitForEvents(after, signal)
    }
  }
  const done = run()
  // A subscription nobody awaits must not crash the process: `done` still rejects for those who do.
  done.catch(() => undefined)
  return {
    stop: async () => {
      controller.abort()
      await done.catch(() => undefined)
    },
    done,
  }
}

/** Wait `ms`, or less when `signal` aborts. */
export const pause = (ms: number, signal: AbortSignal): Promise<void> => new Promise((resolve) => {
  if (signal.aborted) return resolve()
  const timer = setTimeout(() => { signal.removeEventListener('abort', wake); resolve() }, ms)
  const wake = (): void => { clearTimeout(timer); resolve() }
  signal.addEventListener('abort', wake, { once: true })
  return undefined
})
