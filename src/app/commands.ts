import * as E from 'fp-ts/Either'
import { pipe } from 'fp-ts/function'
import * as TE from 'fp-ts/TaskEither'
import { SeatflowError } from '../domain/errors'
import { Attempts, ProviderConfiguration } from '../domain/events'
import { licenseChangeIdFor } from '../domain/ids'
import { decideLicenseChange } from '../domain/licenseChange'
import { decideProvider } from '../domain/provider'
import { decideSettings } from '../domain/settings'
import { decideSubscription } from '../domain/subscription'
import { NonEmptyString, ProviderId, Quantity, SubscriptionId } from '../domain/values'
import { execute, licenseChangeAggregate, load, providerAggregate, settingsAggregate, streams, subscriptionAggregate } from './aggregates'
import { commandMetadata, Context, newEventId } from './context'
import * as I from './inputs'
import { laterSettledChange } from './supersede'

/** How many gateway attempts an automatic provider makes when its registration says nothing. */
export const defaultAttempts = 3 as Attempts

type Result<A> = Promise<E.Either<SeatflowError, A>>

const run = <A>(task: TE.TaskEither<SeatflowError, A>): Result<A> => task()

const executed = <A>(make: () => ReturnType<typeof execute>, then: () => A): TE.TaskEither<SeatflowError, A> =>
  pipe(() => make(), TE.map(then))

const configurationOf = (input: I.ProviderInput): ProviderConfiguration => {
  switch (input.kind) {
    case 'Do Nothing': return { kind: 'Do Nothing' }
    case 'Manual': return { kind: 'Manual', provisioningEmail: input.provisioningEmail }
    case 'Automatic': return { kind: 'Automatic', system: input.system, maxAttempts: input.maxAttempts ?? defaultAttempts }
  }
}

/** Register a provider (Do Nothing, Manual with its provisioning address, or Automatic with its system). */
export const registerProvider = (context: Context, input: unknown, providerId: ProviderId): Result<{ readonly providerId: ProviderId }> => run(pipe(
  TE.fromEither(I.validateProvider(input)),
  TE.chain((valid) => executed(() => execute(context.store, {
    streamId: streams.provider(valid.providerId ?? providerId),
    aggregate: providerAggregate,
    decide: (state) => decideProvider({ type: 'RegisterProvider', providerId: valid.providerId ?? providerId, name: valid.name, configuration: configurationOf(valid) }, state),
    metadata: commandMetadata(context, valid),
    eventId: newEventId,
  }), () => ({ providerId: valid.providerId ?? providerId }))),
))

/** Change a provider's name or configuration (its kind stays). */
export const changeProviderConfiguration = (context: Context, input: unknown): Result<{ readonly providerId: ProviderId }> => run(pipe(
  TE.fromEither(I.validate('ChangeProviderConfiguration', I.ChangeProviderInput, input)),
  TE.chain((valid) => executed(() => execute(context.store, {
    streamId: streams.provider(valid.providerId),
    aggregate: providerAggregate,
    decide: (state) => {
      if (state.status === 'None') return E.left({ _tag: 'ProviderNotFound', providerId: valid.providerId })
      const merged = I.mergeConfiguration(state.configuration, valid)
      return E.isLeft(merged) ? merged : decideProvider({ type: 'ChangeProviderConfiguration', providerId: valid.providerId, name: valid.name ?? state.name, configuration: merged.right }, state)
    },
    metadata: commandMetadata(context, valid),
    eventId: newEventId,
  }), () => ({ providerId: valid.providerId }))),
))

/** Deactivate a provider: it takes no new subscriptions or changes. */
export const deactivateProvider = (context: Context, input: unknown): Result<{ readonly providerId: ProviderId }> => run(pipe(
  TE.fromEither(I.validate('DeactivateProvider', I.DeactivateProviderInput, input)),
  TE.chain((valid) => executed(() => execute(context.store, {
    streamId: streams.provider(valid.providerId),
    aggregate: providerAggregate,
    decide: (state) => decideProvider({ type: 'DeactivateProvider', providerId: valid.providerId }, state),
    metadata: commandMetadata(context, valid),
    eventId: newEventId,
  }), () => ({ providerId: valid.providerId }))),
))

/** Change a global setting; the log shows who changed it and when. */
export const changeSetting = (context: Context, input: unknown): Result<{ readonly key: string }> => run(pipe(
  TE.fromEither(I.validate('ChangeSetting', I.ChangeSettingInput, input)),
  TE.chain((valid) => executed(() => execute(context.store, {
    streamId: streams.settings(),
    aggregate: settingsAggregate,
    decide: (state) => decideSettings({ type: 'ChangeSetting', key: valid.key, value: valid.value }, state),
    metadata: commandMetadata(context, valid),
    eventId: newEventId,
  }), () => ({ key: valid.key }))),
))

const readProvider = (context: Context, providerId: ProviderId) =>
  load(context.store, streams.provider(providerId), providerAggregate).then((loaded) => loaded.state)

/** Create a subscription; a bundle child's quantity is the parent's times the multiplier when not given. */
export const createSubscription = (context: Context, input: unknown): Result<{ readonly subscriptionId: SubscriptionId; readonly licenseChangeId: string | null }> => run(pipe(
  TE.fromEither(I.validate('CreateSubscription', I.CreateSubscriptionInput, input)),
  TE.chain((valid) => async () => {
    const subscriptionId = valid.subscriptionId ?? (newEventId() as SubscriptionId)
    const provider = await readProvider(context, valid.providerId)
    const bundle = valid.bundle ?? null
    const parentSubscription = bundle === null ? null : (await load(context.store, streams.subscription(bundle.parentId), subscriptionAggregate)).state
    const parent = parentSubscription === null ? null : {
      subscription: parentSubscription,
      provider: parentSubscription.status === 'None' ? parentSubscription : await readProvider(context, parentSubscription.providerId),
    }
    const derived = bundle !== null && parentSubscription?.status === 'Active' ? parentSubscription.quantity * bundle.multiplier : 0
    const quantity = (valid.quantity ?? derived) as Quantity
    const eventId = newEventId()
    return pipe(
      await execute(context.store, {
        streamId: streams.subscription(subscriptionId),
        aggregate: subscriptionAggregate,
        decide: (state) => decideSubscription({
          type: 'CreateSubscription', subscriptionId, product: valid.product, providerId: valid.providerId, quantity,
          billingContractId: valid.billingContractId, contractOwnerEmail: valid.contractOwnerEmail, bundle, provider, parent,
        }, state),
        metadata: commandMetadata(context, valid),
        eventId: () => eventId,
      }),
      E.map(() => ({ subscriptionId, licenseChangeId: quantity > 0 ? licenseChangeIdFor(eventId) : null })),
    )
  }),
))

/** Change a subscription's quantity: `origin` host for a reseller's change, provider for one that came from the provider (two-way sync). */
export const changeQuantity = (context: Context, input: unknown, origin: 'host' | 'provider' = 'host'): Result<{ readonly subscriptionId: SubscriptionId; readonly licenseChangeId: string }> => run(pipe(
  TE.fromEither(I.validate(origin === 'host' ? 'ChangeQuantity' : 'RecordProviderQuantity', I.ChangeQuantityInput, input)),
  TE.chain((valid) => async () => {
    const streamId = streams.subscription(valid.subscriptionId)
    const current = (await load(context.store, streamId, subscriptionAggregate)).state
    const provider = current.status === 'None' ? current : await readProvider(context, current.providerId)
    const eventId = newEventId()
    return pipe(
      await execute(context.store, {
        streamId, aggregate: subscriptionAggregate,
        decide: (state) => decideSubscription({ type: 'ChangeQuantity', subscriptionId: valid.subscriptionId, newQuantity: valid.quantity, origin, provider }, state),
        metadata: commandMetadata(context, valid),
        eventId: () => eventId,
      }),
      E.map(() => ({ subscriptionId: valid.subscriptionId, licenseChangeId: licenseChangeIdFor(eventId) })),
    )
  }),
))

/** A person's command is by that person unless it names another actor. */
const personMetadata = (context: Context, valid: I.Trace & { readonly by: string }) =>
  commandMetadata(context, { ...valid, actor: valid.actor ?? valid.by })

/** A person marks a Manual change provisioned. */
export const markProvisioned = (context: Context, input: unknown): Result<{ readonly licenseChangeId: string }> => run(pipe(
  TE.fromEither(I.validate('MarkProvisioned', I.MarkProvisionedInput, input)),
  TE.chain((valid) => executed(() => execute(context.store, {
    streamId: streams.licenseChange(valid.licenseChangeId),
    aggregate: licenseChangeAggregate,
    decide: (state) => decideLicenseChange({ type: 'MarkProvisioned', licenseChangeId: valid.licenseChangeId, by: valid.by, note: valid.note ?? null }, state),
    metadata: personMetadata(context, valid),
    eventId: newEventId,
  }), () => ({ licenseChangeId: valid.licenseChangeId }))),
))

/**
 * A person sends a failed change back to Awaiting Provisioning, saying why; it gets a fresh
 * attempt budget. Refused when a later change of the subscription already set the provider's
 * quantity (its target would be stale).
 */
export const requeue = (context: Context, input: unknown): Result<{ readonly licenseChangeId: string }> => run(pipe(
  TE.fromEither(I.validate('Requeue', I.RequeueInput, input)),
  TE.bindTo('valid'),
  TE.bind('supersededBy', ({ valid }) => TE.fromTask(() => laterSettledChange(context, valid.licenseChangeId))),
  TE.chain(({ valid, supersededBy }) => executed(() => execute(context.store, {
    streamId: streams.licenseChange(valid.licenseChangeId),
    aggregate: licenseChangeAggregate,
    decide: (state) => decideLicenseChange({ type: 'Requeue', licenseChangeId: valid.licenseChangeId, by: valid.by as NonEmptyString, reason: valid.reason, supersededBy }, state),
    metadata: personMetadata(context, valid),
    eventId: newEventId,
  }), () => ({ licenseChangeId: valid.licenseChangeId }))),
))
