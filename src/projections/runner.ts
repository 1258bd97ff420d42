import { decodeOrThrow, Recorded } from '../domain/envelope'
import { EventStore, StoredEvent } from '../store/port'
import { ViewStore, ViewTransaction } from '../store/views'
import { Projection } from './projection'

/** Apply one event to the rows of every projection, inside a view transaction. */
export const applyEvent = (tx: ViewTransaction, projections: ReadonlyArray<Projection<unknown>>, event: Recorded): void => {
  for (const projection of projections) {
    const key = projection.route(event)
    if (key === null) continue
    const before = tx.get(projection.view, key)
    const after = projection.evolve(before, event)
    if (after === before) continue
    if (after === undefined) tx.delete(projection.view, key)
    else tx.put(projection.view, key, after)
    for (const index of projection.indexes) {
      // An index holds keys, not copies: it is written only when the row comes in or goes out.
      const was = before !== undefined && index.keep(before)
      const is = after !== undefined && index.keep(after)
      if (is && !was) tx.put(index.view, key, true)
      else if (was && !is) tx.delete(index.view, key)
    }
  }
}

/** What a catch-up did. */
export interface CatchUpResult {
  readonly events: number
  readonly position: number
}

/**
 * Apply a batch of events to the projections in one view transaction with the checkpoint `name`:
 * events at or before the stored checkpoint are skipped, so a batch seen twice changes nothing.
 * Answers how many events were applied.
 */
export const applyBatch = (
  views: ViewStore, projections: ReadonlyArray<Projection<unknown>>, name: string, batch: ReadonlyArray<StoredEvent>,
): number => {
  const decoded = batch.map(decodeOrThrow)
  let applied = 0
  views.update(name, (tx, checkpoint) => {
    let position = checkpoint
    for (const event of decoded) {
      if (event.position <= checkpoint) continue
      applyEvent(tx, projections, event)
      position = event.position
      applied += 1
    }
    return position
  })
  return applied
}

/**
 * Feed the projections every event after their stored checkpoint, batch by batch; each batch
 * and its checkpoint are written in one transaction. An unreadable event stops the catch-up.
 */
export const catchUp = async (
  events: EventStore, views: ViewStore, projections: ReadonlyArray<Projection<unknown>>,
  options: { readonly name: string; readonly batchSize?: number; readonly until?: number; readonly onBatch?: (done: number) => void },
): Promise<CatchUpResult> => {
  let applied = 0
  const after = views.checkpoint(options.name)
  const read = events.readAll({ after, ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }), ...(options.until === undefined ? {} : { until: options.until }) })
  for await (const batch of read) {
    applied += applyBatch(views, projections, options.name, batch)
    options.onBatch?.(applied)
  }
  return { events: applied, position: views.checkpoint(options.name) }
}
