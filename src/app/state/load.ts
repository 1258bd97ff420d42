import { Aggregate } from '../../domain/decider'
import { decodeOrThrow, UndecodableEventError } from '../../domain/envelope'
import { DomainEvent } from '../../domain/events'
import { EventStore, ExpectedRevision } from '../../store/port'
import { AggregateCache, snapshotEvery } from './cache'

/** A state, the revision it was read at and the global position of that revision (0: no stream). */
export interface Loaded<S> {
  readonly state: S
  readonly revision: ExpectedRevision
  readonly position: number
}

/** Where aggregates are read from: the store and this seatflow's cache of its streams. */
export interface Reader {
  readonly store: EventStore
  readonly cache: AggregateCache
}

/**
 * Rebuild an aggregate from its stream, up to a global position if one is given. It starts from
 * the latest state this seatflow has of the stream (or its persisted snapshot) when that state is
 * not past `until`, and reads only the events after it. A stream holding an event of another
 * aggregate is a broken store: the read stops there.
 */
export const load = async <C, S, Ev extends DomainEvent>(
  reader: Reader, aggregate: Aggregate<C, S, Ev>, id: string, until = Number.POSITIVE_INFINITY,
): Promise<Loaded<S>> => {
  const streamId = aggregate.streamOf(id)
  const start = reader.cache.get(streamId, aggregate.name, until) ?? reader.cache.snapshot(streamId, aggregate.name, until)
  let state = start === undefined ? aggregate.initialState : start.state as S
  let revision: ExpectedRevision = start?.revision ?? 'no_stream'
  let position = start?.position ?? 0
  let read = 0
  for (const raw of await reader.store.readStream(streamId, { fromRevision: revision === 'no_stream' ? 0 : revision + 1 })) {
    if (raw.position > until) break
    const event = decodeOrThrow(raw)
    if (!(aggregate.eventTypes as ReadonlyArray<string>).includes(event.type)) {
      throw new UndecodableEventError({
        _tag: 'UndecodableEvent', streamId, revision: raw.revision, position: raw.position, eventType: raw.type,
        reason: `a ${aggregate.name} stream cannot hold a ${raw.type} event`,
      })
    }
    state = aggregate.evolve(state, event as unknown as Ev)
    revision = raw.revision
    position = raw.position
    read += 1
  }
  if (revision !== 'no_stream') remember(reader.cache, streamId, { aggregate: aggregate.name, state, revision, position }, read)
  return { state, revision, position }
}

/** Keep a state read or written; persist it as a snapshot when `sinceSnapshot` events were folded since the last one. */
export const remember = (cache: AggregateCache, streamId: string, entry: Parameters<AggregateCache['put']>[1], sinceSnapshot: number): void => {
  cache.put(streamId, entry)
  if (sinceSnapshot >= snapshotEvery) cache.persist(streamId, entry)
}

/** Whether an append from `before` to `after` passed a multiple of the snapshot interval. */
export const passedSnapshot = (before: ExpectedRevision, after: number): boolean =>
  Math.floor((after + 1) / snapshotEvery) > Math.floor(((before === 'no_stream' ? -1 : before) + 1) / snapshotEvery)
