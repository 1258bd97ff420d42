import { AutomaticSystem } from '../domain/events'

/**
 * What an attempt asks of the provider: set the quantity; cancel the subscription (the target is
 * 0); or reactivate a suspended subscription at the target quantity.
 */
export type ProvisioningAction = 'set quantity' | 'cancel' | 'reactivate'

/** One attempt to set a subscription's quantity (or to cancel or reactivate it) at an automatic provider. */
export interface ProvisioningRequest {
  readonly licenseChangeId: string
  readonly action: ProvisioningAction
  readonly subscriptionId: string
  readonly providerId: string
  readonly system: AutomaticSystem
  readonly product: string
  /** The absolute quantity the provider must end with (never a delta). */
  readonly targetQuantity: number
  readonly previousQuantity: number
  /** 1 for the first attempt; a re-check of an accepted attempt keeps its number. */
  readonly attempt: number
  /** The same for every call of one attempt, new for the next: the provider deduplicates by it. */
  readonly idempotencyKey: string
}

/** What a provider answered. */
export type ProvisioningResult =
  | { readonly _tag: 'Provisioned' }
  | { readonly _tag: 'Accepted'; readonly reference: string; readonly retryAfterSeconds?: number }
  | { readonly _tag: 'TransientFailure'; readonly reason: string; readonly retryAfterSeconds?: number }
  | { readonly _tag: 'PermanentFailure'; readonly reason: string; readonly code?: string }

/** Which subscription to read at the provider. */
export interface SubscriptionReference {
  readonly subscriptionId: string
  readonly providerId: string
  readonly system: AutomaticSystem
  readonly product: string
}

/** A subscription as the provider holds it now: what two-way sync compares with seatflow's quantity. */
export interface ProviderSubscriptionState {
  readonly subscriptionId: string
  readonly quantity: number
  /** Who last changed it at the provider, when the provider says (e.g. an activity log entry). */
  readonly changedBy?: string
  /** When the provider says it last changed (ISO-8601). */
  readonly changedAt?: string
}

/**
 * The port every automatic provider sits behind (Partner Center, TechData, Synnex...).
 * `changeQuantity` starts an attempt; `checkPending` asks after one the provider accepted.
 * A gateway answers with a result; it throws only when it is itself broken (the throw is
 * recorded as a transient failure).
 */
export interface ProvisioningGateway {
  readonly changeQuantity: (request: ProvisioningRequest) => Promise<ProvisioningResult>
  readonly checkPending: (request: ProvisioningRequest & { readonly reference: string }) => Promise<ProvisioningResult>
  /** Read the subscription's current state at the provider, for two-way sync; a gateway that cannot omits it. */
  readonly readSubscription?: (subscription: SubscriptionReference) => Promise<ProviderSubscriptionState>
}

/** Gateways by provider id, or by automatic system for every provider of that system. */
export type Gateways = Readonly<Partial<Record<AutomaticSystem, ProvisioningGateway>> & Record<string, ProvisioningGateway>>
