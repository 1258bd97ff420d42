import { ProvisioningGateway, ProvisioningRequest, ProvisioningResult, SubscriptionReference } from './gateway'
import { failureOf, field, HttpAnswer, HttpCall, parseJson, permanent, transient } from './http'
import { pollUntil, PollStep } from './polling'
import { createIonTokens, RefreshTokenStore } from './techDataToken'
import { TransportOptions, transportOf, urlUnder } from './transport'
import { ionActivity, ionOrder } from './techDataResources'

/** Where a seatflow subscription lives in StreamOne Ion: the end customer and Ion's subscription id. */
export interface IonLocation {
  readonly customerId: string
  readonly subscriptionId: string
}

/** How to reach TD SYNNEX StreamOne Ion (TechData). The refresh token stays with the host, never in events. */
export interface TechDataOptions extends TransportOptions, RefreshTokenStore {
  /** The reseller account id in Ion. */
  readonly accountId: string
  /** Default: https://ion.tdsynnex.com */
  readonly baseUrl?: string
  /** Map a subscription to its Ion customer and subscription id. Default: `customerId` and the same id. */
  readonly locate?: (subscription: SubscriptionReference) => IonLocation | Promise<IonLocation>
  /** The Ion customer of every subscription, when `locate` is not given. */
  readonly customerId?: string
}

type Json = { readonly _tag: 'Json'; readonly value: unknown } | { readonly _tag: 'Failed'; readonly result: ProvisioningResult }

/** A StreamOne Ion gateway: a seat change is an order with an UPDATE item carrying the new total, polled until it ends. */
export const createTechDataGateway = (options: TechDataOptions): ProvisioningGateway => {
  if (options.locate === undefined && options.customerId === undefined) throw new Error('createTechDataGateway: give `customerId` (one Ion customer) or `locate` (a customer per subscription)')
  const transport = transportOf(options)
  const url = urlUnder(options.baseUrl ?? 'https://ion.tdsynnex.com')
  const tokens = createIonTokens(url`/oauth/token`, options, transport)
  const locate = async (subscription: SubscriptionReference): Promise<IonLocation> =>
    options.locate === undefined ? { customerId: options.customerId ?? '', subscriptionId: subscription.subscriptionId } : options.locate(subscription)
  /** URLs under a customer: `under(at)`/orders/${id}``. */
  const under = (at: IonLocation) => urlUnder(url`/api/v3/accounts/${options.accountId}/customers/${at.customerId}`)

  /** One authorized call whose 2xx answer is JSON. */
  const call = async (what: string, request: Omit<HttpCall, 'headers'>): Promise<Json> => {
    const token = await tokens.get()
    if (token._tag === 'Failed') return token
    const answer: HttpAnswer = await transport.call({ ...request, headers: { authorization: `Bearer ${token.accessToken}` } })
    if (answer._tag === 'Answered' && answer.status === 401) tokens.forget()
    if (answer._tag === 'Unreachable' || answer.status < 200 || answer.status > 299) return { _tag: 'Failed', result: failureOf(answer, { what: `TechData ${what}`, now: transport.now() }) }
    const json = parseJson(answer.text, `TechData ${request.method} ${request.url}`)
    return json.ok ? { _tag: 'Json', value: json.value } : { _tag: 'Failed', result: transient(json.reason) }
  }

  const outcomeOf = (value: unknown): PollStep<ProvisioningResult> => {
    const order = ionOrder(value)
    if (typeof order === 'string') return { _tag: 'Done', value: transient(`TechData order: ${order}`) }
    if (order.state === 'Completed') return { _tag: 'Done', value: { _tag: 'Provisioned' } }
    if (order.state === 'Failed') return { _tag: 'Done', value: permanent(order.reason, order.code) }
    return { _tag: 'NotYet' }
  }

  const checkOrder = async (at: IonLocation, orderId: string): Promise<PollStep<ProvisioningResult>> => {
    const read = await call('GET order', { method: 'GET', url: under(at)`/orders/${orderId}` })
    if (read._tag === 'Json') return outcomeOf(read.value)
    if (read.result._tag === 'PermanentFailure') return { _tag: 'Done', value: read.result }
    return read.result._tag === 'TransientFailure' && read.result.retryAfterSeconds !== undefined ? { _tag: 'NotYet', retryAfterSeconds: read.result.retryAfterSeconds } : { _tag: 'NotYet' }
  }

  const changeQuantity = async (request: ProvisioningRequest): Promise<ProvisioningResult> => {
    const at = await locate(request)
    const current = await call('GET subscription', { method: 'GET', url: under(at)`/subscriptions/${at.subscriptionId}` })
    if (current._tag === 'Failed') return current.result
    if (field(current.value, 'quantity') === request.targetQuantity) return { _tag: 'Provisioned' }
    const placed = await call('POST order', {
      method: 'POST', url: under(at)`/orders`,
      json: { orderItems: [{ action: 'UPDATE', resourceId: at.subscriptionId, quantity: request.targetQuantity }] },
    })
    if (placed._tag === 'Failed') return placed.result
    const order = ionOrder(placed.value)
    if (typeof order === 'string') return transient(`TechData order: ${order}`)
    const first = outcomeOf(placed.value)
    if (first._tag === 'Done') return first.value
    const polled = await pollUntil(() => checkOrder(at, order.id), transport.timing)
    return polled._tag === 'Done' ? polled.value : { _tag: 'Accepted', reference: order.id }
  }

  return {
    changeQuantity,
    checkPending: async (request) => {
      const step = await checkOrder(await locate(request), request.reference)
      if (step._tag === 'Done') return step.value
      return step.retryAfterSeconds === undefined ? { _tag: 'Accepted', reference: request.reference } : { _tag: 'Accepted', reference: request.reference, retryAfterSeconds: step.retryAfterSeconds }
    },
    readSubscription: async (reference) => {
      const at = await locate(reference)
      const read = await call('GET subscription', { method: 'GET', url: under(at)`/subscriptions/${at.subscriptionId}` })
      if (read._tag === 'Failed') throw new Error(`could not read subscription ${reference.subscriptionId}: ${'reason' in read.result ? read.result.reason : read.result._tag}`)
      const quantity = field(read.value, 'quantity')
      if (typeof quantity !== 'number') throw new Error(`TechData subscription ${reference.subscriptionId} has no quantity`)
      return { subscriptionId: reference.subscriptionId, quantity, ...ionActivity(read.value) }
    },
  }
}
