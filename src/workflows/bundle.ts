import { EventOf } from '../domain/events'
import { initialProviderState } from '../domain/provider'
import { childQuantity } from '../domain/subscription'
import { Multiplier, SubscriptionId } from '../domain/values'
import { Cause, Reaction } from './reaction'

/** A new bundle child is attached to its parent, so that the parent's changes reach it. */
export const attachToParent = (cause: Cause<EventOf<'SubscriptionCreated'>>): ReadonlyArray<Reaction> => {
  const bundle = cause.data.bundle
  if (bundle === null) return []
  return [{
    on: 'subscription', id: bundle.parentId, idsFrom: `bundle-attach:${cause.eventId}`,
    command: { type: 'AttachBundleChild', subscriptionId: bundle.parentId, childId: cause.data.subscriptionId, multiplier: bundle.multiplier },
  }]
}

/** A bundle child as its parent's change finds it. */
export interface ChildAtChange {
  readonly childId: SubscriptionId
  readonly multiplier: Multiplier
  /** Whether the child existed when the parent changed (one created later took the parent's quantity then). */
  readonly existedAtChange: boolean
  /** Whether the child recorded anything after the parent's change (a later cascade, a sync). */
  readonly changedSince: boolean
}

/**
 * The rule of a bundle: a parent's change sets each child to parent quantity × multiplier, except
 * a child created after that change or changed since it: what it has is newer, and a re-run of an
 * old change (after a crash, or by another process) must never set it back.
 */
export const followsParentChange = (child: ChildAtChange): boolean => child.existedAtChange && !child.changedSince

/** A bundle parent's change passes to its children; each child's own provider then acts on its change. */
export const bundleCascade = (cause: Cause<EventOf<'SubscriptionQuantityChanged'>>, children: ReadonlyArray<ChildAtChange>)
: ReadonlyArray<Reaction> => children.filter(followsParentChange).map((child) => ({
  on: 'subscription', id: child.childId, idsFrom: `bundle-change:${cause.eventId}:${child.childId}`, moot: ['QuantityUnchanged', 'SubscriptionCancelled'],
  command: {
    type: 'ChangeQuantity', subscriptionId: child.childId, newQuantity: childQuantity(cause.data.newQuantity, child.multiplier),
    origin: 'bundle', provider: initialProviderState,
  },
}))
