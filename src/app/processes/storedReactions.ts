import * as E from 'fp-ts/Either'
import { decodeOrThrow } from '../../domain/envelope'
import { EventStore } from '../../store/port'
import { ViewStore } from '../../store/views'
import { runUnit, Writer } from '../commands/handler'
import { reactionsTo, stageReactions, worldAt } from './reactions'

/** The checkpoint of the reactions: every event up to it has its reactions on record. */
export const reactionsCheckpoint = 'reactions'

/** What the reactions of stored events did: events looked at, and events they wrote. */
export interface ReactionsRun {
  readonly seen: number
  readonly wrote: number
}

/**
 * Run the reactions on every stored event after their checkpoint, up to `upTo` or beyond (events
 * written without their reactions: by a store without multi-stream appends, an import, or an older
 * seatflow). Their output has ids derived from the triggering event, so a second run writes nothing new.
 */
export const runStoredReactions = async (store: EventStore, views: ViewStore, writer: Writer, upTo: number): Promise<ReactionsRun> => {
  const stored = views.checkpoint(reactionsCheckpoint)
  let after = stored
  let seen = 0
  let wrote = 0
  if (stored >= upTo) return { seen, wrote }
  for await (const batch of store.readAll({ after, batchSize: 500 })) {
    for (const event of batch.map(decodeOrThrow)) {
      await runUnit(writer, async (session) => {
        await stageReactions(session, event, await reactionsTo(event, worldAt(session, writer.reader, event.position), session))
        wrote += session.staged().length
        return E.right(undefined)
      })
      seen += 1
      after = event.position
    }
  }
  if (after !== stored) views.update(reactionsCheckpoint, (_tx, checkpoint) => Math.max(checkpoint, after))
  return { seen, wrote }
}
