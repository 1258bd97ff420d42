import * as E from 'fp-ts/Either'
import { SeatflowError } from './errors'
import { DomainEvent } from './events'

/** What a decider answers: the events a command records, or why it refuses. */
export type Decision<Ev> = E.Either<SeatflowError, ReadonlyArray<Ev>>

/**
 * A decider (Chassaing): `decide` what a command records given the state, `evolve` the state by
 * what was recorded, from `initialState`. Both pure; evolve has no rules and never refuses.
 */
export interface Decider<C, S, Ev> {
  readonly decide: (command: C, state: S) => Decision<Ev>
  readonly evolve: (state: S, event: Ev) => S
  readonly initialState: S
}

/** A decider and its streams: how an instance's stream is named and which events it may hold. */
export interface Aggregate<C, S, Ev extends DomainEvent> extends Decider<C, S, Ev> {
  readonly name: string
  readonly streamOf: (id: string) => string
  readonly eventTypes: ReadonlyArray<Ev['type']>
}
