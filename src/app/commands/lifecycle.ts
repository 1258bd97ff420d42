import { decodeOrThrow } from '../../domain/envelope'
import { licenseChangeIdFor } from '../../domain/ids'
import { isUnresolved, licenseChanges } from '../../domain/licenseChange'
import { providers } from '../../domain/provider'
import { subscriptions } from '../../domain/subscription'
import { LicenseChangeId, ProviderId, SubscriptionId } from '../../domain/values'
import { askedBy, asksAnything, isChangeEvent } from '../../workflows/licenseChangeRecording'
import { Session, StagedEvent } from '../state/session'
import { CommandContext, commandMetadata, Result, validated } from './context'
import { handle } from './handler'
import * as I from './inputs'
import { newId } from './newId'

/**
 * The License Changes of a subscription that are unresolved now, read from the log: each change
 * of its stream that asks anything of the provider and whose License Change is Awaiting, or Failed
 * and neither superseded nor withdrawn, or not recorded yet (its reaction has not run; it would
 * go to the provider the change was made on).
 */
export const unresolvedChangesOf = async (context: CommandContext, session: Session, subscriptionId: SubscriptionId)
: Promise<ReadonlyArray<LicenseChangeId>> => {
  const stream = await context.writer.reader.store.readStream(subscriptions.streamOf(subscriptionId))
  const unresolved: LicenseChangeId[] = []
  for (const event of stream.map(decodeOrThrow)) {
    if (!isChangeEvent(event) || !asksAnything(askedBy(event))) continue
    const licenseChangeId = licenseChangeIdFor(event.eventId)
    const change = await session.current(licenseChanges, licenseChangeId)
    if (change.status === 'None' || isUnresolved(change)) unresolved.push(licenseChangeId)
  }
  return unresolved
}

/** What a move did: where the subscription went, and the changes it withdrew. */
export interface Moved {
  readonly subscriptionId: SubscriptionId
  readonly fromProviderId: ProviderId
  readonly toProviderId: ProviderId
  readonly withdrawn: ReadonlyArray<LicenseChangeId>
}

/**
 * Move a subscription to another provider: its history stays; its next changes go to the new
 * provider. Refused while a change of it is unresolved (naming them) unless `withdrawUnresolved`:
 * then each ends Failed Provisioning, withdrawn by the move, and is never sent.
 */
export const moveSubscription = (context: CommandContext, input: unknown): Result<Moved> =>
  validated(I.validate('MoveSubscription', I.MoveSubscriptionInput, input), (valid) => handle(context.writer, {
    aggregate: subscriptions, id: valid.subscriptionId, stamp: { eventId: newId, metadata: commandMetadata(context, valid) },
    command: async (state, session) => ({
      type: 'MoveSubscription' as const, subscriptionId: valid.subscriptionId, toProviderId: valid.providerId,
      toProvider: await session.current(providers, valid.providerId),
      unresolved: state.status === 'None' ? [] : await unresolvedChangesOf(context, session, valid.subscriptionId),
      withdrawUnresolved: valid.withdrawUnresolved ?? false,
    }),
    answer: (decided) => {
      const moved = decided[0]?.event
      if (moved?.type !== 'SubscriptionMoved') throw new Error('a move records SubscriptionMoved')
      return { ...moved.data }
    },
  }))

/** Suspend a subscription (for non-payment, say): its quantity changes are then Not Applicable and its reminders stop. */
export const suspendSubscription = (context: CommandContext, input: unknown): Result<{ readonly subscriptionId: SubscriptionId }> =>
  validated(I.validate('SuspendSubscription', I.SuspendSubscriptionInput, input), (valid) => handle(context.writer, {
    aggregate: subscriptions, id: valid.subscriptionId, stamp: { eventId: newId, metadata: commandMetadata(context, valid) },
    command: () => ({ type: 'SuspendSubscription' as const, subscriptionId: valid.subscriptionId, reason: valid.reason }),
    answer: () => ({ subscriptionId: valid.subscriptionId }),
  }))

/** The License Change an event records (derived from its id), when the first event decided records one. */
const licenseChangeOfFirst = (decided: ReadonlyArray<StagedEvent>, records: (event: StagedEvent['event']) => boolean): LicenseChangeId | null => {
  const first = decided[0]
  return first !== undefined && records(first.event) ? licenseChangeIdFor(first.eventId) : null
}

/** Reactivate a suspended subscription: a License Change brings the provider from the quantity at the suspension to today's (none when they are equal). */
export const reactivateSubscription = (context: CommandContext, input: unknown)
: Result<{ readonly subscriptionId: SubscriptionId; readonly licenseChangeId: LicenseChangeId | null }> =>
  validated(I.validate('ReactivateSubscription', I.ReactivateSubscriptionInput, input), (valid) => handle(context.writer, {
    aggregate: subscriptions, id: valid.subscriptionId, stamp: { eventId: newId, metadata: commandMetadata(context, valid) },
    command: () => ({ type: 'ReactivateSubscription' as const, subscriptionId: valid.subscriptionId }),
    answer: (decided) => ({
      subscriptionId: valid.subscriptionId,
      licenseChangeId: licenseChangeOfFirst(decided, (e) => e.type === 'SubscriptionReactivated' && e.data.quantity !== e.data.quantityAtSuspension),
    }),
  }))

/** Cancel a subscription: a License Change to zero asks the provider to cancel it; it takes no further change. A bundle parent goes after its children. */
export const cancelSubscription = (context: CommandContext, input: unknown)
: Result<{ readonly subscriptionId: SubscriptionId; readonly licenseChangeId: LicenseChangeId }> =>
  validated(I.validate('CancelSubscription', I.CancelSubscriptionInput, input), (valid) => handle(context.writer, {
    aggregate: subscriptions, id: valid.subscriptionId, stamp: { eventId: newId, metadata: commandMetadata(context, valid) },
    command: async (state, session) => {
      const children = state.status === 'None' ? [] : state.children
      const live = await Promise.all(children.map(async (child) => ({ child, state: await session.current(subscriptions, child.childId) })))
      return {
        type: 'CancelSubscription' as const, subscriptionId: valid.subscriptionId,
        liveChildren: live.filter(({ state: s }) => s.status !== 'None' && s.status !== 'Cancelled').map(({ child }) => child.childId),
      }
    },
    answer: (decided) => {
      const licenseChangeId = licenseChangeOfFirst(decided, (e) => e.type === 'SubscriptionCancelled')
      if (licenseChangeId === null) throw new Error('a cancellation records SubscriptionCancelled')
      return { subscriptionId: valid.subscriptionId, licenseChangeId }
    },
  }))
