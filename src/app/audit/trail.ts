import * as E from 'fp-ts/Either'
import { decodeOrThrow, Recorded } from '../../domain/envelope'
import { SeatflowError } from '../../domain/errors'
import { DomainEvent, licenseChangeStream, subscriptionStream } from '../../domain/events'
import { licenseChangeIdFor } from '../../domain/ids'
import { EventStore } from '../../store/port'
import { Aggregate } from '../../domain/decider'
import { licenseChanges } from '../../domain/licenseChange'
import { subscriptions } from '../../domain/subscription'
import { isChangeEvent } from '../../workflows/licenseChangeRecording'

/** One event of a trail: when, who, what caused it and what it left behind. */
export interface TrailRow {
  readonly position: number
  readonly occurredAt: string
  readonly streamId: string
  readonly revision: number
  readonly eventId: string
  readonly type: string
  readonly actor: string
  readonly correlationId: string
  /** The event that caused this one (by id and type), or null for a person's or host's command. */
  readonly causedBy: { readonly eventId: string; readonly type: string | null } | null
  /** The License Change it concerns, if any. */
  readonly licenseChangeId: string | null
  /** The resulting status: a License Change's provisioning status, or a subscription's quantity. */
  readonly result: string
}

/** What a trail follows. */
export type TrailSubject =
  | { readonly subscriptionId: string }
  | { readonly licenseChangeId: string }

type Describe<S> = (state: S) => string

const fold = <C, S, Ev extends DomainEvent>(events: ReadonlyArray<Recorded>, aggregate: Aggregate<C, S, Ev>, describe: Describe<S>)
: ReadonlyArray<readonly [Recorded, string]> => {
  let state = aggregate.initialState
  return events.map((event) => {
    if ((aggregate.eventTypes as ReadonlyArray<string>).includes(event.type)) state = aggregate.evolve(state, event as unknown as Ev)
    return [event, describe(state)] as const
  })
}

const subscriptionResult: Describe<typeof subscriptions.initialState> = (s) => {
  if (s.status === 'None') return ''
  return s.status === 'Active' ? `quantity ${s.quantity}` : `quantity ${s.quantity}, ${s.status.toLowerCase()}`
}
const changeResult: Describe<typeof licenseChanges.initialState> = (s) => {
  if (s.status === 'None') return ''
  return s.billingRunId === null ? s.status : `${s.status}, invoiced by ${s.billingRunId}`
}

const readStream = async (store: EventStore, streamId: string): Promise<ReadonlyArray<Recorded>> =>
  (await store.readStream(streamId)).map(decodeOrThrow)

const quantityEventIds = (events: ReadonlyArray<Recorded>): ReadonlyArray<string> =>
  events.filter(isChangeEvent).map((e) => e.eventId)

/** The types of the causes no stream read so far holds: one scan up to the last event of the trail, stopped once all are found. */
const findCauses = async (store: EventStore, wanted: Set<string>, until: number, known: Map<string, string>): Promise<void> => {
  if (wanted.size === 0) return
  for await (const batch of store.readAll({ after: 0, until })) {
    for (const event of batch) {
      if (wanted.delete(event.eventId)) known.set(event.eventId, decodeOrThrow(event).type)
    }
    if (wanted.size === 0) return
  }
}

const toRows = async (store: EventStore, rows: ReadonlyArray<readonly [Recorded, string]>, context: ReadonlyArray<Recorded>)
: Promise<ReadonlyArray<TrailRow>> => {
  const known = new Map([...context, ...rows.map(([e]) => e)].map((e) => [e.eventId, e.type]))
  const sorted = [...rows].sort(([a], [b]) => a.position - b.position)
  const wanted = new Set(sorted.flatMap(([e]) => e.metadata.causationId === null || known.has(e.metadata.causationId) ? [] : [e.metadata.causationId]))
  await findCauses(store, wanted, sorted[sorted.length - 1]?.[0].position ?? 0, known)
  return sorted.map(([event, result]) => ({
    position: event.position, occurredAt: event.metadata.occurredAt, streamId: event.streamId, revision: event.revision,
    eventId: event.eventId, type: event.type, actor: event.metadata.actor, correlationId: event.metadata.correlationId,
    causedBy: event.metadata.causationId === null ? null : { eventId: event.metadata.causationId, type: known.get(event.metadata.causationId) ?? null },
    licenseChangeId: 'licenseChangeId' in event.data ? event.data.licenseChangeId : null,
    result,
  }))
}

const subscriptionTrail = async (store: EventStore, subscriptionId: string): Promise<E.Either<SeatflowError, ReadonlyArray<TrailRow>>> => {
  const own = await readStream(store, subscriptionStream(subscriptionId))
  if (own.length === 0) return E.left({ _tag: 'SubscriptionNotFound', subscriptionId })
  const changes = await Promise.all(quantityEventIds(own).map((id) => readStream(store, licenseChangeStream(licenseChangeIdFor(id)))))
  const created = own[0]
  const parentId = created?.type === 'SubscriptionCreated' ? created.data.bundle?.parentId : undefined
  const parent = parentId === undefined ? [] : await readStream(store, subscriptionStream(parentId))
  const rows = [...fold(own, subscriptions, subscriptionResult), ...changes.flatMap((c) => fold(c, licenseChanges, changeResult))]
  return E.right(await toRows(store, rows, parent))
}

const changeTrail = async (store: EventStore, licenseChangeId: string): Promise<E.Either<SeatflowError, ReadonlyArray<TrailRow>>> => {
  const own = await readStream(store, licenseChangeStream(licenseChangeId))
  const recorded = own[0]
  if (recorded === undefined) return E.left({ _tag: 'LicenseChangeNotFound', licenseChangeId })
  const subscription = recorded.type === 'LicenseChangeRecorded' ? await readStream(store, subscriptionStream(recorded.data.subscriptionId)) : []
  // The quantity change that started it, with the subscription's quantity after it.
  const trigger = fold(subscription, subscriptions, subscriptionResult).filter(([e]) => e.eventId === recorded.metadata.causationId)
  return E.right(await toRows(store, [...trigger, ...fold(own, licenseChanges, changeResult)], subscription))
}

/**
 * Every event that concerns a subscription (its own, and those of its License Changes) or one
 * License Change (with the quantity change that started it), in log order, with what caused each
 * and the resulting status. Reads the streams concerned, not the whole log; only a cause that
 * none of them holds is looked up in the log before the trail's last event.
 */
export const trail = (store: EventStore, subject: TrailSubject): Promise<E.Either<SeatflowError, ReadonlyArray<TrailRow>>> =>
  'subscriptionId' in subject ? subscriptionTrail(store, subject.subscriptionId) : changeTrail(store, subject.licenseChangeId)
