import * as E from 'fp-ts/Either'
import { Aggregate } from '../../domain/decider'
import { EventMetadata, Recorded } from '../../domain/envelope'
import { SeatflowError } from '../../domain/errors'
import { DomainEvent } from '../../domain/events'
import { withSchemaVersion } from '../../domain/schema'
import { AppendError, ExpectedRevision, NewEvent, StreamAppended } from '../../store/port'
import { load, passedSnapshot, Reader, remember } from './load'

/** How the events a command decides are stamped: its metadata, and the id of the n-th event. */
export interface Stamp<Ev> {
  readonly metadata: EventMetadata
  readonly eventId: (index: number, event: Ev) => string
}

/** An event decided in this unit, not yet committed: what reactions and views see of it. */
export interface StagedEvent {
  readonly streamId: string
  readonly eventId: string
  readonly event: DomainEvent
  readonly metadata: EventMetadata
}

/** An instance touched for writing: the revision the commit expects, and its state with what is staged. */
interface Head {
  readonly aggregate: string
  readonly expected: ExpectedRevision
  readonly evolve: (state: unknown, event: DomainEvent) => unknown
  state: unknown
  readonly staged: StagedEvent[]
}

/** What a commit wrote: every event with its place in the store, when the store says it exactly. */
export interface Committed {
  readonly events: ReadonlyArray<Recorded>
  /** Whether `events` are all of the unit with their exact positions (stores with atomic multi-stream appends). */
  readonly exact: boolean
}

/**
 * A unit of work: the states a command and its reactions decide on, and the events they stage,
 * committed together (one transaction where the store can append to several streams at once).
 */
export const openSession = (reader: Reader) => {
  const heads = new Map<string, Head>()
  const order: string[] = []
  const staged: StagedEvent[] = []

  const headOf = async <C, S, Ev extends DomainEvent>(aggregate: Aggregate<C, S, Ev>, id: string): Promise<Head> => {
    const streamId = aggregate.streamOf(id)
    const found = heads.get(streamId)
    if (found !== undefined) return found
    const loaded = await load(reader, aggregate, id)
    const head: Head = {
      aggregate: aggregate.name, expected: loaded.revision, state: loaded.state, staged: [],
      evolve: aggregate.evolve as unknown as Head['evolve'],
    }
    heads.set(streamId, head)
    return head
  }

  return {
    /** An instance's state now, with what this unit staged; the first look fixes the revision the commit expects. */
    current: async <C, S, Ev extends DomainEvent>(aggregate: Aggregate<C, S, Ev>, id: string): Promise<S> =>
      (await headOf(aggregate, id)).state as S,

    /** An instance's state as of a global position (what a reaction's cause saw), without this unit's events. */
    asOf: async <C, S, Ev extends DomainEvent>(aggregate: Aggregate<C, S, Ev>, id: string, position: number): Promise<S> =>
      (await load(reader, aggregate, id, position)).state,

    /** Decide a command against the instance's current state and stage what it records. */
    decide: async <C, S, Ev extends DomainEvent>(aggregate: Aggregate<C, S, Ev>, id: string, command: C, stamp: Stamp<Ev>)
    : Promise<E.Either<SeatflowError, ReadonlyArray<StagedEvent>>> => {
      const head = await headOf(aggregate, id)
      const decision = aggregate.decide(command, head.state as S)
      if (E.isLeft(decision)) return decision
      const streamId = aggregate.streamOf(id)
      if (decision.right.length > 0 && head.staged.length === 0) order.push(streamId)
      const made = decision.right.map((event, index): StagedEvent => {
        const one: StagedEvent = { streamId, eventId: stamp.eventId(index, event), event, metadata: stamp.metadata }
        head.staged.push(one)
        head.state = head.evolve(head.state, { ...event, metadata: stamp.metadata } as unknown as DomainEvent)
        return one
      })
      staged.push(...made)
      return E.right(made)
    },

    /** Everything staged, in the order it was decided. */
    staged: (): ReadonlyArray<StagedEvent> => staged,

    /**
     * Write it all: in one transaction where the store can (then `within` runs inside it with the
     * events as recorded, so what it writes to the transactional views commits with them), else
     * stream by stream in order. Remembers the new states. `durable` false: the events record an
     * idempotent effect, and the store may spare the disk sync (see AppendManyOptions).
     */
    commit: (within?: (events: ReadonlyArray<Recorded>) => void, durable = true): Promise<E.Either<AppendError, Committed>> =>
      commitHeads(reader, order.map((streamId) => ({ streamId, head: heads.get(streamId) as Head })), within, durable),
  }
}

/** The streams a unit writes, each with its head. */
type Written = ReadonlyArray<{ readonly streamId: string; readonly head: Head }>

const commitHeads = async (reader: Reader, written: Written, within: ((events: ReadonlyArray<Recorded>) => void) | undefined, durable: boolean)
: Promise<E.Either<AppendError, Committed>> => {
  if (written.length === 0) return E.right({ events: [], exact: true })
  const store = reader.store
  if (store.appendMany === undefined) {
    for (const { streamId, head } of written) {
      const appended = await store.append(streamId, head.expected, head.staged.map(newEventOf))
      if (E.isLeft(appended)) return appended
      rememberHead(reader, streamId, head, appended.right.nextExpectedRevision, appended.right.position)
    }
    return E.right({ events: [], exact: false })
  }
  let events: ReadonlyArray<Recorded> = []
  const appended = await store.appendMany(written.map(({ streamId, head }) => ({ streamId, expected: head.expected, events: head.staged.map(newEventOf) })), {
    durable,
    within: (placed) => {
      events = recordedAll(written, placed)
      within?.(events)
    },
  })
  if (E.isLeft(appended)) return appended
  written.forEach(({ streamId, head }, index) => {
    const result = appended.right[index]
    if (result !== undefined) rememberHead(reader, streamId, head, result.nextExpectedRevision, result.position)
  })
  return E.right({ events, exact: true })
}

/** The staged events with the revisions and positions the store gave them. */
const recordedAll = (written: Written, placed: ReadonlyArray<StreamAppended>)
: ReadonlyArray<Recorded> => written.flatMap(({ streamId, head }, index) => {
  const result = placed[index]
  if (result === undefined) throw new Error(`the store answered no result for stream ${streamId}`)
  const first = result.nextExpectedRevision - head.staged.length + 1
  return head.staged.map((event, k) => recordedOf(event, first + k, result.positions[k] ?? result.position))
})

/** A unit of work. */
export type Session = ReturnType<typeof openSession>

const rememberHead = (reader: Reader, streamId: string, head: Head, revision: number, position: number): void => {
  const entry = { aggregate: head.aggregate, state: head.state, revision, position }
  remember(reader.cache, streamId, entry, passedSnapshot(head.expected, revision) ? Number.POSITIVE_INFINITY : 0)
}

const newEventOf = ({ eventId, event, metadata }: StagedEvent): NewEvent =>
  ({ eventId, type: event.type, data: event.data, metadata: withSchemaVersion(metadata, event.type) })

const recordedOf = ({ streamId, eventId, event, metadata }: StagedEvent, revision: number, position: number): Recorded =>
  ({ ...event, eventId, streamId, revision, position, metadata }) as Recorded
