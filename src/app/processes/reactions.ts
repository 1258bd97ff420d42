import * as E from 'fp-ts/Either'
import { Aggregate } from '../../domain/decider'
import { decodeOrThrow, Recorded } from '../../domain/envelope'
import { DomainEvent, EventOf } from '../../domain/events'
import { derivedId, licenseChangeIdFor } from '../../domain/ids'
import { licenseChanges } from '../../domain/licenseChange'
import { providers } from '../../domain/provider'
import { settings } from '../../domain/settings'
import { subscriptions } from '../../domain/subscription'
import { attachToParent, bundleCascade, ChildAtChange } from '../../workflows/bundle'
import { ChangeEvent, isChangeEvent, recordLicenseChange, withdrawOnMove } from '../../workflows/licenseChangeRecording'
import { Cause, Reaction, reactionMetadata } from '../../workflows/reaction'
import { EarlierChange, supersession } from '../../workflows/supersession'
import { load, Reader } from '../state/load'
import { Session } from '../state/session'

/** The world as a cause saw it: the states it acted on, and what came after it. */
export interface World {
  readonly seen: <C, S, Ev extends DomainEvent>(aggregate: Aggregate<C, S, Ev>, id: string) => Promise<S>
  /** Whether a subscription recorded anything after the cause. */
  readonly changedSince: (subscriptionId: string) => Promise<boolean>
  /** The events of a subscription before the cause that recorded License Changes, oldest first. */
  readonly quantityEventsBefore: (subscriptionId: string) => Promise<ReadonlyArray<Recorded>>
}


/** The world of a cause just decided in `session`: everything now, with what the session staged. */
export const worldOfSession = (session: Session, reader: Reader): World => ({
  seen: session.current,
  changedSince: async () => false,
  quantityEventsBefore: async (subscriptionId) =>
    (await reader.store.readStream(subscriptions.streamOf(subscriptionId))).map(decodeOrThrow).filter(isChangeEvent),
})

/** The world of a stored cause: every state as of its position. */
export const worldAt = (session: Session, reader: Reader, position: number): World => ({
  seen: (aggregate, id) => session.asOf(aggregate, id, position),
  changedSince: async (subscriptionId) => {
    const [then, now] = await Promise.all([load(reader, subscriptions, subscriptionId, position), load(reader, subscriptions, subscriptionId)])
    return then.revision !== now.revision
  },
  quantityEventsBefore: async (subscriptionId) =>
    (await reader.store.readStream(subscriptions.streamOf(subscriptionId))).map(decodeOrThrow)
      .filter((event) => event.position < position).filter(isChangeEvent),
})

const licenseChangeOf = async (cause: Cause<ChangeEvent>, world: World): Promise<E.Either<string, ReadonlyArray<Reaction>>> => {
  const subscription = await world.seen(subscriptions, cause.data.subscriptionId)
  const provider = subscription.status === 'None' ? providers.initialState : await world.seen(providers, subscription.providerId)
  return recordLicenseChange(cause, { subscription, provider, settings: await world.seen(settings, 'settings') })
}

const childrenAtChange = async (cause: Cause<EventOf<'SubscriptionQuantityChanged'>>, world: World, session: Session)
: Promise<ReadonlyArray<ChildAtChange>> => {
  const parent = await session.current(subscriptions, cause.data.subscriptionId)
  if (parent.status === 'None') return []
  return Promise.all(parent.children.map(async (child) => ({
    ...child,
    existedAtChange: (await world.seen(subscriptions, child.childId)).status !== 'None',
    changedSince: await world.changedSince(child.childId),
  })))
}

const earlierChanges = async (cause: Cause<EventOf<'SubscriptionQuantityChanged'>>, world: World): Promise<ReadonlyArray<EarlierChange>> =>
  cause.data.origin !== 'provider' ? [] : [...await world.quantityEventsBefore(cause.data.subscriptionId)].reverse().map((event) => ({
    licenseChangeId: licenseChangeIdFor(event.eventId),
    fromProvider: event.type === 'SubscriptionQuantityChanged' && event.data.origin === 'provider',
  }))

/** A cause, and where it stands when it is stored. */
type Placed = Cause & Partial<Pick<Recorded, 'streamId' | 'revision' | 'position'>>

const orBroken = (cause: Placed, found: E.Either<string, ReadonlyArray<Reaction>>): ReadonlyArray<Reaction> => {
  if (E.isRight(found)) return found.right
  const where = cause.position === undefined ? '' : ` at stream ${cause.streamId ?? '?'} revision ${cause.revision ?? '?'} (position ${cause.position})`
  throw new Error(`License Change for ${cause.type}${where}: ${found.left}`)
}

/** What an event causes: its License Change, a bundle's attachment and cascade, supersession, a move's withdrawals. The I/O around the pure workflows. */
export const reactionsTo = async (cause: Placed, world: World, session: Session): Promise<ReadonlyArray<Reaction>> => {
  switch (cause.type) {
    case 'SubscriptionCreated':
      return [...attachToParent(cause), ...orBroken(cause, await licenseChangeOf(cause, world))]
    case 'SubscriptionQuantityChanged':
      return [
        ...orBroken(cause, await licenseChangeOf(cause, world)),
        ...supersession(cause, await earlierChanges(cause, world)),
        ...bundleCascade(cause, await childrenAtChange(cause, world, session)),
      ]
    case 'SubscriptionCancelled':
    case 'SubscriptionReactivated':
      return orBroken(cause, await licenseChangeOf(cause, world))
    case 'SubscriptionMoved':
      return withdrawOnMove(cause)
    default:
      return []
  }
}

/** Decide each reaction on its instance and stage what it records; a refusal the reaction does not expect is a bug. */
export const stageReactions = async (session: Session, cause: Cause, reactions: ReadonlyArray<Reaction>): Promise<void> => {
  const metadata = reactionMetadata(cause)
  for (const reaction of reactions) {
    const stamp = { metadata, eventId: (index: number) => derivedId(`${reaction.idsFrom}:${index}`) }
    const decided = reaction.on === 'licenseChange'
      ? await session.decide(licenseChanges, reaction.id, reaction.command, stamp)
      : await session.decide(subscriptions, reaction.id, reaction.command, stamp)
    if (E.isLeft(decided) && reaction.moot?.includes(decided.left._tag) !== true) {
      throw new Error(`reaction ${reaction.command.type} to ${cause.type} ${cause.eventId} was refused: ${decided.left._tag}`)
    }
  }
}

/**
 * The reactions of everything a command staged, staged in the same unit (breadth first: a bundle
 * parent's change, its License Change and its children's changes, then theirs), so that a store
 * with multi-stream appends commits the command and all that follows from it without I/O at once.
 */
export const reactWithin = async (session: Session, reader: Reader): Promise<void> => {
  const world = worldOfSession(session, reader)
  for (let next = 0; next < session.staged().length; next += 1) {
    const staged = session.staged()[next]
    if (staged === undefined) break
    const cause = { ...staged.event, eventId: staged.eventId, metadata: staged.metadata } as Cause
    await stageReactions(session, cause, await reactionsTo(cause, world, session))
  }
}
