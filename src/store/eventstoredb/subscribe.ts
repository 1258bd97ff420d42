import { excludeSystemEvents, streamNameFilter } from '@eventstore/db-client'
import { BatchHandler, CatchUpSubscription, StoredEvent, SubscribeOptions } from '../port'
import { fromResolved, startAfter } from './codec'
import { failureOf } from './errors'
import type { Connection } from './events'

/**
 * A catch-up subscription to $all on the server: filtered there (system events, or streams
 * outside the namespace), checked again here, batched by what has already arrived.
 */
export const subscribeToAll = (connection: Connection, options: SubscribeOptions, onBatch: BatchHandler): CatchUpSubscription => {
  const size = options.batchSize ?? 1000
  const subscription = connection.client.subscribeToAll({
    fromPosition: startAfter(options.after),
    filter: connection.namespace === '' ? excludeSystemEvents() : streamNameFilter({ prefixes: [connection.namespace] }),
  })
  let stopped = false
  let last = options.after
  const run = async (): Promise<void> => {
    let batch: StoredEvent[] = []
    try {
      for await (const resolved of subscription) {
        if (stopped) return
        const event = fromResolved(resolved, connection.namespace)
        if (event !== undefined && event.position > last) {
          last = event.position
          batch.push(event)
        }
        if (batch.length > 0 && (batch.length >= size || subscription.readableLength === 0)) {
          await onBatch(batch)
          batch = []
        }
      }
    } catch (error) {
      if (stopped) return
      throw failureOf(error, { address: connection.address, operation: 'subscription to $all' })
    } finally {
      await subscription.unsubscribe()
    }
  }
  const done = run()
  done.catch(() => undefined)
  return {
    stop: async () => {
      stopped = true
      await subscription.unsubscribe()
      subscription.destroy()
      await done.catch(() => undefined)
    },
    done,
  }
}
