import { AutomaticSystem } from '../domain/events'

/** One attempt to set a subscription's quantity at an automatic provider. */
export interface ProvisioningRequest {
  readonly licenseChangeId: string
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

/**
 * The port every automatic provider sits behind (Partner Center, TechData, Synnex...).
 * `changeQuantity` starts an attempt; `checkPending` asks after one the provider accepted.
 * A gateway answers with a result; it throws only when it is itself broken (the throw is
 * recorded as a transient failure).
 */
export interface ProvisioningGateway {
  readonly changeQuantity: (request: ProvisioningRequest) => Promise<ProvisioningResult>
  readonly checkPending: (request: ProvisioningRequest & { readonly reference: string }) => Promise<ProvisioningResult>
}

/** Gateways by provider id, or by automatic system for every provider of that system. */
export type Gateways = Readonly<Partial<Record<AutomaticSystem, ProvisioningGateway>> & Record<string, ProvisioningGateway>>
