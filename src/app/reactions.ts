import * as E from 'fp-ts/Either'
import { decodeOrThrow, Recorded } from '../domain/envelope'
import { EventOf } from '../domain/events'
import { derivedId, licenseChangeIdFor } from '../domain/ids'
import { decideLicenseChange } from '../domain/licenseChange'
import { decideSubscription } from '../domain/subscription'
import { licenseChangeFor } from '../providers/policy'
import {
  execute, licenseChangeAggregate, load, providerAggregate, settingsAggregate, streams, subscriptionAggregate,
} from './aggregates'
import { Context, reactionMetadata } from './context'
import { supersedeEarlierChanges } from './supersede'

const reactionsCheckpoint = 'reactions'

const fail = (what: string, event: Recorded, reason: string): never => {
  throw new Error(`${what} for ${event.type} at stream ${event.streamId} revision ${event.revision} (position ${event.position}): ${reason}`)
}

const orFail = <A>(what: string, event: Recorded, result: E.Either<{ readonly _tag: string }, A>): A =>
  E.isRight(result) ? result.right : fail(what, event, result.left._tag)

type QuantityEvent = Recorded<EventOf<'SubscriptionCreated'>> | Recorded<EventOf<'SubscriptionQuantityChanged'>>

/** The provider policy at work: a quantity change records its License Change, as things stood at that change. */
const recordLicenseChange = async (context: Context, event: QuantityEvent): Promise<void> => {
  const { subscriptionId } = event.data
  const [previousQuantity, newQuantity, origin] = event.type === 'SubscriptionCreated'
    ? [0, event.data.quantity, 'host' as const]
    : [event.data.previousQuantity, event.data.newQuantity, event.data.origin]
  if (previousQuantity === newQuantity) return
  const subscription = (await load(context.store, streams.subscription(subscriptionId), subscriptionAggregate, event.position)).state
  if (subscription.status === 'None') return fail('License Change', event, 'the subscription is not on record')
  const provider = (await load(context.store, streams.provider(subscription.providerId), providerAggregate, event.position)).state
  if (provider.status === 'None') return fail('License Change', event, `provider ${subscription.providerId} is not on record`)
  const settings = (await load(context.store, streams.settings(), settingsAggregate, event.position)).state
  const licenseChangeId = licenseChangeIdFor(event.eventId)
  const change = licenseChangeFor(
    { licenseChangeId, subscription, previousQuantity: previousQuantity as typeof newQuantity, newQuantity, origin },
    { ...provider, copiedEmailAddresses: settings.copiedEmailAddresses },
  )
  orFail('License Change', event, await execute(context.store, {
    streamId: streams.licenseChange(licenseChangeId),
    aggregate: licenseChangeAggregate,
    decide: (state) => decideLicenseChange({ type: 'RecordLicenseChange', change }, state),
    metadata: reactionMetadata(event),
    eventId: (index) => derivedId(`license-change-recorded:${licenseChangeId}:${index}`),
  }))
}

/** A new bundle child is attached to its parent, so the parent's changes reach it. */
const attachBundleChild = async (context: Context, event: Recorded<EventOf<'SubscriptionCreated'>>): Promise<void> => {
  const bundle = event.data.bundle
  if (bundle === null) return
  orFail('bundle attach', event, await execute(context.store, {
    streamId: streams.subscription(bundle.parentId),
    aggregate: subscriptionAggregate,
    decide: (state) => decideSubscription({ type: 'AttachBundleChild', subscriptionId: bundle.parentId, childId: event.data.subscriptionId, multiplier: bundle.multiplier }, state),
    metadata: reactionMetadata(event),
    eventId: (index) => derivedId(`bundle-attach:${event.eventId}:${index}`),
  }))
}

/** A bundle parent's change sets each child to parent quantity × multiplier; each child's provider then acts. */
const cascadeToChildren = async (context: Context, event: Recorded<EventOf<'SubscriptionQuantityChanged'>>): Promise<void> => {
  const parent = (await load(context.store, event.streamId, subscriptionAggregate)).state
  if (parent.status === 'None') return
  for (const child of parent.children) {
    const childStream = streams.subscription(child.childId)
    // A child created after this change took the parent's quantity then: re-running an old change must not roll it back.
    const atChange = await load(context.store, childStream, subscriptionAggregate, event.position)
    if (atChange.state.status === 'None') continue
    // Anything the child recorded after this change (this cascade, a later one) is newer: a re-run after a crash
    // must not set it back, whether or not the store drops a repeated event id (EventStoreDB does not, always).
    const since = await context.store.readStream(childStream, { fromRevision: atChange.revision === 'no_stream' ? 0 : atChange.revision + 1 })
    if (since.length > 0) continue
    const newQuantity = event.data.newQuantity * child.multiplier
    const result = await execute(context.store, {
      streamId: childStream,
      aggregate: subscriptionAggregate,
      decide: (state) => decideSubscription({
        type: 'ChangeQuantity', subscriptionId: child.childId, newQuantity: newQuantity as typeof event.data.newQuantity,
        origin: 'bundle', provider: { status: 'None' },
      }, state),
      metadata: reactionMetadata(event),
      eventId: (index) => derivedId(`bundle-change:${event.eventId}:${child.childId}:${index}`),
    })
    if (E.isLeft(result) && result.left._tag !== 'QuantityUnchanged') fail('bundle change', event, result.left._tag)
  }
}

const react = async (context: Context, event: Recorded): Promise<void> => {
  switch (event.type) {
    case 'SubscriptionCreated':
      await attachBundleChild(context, event)
      return recordLicenseChange(context, event)
    case 'SubscriptionQuantityChanged':
      await recordLicenseChange(context, event)
      await supersedeEarlierChanges(context, event)
      return cascadeToChildren(context, event)
    default:
      return undefined
  }
}

/**
 * Run the reactions on every event after their checkpoint. Their output has ids derived from
 * the triggering event, so a second run (after a crash, or in another process) writes nothing new.
 * Returns how many events were looked at.
 */
export const runReactions = async (context: Context): Promise<number> => {
  let seen = 0
  const after = context.views.checkpoint(reactionsCheckpoint)
  for await (const batch of context.store.readAll({ after, batchSize: 500 })) {
    for (const raw of batch) {
      await react(context, decodeOrThrow(raw))
      seen += 1
    }
    const last = batch[batch.length - 1]
    if (last !== undefined) context.views.update(reactionsCheckpoint, (_tx, checkpoint) => Math.max(checkpoint, last.position))
  }
  return seen
}
