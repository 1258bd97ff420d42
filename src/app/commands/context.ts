import * as E from 'fp-ts/Either'
import { EventMetadata } from '../../domain/envelope'
import { SeatflowError } from '../../domain/errors'
import { Clock } from '../../providers/clock'
import { Writer } from './handler'
import * as I from './inputs'
import { newId } from './newId'

/** What the commands run on: the writer, the clock, and who a command is by when it names nobody. */
export interface CommandContext {
  readonly writer: Writer
  readonly clock: Clock
  readonly actor: string
}

/** A command's answer: what it made, or why it was refused (then nothing was written). */
export type Result<A> = Promise<E.Either<SeatflowError, A>>

/** The metadata of a command's events: now, by its actor, in its correlation. */
export const commandMetadata = (context: CommandContext, trace: I.Trace): EventMetadata => ({
  occurredAt: context.clock.now().toISOString(),
  actor: trace.actor ?? context.actor,
  correlationId: trace.correlationId ?? newId(),
  causationId: null,
})

/** A person's command is by that person unless it names another actor. */
export const personMetadata = (context: CommandContext, valid: I.Trace & { readonly by: string }): EventMetadata =>
  commandMetadata(context, { ...valid, actor: valid.actor ?? valid.by })

/** Validate, then run: a refused input writes nothing. */
export const validated = <V, A>(valid: E.Either<SeatflowError, V>, run: (valid: V) => Result<A>): Result<A> =>
  E.isLeft(valid) ? Promise.resolve(valid) : run(valid.right)

/** Events with fresh ids. */
export const fresh = { eventId: newId }

