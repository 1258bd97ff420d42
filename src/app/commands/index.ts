import { CopiedEmailAddressesKey, ProviderConfiguration } from '../../domain/events'
import { licenseChangeIdFor } from '../../domain/ids'
import { licenseChanges } from '../../domain/licenseChange'
import { providers } from '../../domain/provider'
import { settings } from '../../domain/settings'
import { subscriptions } from '../../domain/subscription'
import { LicenseChangeId, ProviderId, SubscriptionId } from '../../domain/values'
import { laterSettledChange } from '../processes/supersededBy'
import { StagedEvent } from '../state/session'
import { CommandContext, commandMetadata, fresh, personMetadata, Result, validated } from './context'
import { handle } from './handler'
import * as I from './inputs'
import { newId } from './newId'

export { newId } from './newId'
export { commandMetadata } from './context'
export type { CommandContext, Result } from './context'
export { moveSubscription, suspendSubscription, reactivateSubscription, cancelSubscription } from './lifecycle'
export { markInvoiced } from './invoicing'

const configurationOf = (valid: I.ProviderInput): ProviderConfiguration => {
  switch (valid.kind) {
    case 'Do Nothing': return { kind: 'Do Nothing' }
    case 'Manual': return { kind: 'Manual', provisioningEmail: valid.provisioningEmail }
    case 'Automatic': return { kind: 'Automatic', system: valid.system, maxAttempts: valid.maxAttempts ?? (3 as NonNullable<typeof valid.maxAttempts>) }
  }
}

/** Register a provider (a Do Nothing, a Manual or an Automatic one) under `providerId` unless the input names its own. */
export const registerProvider = (context: CommandContext, input: unknown, providerId: ProviderId): Result<{ readonly providerId: ProviderId }> =>
  validated(I.validateProvider(input), (valid) => {
    const id = valid.providerId ?? providerId
    return handle(context.writer, {
      aggregate: providers, id, stamp: { ...fresh, metadata: commandMetadata(context, valid) },
      command: () => ({ type: 'RegisterProvider' as const, providerId: id, name: valid.name, configuration: configurationOf(valid) }),
      answer: () => ({ providerId: id }),
    })
  })

/** Change a provider's name or configuration (its kind stays). */
export const changeProviderConfiguration = (context: CommandContext, input: unknown): Result<{ readonly providerId: ProviderId }> =>
  validated(I.validate('ChangeProviderConfiguration', I.ChangeProviderInput, input), ({ providerId, actor: _a, correlationId: _c, ...change }) =>
    handle(context.writer, {
      aggregate: providers, id: providerId, stamp: { ...fresh, metadata: commandMetadata(context, { ...(_a === undefined ? {} : { actor: _a }), ...(_c === undefined ? {} : { correlationId: _c }) }) },
      command: () => ({ type: 'ChangeProviderConfiguration' as const, providerId, change }),
      answer: () => ({ providerId }),
    }))

/** Deactivate a provider: it takes no new subscriptions or changes. */
export const deactivateProvider = (context: CommandContext, input: unknown): Result<{ readonly providerId: ProviderId }> =>
  validated(I.validate('DeactivateProvider', I.DeactivateProviderInput, input), (valid) => handle(context.writer, {
    aggregate: providers, id: valid.providerId, stamp: { ...fresh, metadata: commandMetadata(context, valid) },
    command: () => ({ type: 'DeactivateProvider' as const, providerId: valid.providerId }),
    answer: () => ({ providerId: valid.providerId }),
  }))

/** Change a global setting; the log shows who changed it and when. */
export const changeSetting = (context: CommandContext, input: unknown): Result<{ readonly key: typeof CopiedEmailAddressesKey }> =>
  validated(I.validate('ChangeSetting', I.ChangeSettingInput, input), (valid) => handle(context.writer, {
    aggregate: settings, id: 'settings', stamp: { ...fresh, metadata: commandMetadata(context, valid) },
    command: () => ({ type: 'ChangeSetting' as const, key: valid.key, value: valid.value }),
    answer: () => ({ key: valid.key }),
  }))

/** The License Change a quantity event recorded, when it changed the quantity. */
const licenseChangeOf = (decided: ReadonlyArray<StagedEvent>): LicenseChangeId | null => {
  const first = decided[0]
  if (first === undefined) return null
  const seats = first.event.type === 'SubscriptionCreated' ? first.event.data.quantity
    : first.event.type === 'SubscriptionQuantityChanged' ? first.event.data.newQuantity - first.event.data.previousQuantity : 0
  return seats === 0 ? null : licenseChangeIdFor(first.eventId)
}

/**
 * Create a subscription; a bundle child's quantity is the parent's times the multiplier when not
 * given. (The event's id is made before the correlation id, as it always was: a demo run with ids
 * from a counter gives the same log as before.)
 */
export const createSubscription = (context: CommandContext, input: unknown)
: Result<{ readonly subscriptionId: SubscriptionId; readonly licenseChangeId: string | null }> =>
  validated(I.validate('CreateSubscription', I.CreateSubscriptionInput, input), (valid) => {
    const subscriptionId = valid.subscriptionId ?? (newId() as SubscriptionId)
    const bundle = valid.bundle ?? null
    const eventId = newId()
    return handle(context.writer, {
      aggregate: subscriptions, id: subscriptionId, stamp: { eventId: () => eventId, metadata: commandMetadata(context, valid) },
      command: async (_state, session) => {
        const parent = bundle === null ? null : await session.current(subscriptions, bundle.parentId)
        return {
          type: 'CreateSubscription' as const, subscriptionId, product: valid.product, providerId: valid.providerId,
          ...(valid.quantity === undefined ? {} : { quantity: valid.quantity }),
          billingContractId: valid.billingContractId, contractOwnerEmail: valid.contractOwnerEmail, bundle,
          provider: await session.current(providers, valid.providerId),
          parent: parent === null ? null : {
            subscription: parent,
            provider: parent.status === 'None' ? providers.initialState : await session.current(providers, parent.providerId),
          },
        }
      },
      answer: (decided) => ({ subscriptionId, licenseChangeId: licenseChangeOf(decided) }),
    })
  })

/** Change a subscription's quantity: `origin` host for a reseller's change, provider for one that came from the provider (two-way sync). */
export const changeQuantity = (context: CommandContext, input: unknown, origin: 'host' | 'provider' = 'host')
: Result<{ readonly subscriptionId: SubscriptionId; readonly licenseChangeId: string }> =>
  validated(I.validate(origin === 'host' ? 'ChangeQuantity' : 'RecordProviderQuantity', I.ChangeQuantityInput, input), (valid) => {
    const eventId = newId()
    return handle(context.writer, {
      aggregate: subscriptions, id: valid.subscriptionId, stamp: { eventId: () => eventId, metadata: commandMetadata(context, valid) },
      command: async (state, session) => ({
        type: 'ChangeQuantity' as const, subscriptionId: valid.subscriptionId, newQuantity: valid.quantity, origin,
        provider: state.status === 'None' ? providers.initialState : await session.current(providers, state.providerId),
      }),
      answer: () => ({ subscriptionId: valid.subscriptionId, licenseChangeId: licenseChangeIdFor(eventId) }),
    })
  })

/** A person marks a Manual change provisioned. */
export const markProvisioned = (context: CommandContext, input: unknown): Result<{ readonly licenseChangeId: string }> =>
  validated(I.validate('MarkProvisioned', I.MarkProvisionedInput, input), (valid) => handle(context.writer, {
    aggregate: licenseChanges, id: valid.licenseChangeId, stamp: { ...fresh, metadata: personMetadata(context, valid) },
    command: () => ({ type: 'MarkProvisioned' as const, licenseChangeId: valid.licenseChangeId, by: valid.by, note: valid.note ?? null }),
    answer: () => ({ licenseChangeId: valid.licenseChangeId }),
  }))

/**
 * A person sends a failed change back to Awaiting Provisioning, saying why; it gets a fresh
 * attempt budget. Refused when a later change of the subscription already set the provider's
 * quantity (its target would be stale).
 */
export const requeue = (context: CommandContext, input: unknown): Result<{ readonly licenseChangeId: string }> =>
  validated(I.validate('Requeue', I.RequeueInput, input), (valid) => handle(context.writer, {
    aggregate: licenseChanges, id: valid.licenseChangeId, stamp: { ...fresh, metadata: personMetadata(context, valid) },
    command: async (state) => ({
      type: 'Requeue' as const, licenseChangeId: valid.licenseChangeId, by: valid.by, reason: valid.reason,
      supersededBy: state.status === 'None' ? null : await laterSettledChange(context.writer.reader, state),
    }),
    answer: () => ({ licenseChangeId: valid.licenseChangeId }),
  }))
