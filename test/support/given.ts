import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { Recorded } from '../../src/domain/envelope'
import {
  Attempts, AutomaticSystem, CopiedEmailAddressesKey, DomainEvent, EventOf, licenseChangeStream, ProviderConfiguration, ProviderSnapshot,
  providerStream, settingsStream, subscriptionStream,
} from '../../src/domain/events'
import { derivedId } from '../../src/domain/ids'
import { formatErrors } from '../../src/domain/validation'
import { Projection } from '../../src/projections/projection'
import {
  Email, IsoTime, LicenseChangeId, Multiplier, NonEmptyString, Origin, ProviderId, Quantity, SubscriptionId,
} from '../../src/domain/values'

// ---------------------------------------------------------------------------------------------
// given / when / then for deciders
// ---------------------------------------------------------------------------------------------

type Decide<C, S, Ev, Err> = (command: C, state: S) => E.Either<Err, ReadonlyArray<Ev>>
type Evolve<S, Ev> = (state: S, event: Ev) => S
type Details<Err, Tag> = Omit<Extract<Err, { readonly _tag: Tag }>, '_tag'>

/**
 * A specification of a decider: `given(decide, evolve, initial)(...history).when(command)` then
 * `.then(...events)` (exactly these, in order), `.thenNothing()` (a no-op: no event, no error)
 * or `.thenFails(tag, details?)` (refused with this error; with details, exactly this error).
 * `then` returns the state after the new events, for a further look.
 */
export const given = <C, S, Ev, Err extends { readonly _tag: string }>(
  decide: Decide<C, S, Ev, Err>, evolve: Evolve<S, Ev>, initial: S,
) => (...history: ReadonlyArray<Ev>) => {
  const state = history.reduce<S>((s, e) => evolve(s, e), initial)
  return {
    state,
    when: (command: C) => {
      const decision = decide(command, state)
      return {
        decision,
        then: (...expected: ReadonlyArray<Ev>): S => {
          expect(decision).toStrictEqual(E.right(expected))
          return expected.reduce<S>((s, e) => evolve(s, e), state)
        },
        thenNothing: (): void => {
          expect(decision).toStrictEqual(E.right([]))
        },
        thenFails: <T extends Err['_tag']>(tag: T, details?: Details<Err, T>): void => {
          if (details === undefined) expect(decision).toStrictEqual(E.left(expect.objectContaining({ _tag: tag })))
          else expect(decision).toStrictEqual(E.left({ _tag: tag, ...details }))
        },
      }
    },
  }
}

// ---------------------------------------------------------------------------------------------
// values and ids
// ---------------------------------------------------------------------------------------------

/** A value through its codec, as real data would come in; a throw if the test data is wrong. */
export const valid = <A>(codec: t.Type<A, unknown, unknown>, value: unknown): A => {
  const decoded = codec.decode(value)
  if (E.isLeft(decoded)) throw new Error(`bad test data for ${codec.name}: ${formatErrors(decoded.left).join('; ')}`)
  return decoded.right
}

export const qty = (n: number): Quantity => valid(Quantity, n)
export const email = (s: string): Email => valid(Email, s)
export const text = (s: string): NonEmptyString => valid(NonEmptyString, s)
export const times = (n: number): Multiplier => valid(Multiplier, n)

/** Stable ids from short names: `ids.subscription('teams')` is the same uuid in every test. */
export const ids = {
  provider: (name: string): ProviderId => derivedId(`test:provider:${name}`) as ProviderId,
  subscription: (name: string): SubscriptionId => derivedId(`test:subscription:${name}`) as SubscriptionId,
  licenseChange: (name: string): LicenseChangeId => derivedId(`test:license-change:${name}`) as LicenseChangeId,
  event: (name: string): string => derivedId(`test:event:${name}`),
}

// ---------------------------------------------------------------------------------------------
// events: short builders with sensible defaults
// ---------------------------------------------------------------------------------------------

export const config = {
  doNothing: (): ProviderConfiguration => ({ kind: 'Do Nothing' }),
  manual: (to = 'provisioning@distributor.example'): ProviderConfiguration =>
    ({ kind: 'Manual', provisioningEmail: email(to) }),
  automatic: (maxAttempts = 3, system: AutomaticSystem = 'Partner Center'): ProviderConfiguration =>
    ({ kind: 'Automatic', system, maxAttempts: valid(Attempts, maxAttempts) }),
}

export const providerRegistered = (
  configuration: ProviderConfiguration = config.manual(), name = 'Distributor', providerId = ids.provider(name),
): EventOf<'ProviderRegistered'> => ({ type: 'ProviderRegistered', data: { providerId, name: text(name), configuration } })

export const providerDeactivated = (providerId: ProviderId): EventOf<'ProviderDeactivated'> =>
  ({ type: 'ProviderDeactivated', data: { providerId } })

export const settingChanged = (...addresses: ReadonlyArray<string>): EventOf<'SettingChanged'> =>
  ({ type: 'SettingChanged', data: { key: CopiedEmailAddressesKey, value: addresses.map(email) } })

type SubscriptionData = EventOf<'SubscriptionCreated'>['data']

/** The default subscription: 10 seats of Exchange on the Manual "Distributor" provider. */
export const subscriptionData = (overrides: Partial<SubscriptionData> = {}): SubscriptionData => ({
  subscriptionId: ids.subscription('exchange'),
  product: text('Exchange Online'),
  providerId: ids.provider('Distributor'),
  quantity: qty(10),
  billingContractId: text('BC-1'),
  contractOwnerEmail: email('owner@customer.example'),
  bundle: null,
  ...overrides,
})

export const subscriptionCreated = (overrides: Partial<SubscriptionData> = {}): EventOf<'SubscriptionCreated'> =>
  ({ type: 'SubscriptionCreated', data: subscriptionData(overrides) })

export const quantityChanged = (
  from: number, to: number, origin: Origin = 'host', subscriptionId = ids.subscription('exchange'),
): EventOf<'SubscriptionQuantityChanged'> => ({
  type: 'SubscriptionQuantityChanged',
  data: { subscriptionId, previousQuantity: qty(from), newQuantity: qty(to), origin },
})

/** The lifecycle events of a subscription (the default one unless given). */
export const lifecycle = (subscriptionId: SubscriptionId = ids.subscription('exchange')) => ({
  moved: (from: string, to: string, withdrawn: ReadonlyArray<LicenseChangeId> = []): EventOf<'SubscriptionMoved'> =>
    ({ type: 'SubscriptionMoved', data: { subscriptionId, fromProviderId: ids.provider(from), toProviderId: ids.provider(to), withdrawn } }),
  suspended: (reason = 'unpaid invoice'): EventOf<'SubscriptionSuspended'> => ({ type: 'SubscriptionSuspended', data: { subscriptionId, reason } }),
  reactivated: (atSuspension: number, quantity: number): EventOf<'SubscriptionReactivated'> =>
    ({ type: 'SubscriptionReactivated', data: { subscriptionId, quantityAtSuspension: qty(atSuspension), quantity: qty(quantity) } }),
  cancelled: (previous: number): EventOf<'SubscriptionCancelled'> => ({ type: 'SubscriptionCancelled', data: { subscriptionId, previousQuantity: qty(previous) } }),
})

export const bundleChildAttached = (
  subscriptionId: SubscriptionId, childId: SubscriptionId, multiplier: number,
): EventOf<'BundleChildAttached'> => ({ type: 'BundleChildAttached', data: { subscriptionId, childId, multiplier: times(multiplier) } })

/** Provider snapshots as a License Change keeps them. */
export const snapshot = {
  doNothing: (name = 'Bundles'): ProviderSnapshot => ({ kind: 'Do Nothing', providerId: ids.provider(name), name: text(name) }),
  manual: (copied: ReadonlyArray<string> = [], name = 'Distributor'): ProviderSnapshot => ({
    kind: 'Manual', providerId: ids.provider(name), name: text(name),
    provisioningEmail: email('provisioning@distributor.example'), copiedEmails: copied.map(email),
  }),
  automatic: (maxAttempts = 3, name = 'Partner Center'): ProviderSnapshot => ({
    kind: 'Automatic', providerId: ids.provider(name), name: text(name), system: 'Partner Center', maxAttempts: valid(Attempts, maxAttempts),
  }),
}

type ChangeData = EventOf<'LicenseChangeRecorded'>['data']

/** The default License Change: Exchange from 10 to 12 seats on the Manual provider, awaiting provisioning. */
export const changeData = (overrides: Partial<ChangeData> = {}): ChangeData => ({
  licenseChangeId: ids.licenseChange('lc-1'),
  kind: 'change',
  subscriptionId: ids.subscription('exchange'),
  product: text('Exchange Online'),
  billingContractId: text('BC-1'),
  contractOwnerEmail: email('owner@customer.example'),
  provider: snapshot.manual(),
  previousQuantity: qty(10),
  newQuantity: qty(12),
  origin: 'host',
  status: 'Awaiting Provisioning',
  message: 'waiting',
  ...overrides,
})

export const licenseChangeRecorded = (overrides: Partial<ChangeData> = {}): EventOf<'LicenseChangeRecorded'> =>
  ({ type: 'LicenseChangeRecorded', data: changeData(overrides) })

/** The events that follow a License Change, for the change `id` (the default one unless given). */
export const lc = (licenseChangeId: LicenseChangeId = ids.licenseChange('lc-1')) => ({
  requested: (cc: ReadonlyArray<string> = []): EventOf<'ProvisioningRequested'> => ({
    type: 'ProvisioningRequested',
    data: { licenseChangeId, to: [email('provisioning@distributor.example')], cc: cc.map(email), subject: 'Provisioning request' },
  }),
  reminder: (sequence: number): EventOf<'ProvisioningReminderSent'> =>
    ({ type: 'ProvisioningReminderSent', data: { licenseChangeId, to: [email('owner@customer.example')], sequence } }),
  accepted: (attempt: number, reference: string): EventOf<'ProvisioningAccepted'> =>
    ({ type: 'ProvisioningAccepted', data: { licenseChangeId, attempt, reference } }),
  attemptFailed: (attempt: number, reason: string): EventOf<'ProvisioningAttemptFailed'> =>
    ({ type: 'ProvisioningAttemptFailed', data: { licenseChangeId, attempt, reason } }),
  provisioned: (by = 'Dana', via: 'person' | 'gateway' = 'person', note: string | null = null): EventOf<'LicenseChangeProvisioned'> =>
    ({ type: 'LicenseChangeProvisioned', data: { licenseChangeId, by: text(by), via, note } }),
  failed: (reason: string): EventOf<'ProvisioningFailed'> =>
    ({ type: 'ProvisioningFailed', data: { licenseChangeId, reason } }),
  requeued: (by = 'Dana', reason = 'fixed the tenant'): EventOf<'ProvisioningRequeued'> =>
    ({ type: 'ProvisioningRequeued', data: { licenseChangeId, by: text(by), reason } }),
  scheduled: (attempt: number, notBefore: string, retryAfterSeconds: number | null = null): EventOf<'ProvisioningAttemptScheduled'> =>
    ({ type: 'ProvisioningAttemptScheduled', data: { licenseChangeId, attempt, notBefore: valid(IsoTime, notBefore), retryAfterSeconds } }),
  heldBack: (waitingFor: LicenseChangeId, waitingForStatus: 'Awaiting Provisioning' | 'Failed Provisioning' = 'Awaiting Provisioning'): EventOf<'ProvisioningHeldBack'> =>
    ({ type: 'ProvisioningHeldBack', data: { licenseChangeId, waitingFor, waitingForStatus } }),
  superseded: (supersededBy: LicenseChangeId, quantity: number): EventOf<'LicenseChangeSuperseded'> =>
    ({ type: 'LicenseChangeSuperseded', data: { licenseChangeId, supersededBy, quantity: qty(quantity) } }),
  withdrawn: (movedTo: string): EventOf<'LicenseChangeWithdrawn'> =>
    ({ type: 'LicenseChangeWithdrawn', data: { licenseChangeId, movedTo: ids.provider(movedTo) } }),
  invoiced: (billingRunId = 'run-2026-01'): EventOf<'LicenseChangeInvoiced'> =>
    ({ type: 'LicenseChangeInvoiced', data: { licenseChangeId, billingRunId: text(billingRunId) } }),
})

// ---------------------------------------------------------------------------------------------
// recorded events, as projections read them
// ---------------------------------------------------------------------------------------------

/** The stream an event belongs to. */
export const streamOf = (event: DomainEvent): string => {
  const data: Record<string, unknown> = event.data
  if (typeof data['licenseChangeId'] === 'string') return licenseChangeStream(data['licenseChangeId'])
  if (event.type === 'SettingChanged') return settingsStream
  if (event.type.startsWith('Provider') && typeof data['providerId'] === 'string') return providerStream(data['providerId'])
  return subscriptionStream(String(data['subscriptionId']))
}

export const startOfLog = Date.parse('2026-01-05T09:00:00.000Z')

/** An ISO time `hours` after the start of the test log. */
export const hoursIn = (hours: number): string => new Date(startOfLog + hours * 3_600_000).toISOString()

/** One event as the store hands it back: position, revision and metadata set by hand. */
export const recorded = <Ev extends DomainEvent>(
  event: Ev,
  place: { readonly position: number; readonly revision?: number; readonly at?: string; readonly actor?: string; readonly streamId?: string },
): Recorded<Ev> => ({
  ...event,
  eventId: ids.event(`${place.position}`),
  streamId: place.streamId ?? streamOf(event),
  revision: place.revision ?? 0,
  position: place.position,
  metadata: { occurredAt: place.at ?? hoursIn(place.position), actor: place.actor ?? 'tester', correlationId: 'test', causationId: null },
}) as Recorded<Ev>

/** A log: positions 1, 2, 3…, revisions counted per stream, event n at n hours into the log. */
export const log = (...events: ReadonlyArray<DomainEvent>): ReadonlyArray<Recorded> => {
  const revisions = new Map<string, number>()
  return events.map((event, index) => {
    const streamId = streamOf(event)
    const revision = revisions.get(streamId) ?? 0
    revisions.set(streamId, revision + 1)
    return recorded(event, { position: index + 1, revision, streamId })
  })
}

/** The rows a projection makes of these events, by key: a plain fold of `route` and `evolve`. */
export const fold = <Row>(projection: Projection<Row>, events: ReadonlyArray<Recorded>): ReadonlyMap<string, Row> => {
  const rows = new Map<string, Row>()
  for (const event of events) {
    const key = projection.route(event)
    if (key === null) continue
    const next = projection.evolve(rows.get(key), event)
    if (next === undefined) rows.delete(key)
    else rows.set(key, next)
  }
  return rows
}
