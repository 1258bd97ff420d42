import { randomUUID } from 'node:crypto'
import { derivedId } from '../domain/ids'
import { ProviderSubscriptionState, ProvisioningGateway, ProvisioningRequest, ProvisioningResult, SubscriptionReference } from './gateway'
import { accepted, failureOf, HttpAnswer, parseJson, retryAfterSeconds, transient } from './http'
import { notReadyToBeUpdated, PartnerCenterSubscription, readSubscriptionResource } from './partnerCenterResource'
import { Asked, planOf, showsAsked } from './partnerCenterPlan'
import { acceptedOr, pollUntil, PollStep, stepAfterFailure } from './polling'
import { Transport, TransportOptions, transportOf, urlUnder } from './transport'

/** Where a seatflow subscription lives in Partner Center: the customer's tenant and Partner Center's subscription id. */
export interface PartnerCenterLocation {
  readonly customerId: string
  readonly subscriptionId: string
}

/** How to reach Partner Center. Secrets come from the host's token provider, never from the event log. */
export interface PartnerCenterOptions extends TransportOptions {
  /** A bearer token for each call (the host handles the app or app+user authentication and its cache). */
  readonly token: () => Promise<string>
  /** Default: https://api.partnercenter.microsoft.com */
  readonly baseUrl?: string
  /** Map a subscription to its tenant and Partner Center id. Default: `customerId` and the same id. */
  readonly locate?: (subscription: SubscriptionReference) => PartnerCenterLocation | Promise<PartnerCenterLocation>
  /** The customer tenant of every subscription, when `locate` is not given. */
  readonly customerId?: string
  /** How often a PATCH refused for a changed ETag is re-read and sent again within one attempt (default 3). */
  readonly etagRetries?: number
}

type Locate = NonNullable<PartnerCenterOptions['locate']>

type Read = { readonly _tag: 'Read'; readonly subscription: PartnerCenterSubscription } | { readonly _tag: 'Failed'; readonly result: ProvisioningResult }

/** What every call of one Partner Center gateway shares. */
interface PartnerCenter {
  readonly transport: Transport
  readonly token: () => Promise<string>
  readonly url: ReturnType<typeof urlUnder>
  readonly locate: Locate
  readonly etagRetries: number
}

/** One attempt's subscription and the correlation id all its calls carry. */
interface Attempt {
  readonly request: ProvisioningRequest
  readonly resourceUrl: string
  readonly correlationId: string
}

/** The given `locate`, else one tenant for every subscription; undefined when neither is given. */
const locatorOf = (options: PartnerCenterOptions): Locate | undefined => {
  if (options.locate !== undefined) return options.locate
  const { customerId } = options
  return customerId === undefined ? undefined : (subscription) => ({ customerId, subscriptionId: subscription.subscriptionId })
}

const correlationOf = (idempotencyKey: string): string => derivedId(`partner-center-correlation:${idempotencyKey}`)

const resourceUrlOf = async (center: PartnerCenter, subscription: SubscriptionReference): Promise<string> => {
  const location = await center.locate(subscription)
  return center.url`/v1/customers/${location.customerId}/subscriptions/${location.subscriptionId}`
}

const headers = async (center: PartnerCenter, requestId: string, correlationId: string, extra: Record<string, string> = {}): Promise<Record<string, string>> => ({
  authorization: `Bearer ${await center.token()}`, 'MS-RequestId': requestId, 'MS-CorrelationId': correlationId, ...extra,
})

const reading = (center: PartnerCenter, what: string) => ({ what: `Partner Center ${what}`, now: center.transport.now(), transientWhen: notReadyToBeUpdated })

/** GET the subscription with its ETag. */
const read = async (center: PartnerCenter, resourceUrl: string, correlationId: string): Promise<Read> => {
  const answer = await center.transport.call({ method: 'GET', url: resourceUrl, headers: await headers(center, randomUUID(), correlationId) })
  if (answer._tag === 'Unreachable' || answer.status !== 200) return { _tag: 'Failed', result: failureOf(answer, reading(center, 'GET subscription')) }
  const json = parseJson(answer.text, `Partner Center GET ${resourceUrl}`)
  if (!json.ok) return { _tag: 'Failed', result: transient(json.reason) }
  const subscription = readSubscriptionResource(json.value, answer.headers.get('etag'))
  return typeof subscription === 'string' ? { _tag: 'Failed', result: transient(`Partner Center GET ${resourceUrl}: ${subscription}`) } : { _tag: 'Read', subscription }
}

/** One look at an accepted attempt: done when Partner Center shows what was asked, or with a failure it will not get over. */
const check = async (center: PartnerCenter, reference: string, asked: Asked, correlationId: string): Promise<PollStep<ProvisioningResult>> => {
  const current = await read(center, reference, correlationId)
  if (current._tag === 'Failed') return stepAfterFailure(current.result)
  return showsAsked(asked, current.subscription) ? { _tag: 'Done', value: { _tag: 'Provisioned' } } : { _tag: 'NotYet' }
}

/** PATCH the planned resource with the ETag just read. */
const patch = async (center: PartnerCenter, attempt: Attempt, subscription: PartnerCenterSubscription, body: unknown, round: number): Promise<HttpAnswer> => {
  const { request, resourceUrl, correlationId } = attempt
  // The first PATCH of an attempt carries the attempt's key; a PATCH after an ETag refusal is a new request.
  const requestId = round === 0 ? request.idempotencyKey : derivedId(`partner-center-etag-retry:${request.idempotencyKey}:${round}`)
  return center.transport.call({
    method: 'PATCH', url: resourceUrl, json: body,
    headers: await headers(center, requestId, correlationId, subscription.etag === null ? {} : { 'If-Match': subscription.etag }),
  })
}

/** What a PATCH answer (other than an ETag refusal) means: done, or a 202 followed until it is or the wait runs out. */
const afterPatch = async (center: PartnerCenter, attempt: Attempt, answer: HttpAnswer): Promise<ProvisioningResult> => {
  if (answer._tag === 'Answered' && answer.status === 200) return { _tag: 'Provisioned' }
  if (answer._tag !== 'Answered' || answer.status !== 202) return failureOf(answer, reading(center, 'PATCH subscription'))
  const reference = new URL(answer.headers.get('location') ?? attempt.resourceUrl, attempt.resourceUrl).toString()
  const polled = await pollUntil(() => check(center, reference, attempt.request, attempt.correlationId), center.transport.timing)
  if (polled._tag === 'Done') return polled.value
  return accepted(reference, retryAfterSeconds(answer.headers.get('retry-after'), center.transport.now()))
}

/** One round of an attempt: read, plan (done already, refused, or a PATCH), PATCH; null when Partner Center refused the ETag and the round must be read again. */
const changeRound = async (center: PartnerCenter, attempt: Attempt, round: number): Promise<ProvisioningResult | null> => {
  const current = await read(center, attempt.resourceUrl, attempt.correlationId)
  if (current._tag === 'Failed') return current.result
  const plan = planOf(attempt.request, current.subscription, center.transport.now())
  if (plan._tag === 'Done') return plan.result
  const answer = await patch(center, attempt, current.subscription, plan.body, round)
  return answer._tag === 'Answered' && answer.status === 412 ? null : afterPatch(center, attempt, answer)
}

const changeQuantity = async (center: PartnerCenter, request: ProvisioningRequest): Promise<ProvisioningResult> => {
  const attempt: Attempt = { request, resourceUrl: await resourceUrlOf(center, request), correlationId: correlationOf(request.idempotencyKey) }
  for (let round = 0; round <= center.etagRetries; round += 1) {
    const result = await changeRound(center, attempt, round)
    if (result !== null) return result
  }
  return transient(`Partner Center refused the update ${center.etagRetries + 1} times because the subscription changed meanwhile (ETag mismatch)`)
}

const readSubscription = async (center: PartnerCenter, reference: SubscriptionReference): Promise<ProviderSubscriptionState> => {
  const current = await read(center, await resourceUrlOf(center, reference), randomUUID())
  if (current._tag === 'Failed') throw new Error(`could not read subscription ${reference.subscriptionId}: ${'reason' in current.result ? current.result.reason : current.result._tag}`)
  // A subscription deleted at Partner Center (cancelled in its portal, say) has no seats there, whatever its resource still says.
  return { subscriptionId: reference.subscriptionId, quantity: current.subscription.status === 'deleted' ? 0 : current.subscription.quantity }
}

/**
 * A Partner Center gateway: GET the subscription, PATCH the full resource with its ETag (the absolute
 * quantity; `status: deleted` to cancel; `status: active` and the quantity to reactivate), follow a 202.
 */
export const createPartnerCenterGateway = (options: PartnerCenterOptions): ProvisioningGateway => {
  const transport = transportOf(options)
  const url = urlUnder(options.baseUrl ?? 'https://api.partnercenter.microsoft.com')
  const locate = locatorOf(options)
  if (locate === undefined) throw new Error('createPartnerCenterGateway: give `customerId` (one customer tenant) or `locate` (a tenant per subscription)')
  const center: PartnerCenter = { transport, token: options.token, url, locate, etagRetries: options.etagRetries ?? 3 }
  return {
    changeQuantity: (request) => changeQuantity(center, request),
    checkPending: async (request) =>
      acceptedOr(await check(center, request.reference, request, correlationOf(request.idempotencyKey)), request.reference),
    readSubscription: (reference) => readSubscription(center, reference),
  }
}
