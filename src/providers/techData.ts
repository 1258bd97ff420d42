import { ProviderSubscriptionState, ProvisioningGateway, ProvisioningRequest, ProvisioningResult, SubscriptionReference } from './gateway'
import { failureOf, field, HttpAnswer, HttpCall, parseJson, permanent, transient } from './http'
import { acceptedOr, pollUntil, PollStep, stepAfterFailure } from './polling'
import { createIonTokens, RefreshTokenStore } from './techDataToken'
import { Transport, TransportOptions, transportOf, urlUnder } from './transport'
import { ionActivity, ionOrder, ionPlan } from './techDataResources'

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

/** What every call of one StreamOne Ion gateway shares. */
interface Ion {
  readonly options: TechDataOptions
  readonly transport: Transport
  readonly tokens: ReturnType<typeof createIonTokens>
  readonly url: ReturnType<typeof urlUnder>
}

const locate = async (ion: Ion, subscription: SubscriptionReference): Promise<IonLocation> =>
  ion.options.locate === undefined ? { customerId: ion.options.customerId ?? '', subscriptionId: subscription.subscriptionId } : ion.options.locate(subscription)

/** URLs under a customer: `under(ion, at)`/orders/${id}``. */
const under = (ion: Ion, at: IonLocation) => urlUnder(ion.url`/api/v3/accounts/${ion.options.accountId}/customers/${at.customerId}`)

/** One authorized call whose 2xx answer is JSON. */
const call = async (ion: Ion, what: string, request: Omit<HttpCall, 'headers'>): Promise<Json> => {
  const token = await ion.tokens.get()
  if (token._tag === 'Failed') return token
  const answer: HttpAnswer = await ion.transport.call({ ...request, headers: { authorization: `Bearer ${token.accessToken}` } })
  if (answer._tag === 'Answered' && answer.status === 401) ion.tokens.forget()
  if (answer._tag === 'Unreachable' || answer.status < 200 || answer.status > 299) return { _tag: 'Failed', result: failureOf(answer, { what: `TechData ${what}`, now: ion.transport.now() }) }
  const json = parseJson(answer.text, `TechData ${request.method} ${request.url}`)
  return json.ok ? { _tag: 'Json', value: json.value } : { _tag: 'Failed', result: transient(json.reason) }
}

const readSubscriptionAt = (ion: Ion, at: IonLocation): Promise<Json> =>
  call(ion, 'GET subscription', { method: 'GET', url: under(ion, at)`/subscriptions/${at.subscriptionId}` })

/** Where an order stands: done when it completed or failed (or cannot be read), else not yet. */
const outcomeOf = (value: unknown): PollStep<ProvisioningResult> => {
  const order = ionOrder(value)
  if (typeof order === 'string') return { _tag: 'Done', value: transient(`TechData order: ${order}`) }
  if (order.state === 'Completed') return { _tag: 'Done', value: { _tag: 'Provisioned' } }
  if (order.state === 'Failed') return { _tag: 'Done', value: permanent(order.reason, order.code) }
  return { _tag: 'NotYet' }
}

/** One look at a placed order. */
const checkOrder = async (ion: Ion, at: IonLocation, orderId: string): Promise<PollStep<ProvisioningResult>> => {
  const read = await call(ion, 'GET order', { method: 'GET', url: under(ion, at)`/orders/${orderId}` })
  return read._tag === 'Json' ? outcomeOf(read.value) : stepAfterFailure(read.result)
}

/** Place an order with an UPDATE item carrying the new total, and follow it until it ends or the wait runs out. */
const placeOrder = async (ion: Ion, at: IonLocation, targetQuantity: number): Promise<ProvisioningResult> => {
  const placed = await call(ion, 'POST order', {
    method: 'POST', url: under(ion, at)`/orders`,
    json: { orderItems: [{ action: 'UPDATE', resourceId: at.subscriptionId, quantity: targetQuantity }] },
  })
  if (placed._tag === 'Failed') return placed.result
  const order = ionOrder(placed.value)
  if (typeof order === 'string') return transient(`TechData order: ${order}`)
  const first = outcomeOf(placed.value)
  if (first._tag === 'Done') return first.value
  const polled = await pollUntil(() => checkOrder(ion, at, order.id), ion.transport.timing)
  return polled._tag === 'Done' ? polled.value : { _tag: 'Accepted', reference: order.id }
}

const changeQuantity = async (ion: Ion, request: ProvisioningRequest): Promise<ProvisioningResult> => {
  const at = await locate(ion, request)
  const current = await readSubscriptionAt(ion, at)
  if (current._tag === 'Failed') return current.result
  const plan = ionPlan(request.action, current.value, at.subscriptionId)
  if (plan._tag === 'Done') return plan.result
  if (field(current.value, 'quantity') === request.targetQuantity) return { _tag: 'Provisioned' }
  return placeOrder(ion, at, request.targetQuantity)
}

const readSubscription = async (ion: Ion, reference: SubscriptionReference): Promise<ProviderSubscriptionState> => {
  const read = await readSubscriptionAt(ion, await locate(ion, reference))
  if (read._tag === 'Failed') throw new Error(`could not read subscription ${reference.subscriptionId}: ${'reason' in read.result ? read.result.reason : read.result._tag}`)
  const quantity = field(read.value, 'quantity')
  if (typeof quantity !== 'number') throw new Error(`TechData subscription ${reference.subscriptionId} has no quantity`)
  return { subscriptionId: reference.subscriptionId, quantity, ...ionActivity(read.value) }
}

/** A StreamOne Ion gateway: a seat change is an order with an UPDATE item carrying the new total, polled until it ends; cancellation is the portal's (`ionPlan`). */
export const createTechDataGateway = (options: TechDataOptions): ProvisioningGateway => {
  if (options.locate === undefined && options.customerId === undefined) throw new Error('createTechDataGateway: give `customerId` (one Ion customer) or `locate` (a customer per subscription)')
  const transport = transportOf(options)
  const url = urlUnder(options.baseUrl ?? 'https://ion.tdsynnex.com')
  const ion: Ion = { options, transport, url, tokens: createIonTokens(url`/oauth/token`, options, transport) }
  return {
    changeQuantity: (request) => changeQuantity(ion, request),
    checkPending: async (request) => acceptedOr(await checkOrder(ion, await locate(ion, request), request.reference), request.reference),
    readSubscription: (reference) => readSubscription(ion, reference),
  }
}
