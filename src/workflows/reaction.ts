import { EventMetadata } from '../domain/envelope'
import { SeatflowError } from '../domain/errors'
import { DomainEvent } from '../domain/events'
import { LicenseChangeCommand } from '../domain/licenseChange'
import { SubscriptionCommand } from '../domain/subscription'
import { LicenseChangeId, SubscriptionId } from '../domain/values'

/** What a reaction reacts to: a domain event with its id and metadata (a recorded event is one, so is one just decided). */
export type Cause<Ev extends DomainEvent = DomainEvent> = Ev & { readonly eventId: string; readonly metadata: EventMetadata }

/** What every reaction command says besides itself: the name its event ids derive from, and the refusals that mean nothing is left to do. */
interface ReactionBase {
  /** The n-th event it records gets the id derived from `${idsFrom}:${n}`: a re-run records nothing new. */
  readonly idsFrom: string
  readonly moot?: ReadonlyArray<SeatflowError['_tag']>
}

/** A command a reaction causes, on the instance it is for. */
export type Reaction =
  | ReactionBase & { readonly on: 'licenseChange'; readonly id: LicenseChangeId; readonly command: LicenseChangeCommand }
  | ReactionBase & { readonly on: 'subscription'; readonly id: SubscriptionId; readonly command: SubscriptionCommand }

/** The metadata of what a reaction records: at its cause's time, by seatflow, caused by it, in its correlation. */
export const reactionMetadata = (cause: Cause, occurredAt = cause.metadata.occurredAt): EventMetadata => ({
  occurredAt, actor: 'seatflow', correlationId: cause.metadata.correlationId, causationId: cause.eventId,
})
