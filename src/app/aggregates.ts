import * as E from 'fp-ts/Either'
import { decodeOrThrow, EventMetadata, UndecodableEventError } from '../domain/envelope'
import { SeatflowError } from '../domain/errors'
import {
  DomainEvent, LicenseChangeEvent, licenseChangeStream, ProviderEvent, providerStream, settingsStream,
  SettingsEvent, SubscriptionEvent, subscriptionStream,
} from '../domain/events'
import { withSchemaVersion } from '../domain/schema'
import { evolveLicenseChange, initialLicenseChangeState, LicenseChangeState } from '../domain/licenseChange'
import { evolveProvider, initialProviderState, ProviderState } from '../domain/provider'
import { evolveSettings, initialSettingsState, SettingsState } from '../domain/settings'
import { evolveSubscription, initialSubscriptionState, SubscriptionState } from '../domain/subscription'
import { EventStore, ExpectedRevision } from '../store/port'
import { aggregateCache, snapshotEvery } from './aggregateCache'

/** How an aggregate's state is rebuilt from its stream. */
export interface Aggregate<S, Ev extends DomainEvent> {
  readonly name: string
  readonly types: ReadonlyArray<Ev['type']>
  readonly initial: S
  readonly evolve: (state: S, event: Ev) => S
}

export const providerAggregate: Aggregate<ProviderState, ProviderEvent> = {
  name: 'provider', types: ['ProviderRegistered', 'ProviderConfigurationChanged', 'ProviderDeactivated'],
  initial: initialProviderState, evolve: evolveProvider,
}
export const settingsAggregate: Aggregate<SettingsState, SettingsEvent> = {
  name: 'settings', types: ['SettingChanged'], initial: initialSettingsState, evolve: evolveSettings,
}
export const subscriptionAggregate: Aggregate<SubscriptionState, SubscriptionEvent> = {
  name: 'subscription', types: ['SubscriptionCreated', 'SubscriptionQuantityChanged', 'BundleChildAttached'],
  initial: initialSubscriptionState, evolve: evolveSubscription,
}
export const licenseChangeAggregate: Aggregate<LicenseChangeState, LicenseChangeEvent> = {
  name: 'license change',
  types: [
    'LicenseChangeRecorded', 'ProvisioningRequested', 'ProvisioningReminderSent', 'ProvisioningAccepted',
    'ProvisioningAttemptFailed', 'LicenseChangeProvisioned', 'ProvisioningFailed', 'ProvisioningRequeued',
    'ProvisioningAttemptScheduled', 'ProvisioningHeldBack', 'LicenseChangeSuperseded',
  ],
  initial: initialLicenseChangeState, evolve: evolveLicenseChange,
}

export const streams = {
  provider: providerStream, subscription: subscriptionStream, licenseChange: licenseChangeStream,
  settings: (): string => settingsStream,
}

/** A state and the revision it was read at. */
export interface Loaded<S> {
  readonly state: S
  readonly revision: ExpectedRevision
}

/**
 * Rebuild an aggregate from its stream, up to a global position if one is given. It starts from
 * the latest state this process has of the stream when that state is not past `until`.
 */
export const load = async <S, Ev extends DomainEvent>(
  store: EventStore, streamId: string, aggregate: Aggregate<S, Ev>, until = Number.POSITIVE_INFINITY,
): Promise<Loaded<S>> => {
  const start = aggregateCache.get(store, streamId, aggregate.name, until)
    ?? aggregateCache.snapshot(store, streamId, aggregate.name, until)
  let state = start === undefined ? aggregate.initial : start.state as S
  let revision: ExpectedRevision = start?.revision ?? 'no_stream'
  let position = start?.position ?? 0
  const fromRevision = revision === 'no_stream' ? 0 : revision + 1
  let read = 0
  for (const raw of await store.readStream(streamId, { fromRevision })) {
    if (raw.position > until) break
    const event = decodeOrThrow(raw)
    if (!(aggregate.types as ReadonlyArray<string>).includes(event.type)) {
      throw new UndecodableEventError({
        _tag: 'UndecodableEvent', streamId, revision: raw.revision, position: raw.position, eventType: raw.type,
        reason: `a ${aggregate.name} stream cannot hold a ${raw.type} event`,
      })
    }
    state = aggregate.evolve(state, event as unknown as Ev)
    revision = raw.revision
    position = raw.position
    read += 1
  }
  if (revision !== 'no_stream') {
    const entry = { aggregate: aggregate.name, state, revision, position }
    aggregateCache.put(store, streamId, entry)
    if (read >= snapshotEvery) aggregateCache.persist(store, streamId, entry)
  }
  return { state, revision }
}

/** What a command needs besides its decision: where it goes, when and by whom, and its event ids. */
export interface Execution<S, Ev extends DomainEvent> {
  readonly streamId: string
  readonly aggregate: Aggregate<S, Ev>
  readonly decide: (state: S) => E.Either<SeatflowError, ReadonlyArray<Ev>>
  readonly metadata: EventMetadata
  /** The id of the n-th event decided; derived ids make a retried reaction write nothing new. */
  readonly eventId: (index: number, event: Ev) => string
}

/** What a command recorded. */
export interface Executed<S, Ev> {
  readonly events: ReadonlyArray<Ev>
  readonly eventIds: ReadonlyArray<string>
  readonly state: S
}

/** Load, decide, append with the expected revision; on a concurrent write, read again and decide again. */
export const execute = async <S, Ev extends DomainEvent>(
  store: EventStore, execution: Execution<S, Ev>, maxTries = 5,
): Promise<E.Either<SeatflowError, Executed<S, Ev>>> => {
  const { streamId, aggregate } = execution
  for (let attempt = 1; attempt <= maxTries; attempt += 1) {
    const loaded = await load(store, streamId, aggregate)
    const decision = execution.decide(loaded.state)
    if (E.isLeft(decision)) return decision
    const events = decision.right
    if (events.length === 0) return E.right({ events, eventIds: [], state: loaded.state })
    const eventIds = events.map((event, index) => execution.eventId(index, event))
    const appended = await store.append(streamId, loaded.revision, events.map((event, index) => ({
      eventId: eventIds[index] as string, type: event.type, data: event.data, metadata: withSchemaVersion(execution.metadata, event.type),
    })))
    if (E.isRight(appended)) {
      const state = events.reduce(aggregate.evolve, loaded.state)
      const { nextExpectedRevision: revision, position } = appended.right
      const entry = { aggregate: aggregate.name, state, revision, position }
      aggregateCache.put(store, streamId, entry)
      // Every snapshotEvery events a stream's state is persisted, so a fresh process never reads more than that.
      const before = loaded.revision === 'no_stream' ? -1 : loaded.revision
      if (Math.floor((revision + 1) / snapshotEvery) > Math.floor((before + 1) / snapshotEvery)) aggregateCache.persist(store, streamId, entry)
      return E.right({ events, eventIds, state })
    }
    if (appended.left._tag === 'DuplicateEventId') {
      throw new Error(`event id ${appended.left.eventId} already stands in another stream than ${streamId}: a derived id collided`)
    }
  }
  return E.left({ _tag: 'ConcurrencyConflict', streamId, attempts: maxTries })
}
