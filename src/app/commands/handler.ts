import * as E from 'fp-ts/Either'
import { Aggregate } from '../../domain/decider'
import { SeatflowError } from '../../domain/errors'
import { DomainEvent } from '../../domain/events'
import { reactWithin } from '../processes/reactions'
import { Reader } from '../state/load'
import { Recorded } from '../../domain/envelope'
import { Committed, openSession, Session, Stamp, StagedEvent } from '../state/session'

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

/** How often a unit that met a concurrent write from another process is decided again, and how long it waits between tries. */
export interface ConflictPolicy {
  readonly maxTries: number
  readonly firstWaitMs: number
  readonly maxWaitMs: number
}

/** Ten tries, waiting 2 ms doubling up to 100 ms, each with a random half of jitter: about half a second at most in all. */
export const defaultConflictPolicy: ConflictPolicy = { maxTries: 10, firstWaitMs: 2, maxWaitMs: 100 }

/** What every write of one seatflow goes through. */
export interface Writer {
  readonly reader: Reader
  readonly lane: Lane
  readonly conflicts: ConflictPolicy
  /** Runs inside every multi-stream commit with what it records (the views and the reactions' checkpoint follow it there). */
  readonly withinCommit?: (events: ReadonlyArray<Recorded>) => void
  /** Told of every commit once it is durable as asked. */
  readonly afterCommit?: (committed: Committed) => void
}

const wait = (policy: ConflictPolicy, tries: number): Promise<void> => {
  const ceiling = Math.min(policy.maxWaitMs, policy.firstWaitMs * 2 ** (tries - 1))
  return new Promise((resolve) => { setTimeout(resolve, ceiling / 2 + Math.random() * ceiling / 2) })
}

/**
 * How durable a unit's events must be. A command's facts (and its reactions') survive a power
 * loss. What processing records, and would redo the same way if it were lost, may be lost to one:
 * the outcome of an idempotent effect (a mail sent under its id, a gateway's answer to an attempt
 * under its idempotency key) or a hold the next run decides again. The next durable commit makes
 * it durable too.
 */
export type Durability = 'command' | 'effect record'

/**
 * Run a unit of work and commit it: in this seatflow's lane (its own writes never conflict), and
 * decided again from fresh state when another process wrote first, up to the policy's bound.
 * `work` stages events in the session and answers, or refuses (then nothing is written). On a
 * store with multi-stream appends every reaction that follows without I/O is staged with it, so
 * a unit and all that follows from it commit in one transaction.
 */
export const runUnit = <A>(writer: Writer, work: (session: Session) => Promise<E.Either<SeatflowError, A>>, durability: Durability = 'command')
: Promise<E.Either<SeatflowError, A>> => writer.lane.run(async () => {
  for (let tries = 1; ; tries += 1) {
    const session = openSession(writer.reader)
    const answer = await work(session)
    if (E.isLeft(answer)) return answer
    if (writer.reader.store.appendMany !== undefined) await reactWithin(session, writer.reader)
    const committed = await session.commit(writer.withinCommit, durability === 'command')
    if (E.isRight(committed)) {
      writer.afterCommit?.(committed.right)
      return answer
    }
    const refused = committed.left
    if (refused._tag === 'DuplicateEventId') {
      throw new Error(`event id ${refused.eventId} already stands in another stream than ${refused.streamId}: a derived id collided`)
    }
    if (tries >= writer.conflicts.maxTries) return E.left({ _tag: 'ConcurrencyConflict', streamId: refused.streamId, attempts: tries })
    await wait(writer.conflicts, tries)
  }
})

/** One command on one aggregate instance: what it reads, how its events are stamped, and its answer. */
export interface CommandSpec<C, S, Ev extends DomainEvent, A> {
  readonly aggregate: Aggregate<C, S, Ev>
  readonly id: string
  /** The command, from the instance's state and the other instances it reads (through `session.current`). */
  readonly command: (state: S, session: Session) => C | Promise<C>
  readonly stamp: Stamp<Ev>
  /** The answer, from the events decided (none when the command was a no-op). */
  readonly answer: (decided: ReadonlyArray<StagedEvent>) => A
}

/**
 * The one path of every command (Emmett's decider command handler): load the instance, build the
 * command, decide, stage; commit with the expected revisions (with the reactions, where the store
 * can); decide again on a concurrent write.
 */
export const handle = <C, S, Ev extends DomainEvent, A>(writer: Writer, spec: CommandSpec<C, S, Ev, A>)
: Promise<E.Either<SeatflowError, A>> => runUnit(writer, async (session) => {
  const state = await session.current(spec.aggregate, spec.id)
  const decided = await session.decide(spec.aggregate, spec.id, await spec.command(state, session), spec.stamp)
  return E.isLeft(decided) ? decided : E.right(spec.answer(decided.right))
})
