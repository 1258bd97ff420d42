import * as E from 'fp-ts/Either'
import { AppendError, AppendResult, ExpectedRevision, StreamAppend } from './port'
import { EncodedEvent, encodeEvent } from './rows'

/** Where an event id already stands. */
export interface IdPlace {
  readonly streamId: string
  readonly revision: number
  readonly position: number
}

/** What an adapter can tell about its current state, inside the append's transaction. */
export interface AppendLookup {
  readonly lastRevision: (streamId: string) => ExpectedRevision
  readonly lastPosition: () => number
  readonly locate: (eventId: string) => IdPlace | undefined
}

/** Where appended events landed, each of them. */
export type Placed = AppendResult & { readonly positions: ReadonlyArray<number> }

/** Writes events to a stream from a first revision; answers where they landed. */
export type WriteEvents = (streamId: string, firstRevision: number, events: ReadonlyArray<EncodedEvent>) => Placed

/** What an append must do: write from a first revision, or answer without writing. */
export type AppendPlan =
  | { readonly _tag: 'Write'; readonly firstRevision: number }
  | { readonly _tag: 'Answer'; readonly result: Placed }

const firstRepeated = (ids: ReadonlyArray<string>): string | undefined => {
  const seen = new Set<string>()
  return ids.find((id) => (seen.has(id) ? true : (seen.add(id), false)))
}

const duplicate = (streamId: string, eventId: string): E.Either<AppendError, AppendPlan> =>
  E.left({ _tag: 'DuplicateEventId', streamId, eventId })

const answer = (nextExpectedRevision: number, position: number, positions: ReadonlyArray<number> = []): E.Either<AppendError, AppendPlan> =>
  E.right({ _tag: 'Answer', result: { nextExpectedRevision, position, positions } })

/** Check ids, then revision: an idempotent retry answers whatever the expected revision is. */
const planByIds = (streamId: string, ids: ReadonlyArray<string>, lookup: AppendLookup)
: E.Either<AppendError, AppendPlan> | undefined => {
  const repeated = firstRepeated(ids)
  if (repeated !== undefined) return duplicate(streamId, repeated)
  const places = ids.map(lookup.locate)
  const last = places[places.length - 1]
  if (last !== undefined && places.every((place) => place?.streamId === streamId)) {
    return answer(last.revision, last.position, places.map((place) => place?.position ?? 0))
  }
  const offending = ids.find((_, i) => places[i] !== undefined && places[i]?.streamId !== streamId)
    ?? ids.find((_, i) => places[i] !== undefined)
  return offending === undefined ? undefined : duplicate(streamId, offending)
}

/** Decide an append from the store's state: the one place the memory and SQLite adapters take their semantics from. */
export const planAppend = (
  streamId: string, expected: ExpectedRevision, ids: ReadonlyArray<string>, lookup: AppendLookup,
): E.Either<AppendError, AppendPlan> => {
  const actual = lookup.lastRevision(streamId)
  if (ids.length === 0) return answer(actual === 'no_stream' ? -1 : actual, lookup.lastPosition())
  const byIds = planByIds(streamId, ids, lookup)
  if (byIds !== undefined) return byIds
  if (actual !== expected) return E.left({ _tag: 'WrongExpectedRevision', streamId, expected, actual })
  return E.right({ _tag: 'Write', firstRevision: actual === 'no_stream' ? 0 : actual + 1 })
}

/** Plan an append and carry it out: answer without writing, or write from the first revision. */
export const appendByPlan = (
  streamId: string, expected: ExpectedRevision, events: ReadonlyArray<EncodedEvent>, lookup: AppendLookup, write: WriteEvents,
): E.Either<AppendError, AppendResult> => {
  const plan = planAppend(streamId, expected, events.map((event) => event.eventId), lookup)
  if (E.isLeft(plan)) return plan
  const { nextExpectedRevision, position } = plan.right._tag === 'Answer' ? plan.right.result : write(streamId, plan.right.firstRevision, events)
  return E.right({ nextExpectedRevision, position })
}

const repeatedAcross = (appends: ReadonlyArray<StreamAppend>): AppendError | undefined => {
  const owner = new Map<string, string>()
  for (const { streamId, events } of appends) {
    for (const { eventId } of events) {
      if (owner.has(eventId) && owner.get(eventId) !== streamId) return { _tag: 'DuplicateEventId', streamId, eventId }
      owner.set(eventId, streamId)
    }
  }
  return undefined
}

/**
 * Appends to several streams as one: every stream is planned against the store's state before
 * anything is written, so one refusal writes nothing. Run it inside the adapter's transaction.
 */
export const appendAllByPlan = (appends: ReadonlyArray<StreamAppend>, lookup: AppendLookup, write: WriteEvents)
: E.Either<AppendError, ReadonlyArray<Placed>> => {
  const repeated = repeatedAcross(appends)
  if (repeated !== undefined) return E.left(repeated)
  const streams = new Set(appends.map((append) => append.streamId))
  if (streams.size !== appends.length) throw new Error('appendMany takes each stream once: merge the events of a stream into one append')
  const plans: AppendPlan[] = []
  for (const append of appends) {
    const plan = planAppend(append.streamId, append.expected, append.events.map((event) => event.eventId), lookup)
    if (E.isLeft(plan)) return plan
    plans.push(plan.right)
  }
  return E.right(appends.map((append, index) => {
    const plan = plans[index] as AppendPlan
    return plan._tag === 'Answer' ? plan.result : write(append.streamId, plan.firstRevision, append.events.map(encodeEvent))
  }))
}
