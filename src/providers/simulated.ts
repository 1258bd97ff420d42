import { ProviderSubscriptionState, ProvisioningGateway, ProvisioningRequest, ProvisioningResult, SubscriptionReference } from './gateway'

/** Options of the simulated gateway. */
export interface SimulatedGatewayOptions {
  /** Decide an attempt's answer (undefined: provisioned). Called once per idempotency key. */
  readonly answer?: (request: ProvisioningRequest) => ProvisioningResult | undefined
  /** How many checks an accepted attempt needs before it shows as provisioned (default 1). */
  readonly checksUntilDone?: number
}

/** An in-process provider for tests and the demo: it keeps quantities (0 once cancelled), honours idempotency keys and logs calls. */
export const createSimulatedGateway = (options: SimulatedGatewayOptions = {}) => {
  const quantities = new Map<string, number>()
  const changedAtProvider = new Map<string, { readonly changedBy?: string; readonly changedAt?: string }>()
  const answers = new Map<string, ProvisioningResult>()
  const checks = new Map<string, number>()
  const calls: Array<{ readonly operation: 'changeQuantity' | 'checkPending'; readonly request: ProvisioningRequest }> = []

  const changeQuantity = async (request: ProvisioningRequest): Promise<ProvisioningResult> => {
    calls.push({ operation: 'changeQuantity', request })
    const known = answers.get(request.idempotencyKey)
    if (known !== undefined) return known
    const answer = options.answer?.(request) ?? { _tag: 'Provisioned' }
    answers.set(request.idempotencyKey, answer)
    if (answer._tag === 'Provisioned') quantities.set(request.subscriptionId, request.targetQuantity)
    return answer
  }

  const checkPending = async (request: ProvisioningRequest & { readonly reference: string }): Promise<ProvisioningResult> => {
    calls.push({ operation: 'checkPending', request })
    const done = (checks.get(request.reference) ?? 0) + 1
    checks.set(request.reference, done)
    if (done < (options.checksUntilDone ?? 1)) return { _tag: 'Accepted', reference: request.reference }
    quantities.set(request.subscriptionId, request.targetQuantity)
    return { _tag: 'Provisioned' }
  }

  const readSubscription = async (subscription: SubscriptionReference): Promise<ProviderSubscriptionState> => {
    const quantity = quantities.get(subscription.subscriptionId)
    if (quantity === undefined) throw new Error(`subscription ${subscription.subscriptionId} is not known at the simulated provider`)
    return { subscriptionId: subscription.subscriptionId, quantity, ...changedAtProvider.get(subscription.subscriptionId) }
  }

  const gateway: ProvisioningGateway = { changeQuantity, checkPending, readSubscription }
  return {
    ...gateway,
    /** A change made at the provider itself (in its portal): what two-way sync then reads. */
    changeAtProvider: (subscriptionId: string, quantity: number, by?: { readonly changedBy?: string; readonly changedAt?: string }): void => {
      quantities.set(subscriptionId, quantity)
      changedAtProvider.set(subscriptionId, by ?? {})
    },
    /** The quantity the simulated provider holds for a subscription. */
    quantityOf: (subscriptionId: string): number | undefined => quantities.get(subscriptionId),
    /** Every call made, in order. */
    calls: (): ReadonlyArray<{ readonly operation: string; readonly request: ProvisioningRequest }> => [...calls],
  }
}
