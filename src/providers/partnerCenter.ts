import { randomUUID } from 'node:crypto'
import { derivedId } from '../domain/ids'
import { ProvisioningGateway, ProvisioningRequest, ProvisioningResult, SubscriptionReference } from './gateway'
import { failureOf, HttpAnswer, parseJson, permanent, retryAfterSeconds, transient } from './http'
import { notReadyToBeUpdated, PartnerCenterSubscription, readSubscriptionResource } from './partnerCenterResource'
import { pollUntil, PollStep } from './polling'
import { reductionVerdict } from './reductionWindow'
import { TransportOptions, transportOf, urlUnder } from './transport'

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

type Read = { readonly _tag: 'Read'; readonly subscription: PartnerCenterSubscription } | { readonly _tag: 'Failed'; readonly result: ProvisioningResult }

/** A Partner Center gateway: GET the subscription, PATCH it with the absolute quantity and its ETag, follow a 202. */
export const createPartnerCenterGateway = (options: PartnerCenterOptions): ProvisioningGateway => {
  const transport = transportOf(options)
  const url = urlUnder(options.baseUrl ?? 'https://api.partnercenter.microsoft.com')
  const etagRetries = options.etagRetries ?? 3
  const locate = options.locate ?? ((subscription: SubscriptionReference): PartnerCenterLocation => {
    if (options.customerId === undefined) throw new Error('the Partner Center gateway needs `customerId` or `locate` to find a subscription\'s customer tenant')
    return { customerId: options.customerId, subscriptionId: subscription.subscriptionId }
  })
  if (options.locate === undefined && options.customerId === undefined) throw new Error('createPartnerCenterGateway: give `customerId` (one customer tenant) or `locate` (a tenant per subscription)')

  const headers = async (requestId: string, correlationId: string, extra: Record<string, string> = {}): Promise<Record<string, string>> => ({
    authorization: `Bearer ${await options.token()}`, 'MS-RequestId': requestId, 'MS-CorrelationId': correlationId, ...extra,
  })
  const reading = (what: string) => ({ what: `Partner Center ${what}`, now: transport.now(), transientWhen: notReadyToBeUpdated })

  const read = async (resourceUrl: string, correlationId: string): Promise<Read> => {
    const answer = await transport.call({ method: 'GET', url: resourceUrl, headers: await headers(randomUUID(), correlationId) })
    if (answer._tag === 'Unreachable' || answer.status !== 200) return { _tag: 'Failed', result: failureOf(answer, reading('GET subscription')) }
    const json = parseJson(answer.text, `Partner Center GET ${resourceUrl}`)
    if (!json.ok) return { _tag: 'Failed', result: transient(json.reason) }
    const subscription = readSubscriptionResource(json.value, answer.headers.get('etag'))
    return typeof subscription === 'string' ? { _tag: 'Failed', result: transient(`Partner Center GET ${resourceUrl}: ${subscription}`) } : { _tag: 'Read', subscription }
  }

  /** One look at an accepted change: done when the quantity shows, or with a failure Partner Center will not get over. */
  const check = async (reference: string, target: number, correlationId: string): Promise<PollStep<ProvisioningResult>> => {
    const read_ = await read(reference, correlationId)
    if (read_._tag === 'Read') return read_.subscription.quantity === target ? { _tag: 'Done', value: { _tag: 'Provisioned' } } : { _tag: 'NotYet' }
    if (read_.result._tag === 'PermanentFailure') return { _tag: 'Done', value: read_.result }
    return read_.result._tag === 'TransientFailure' && read_.result.retryAfterSeconds !== undefined ? { _tag: 'NotYet', retryAfterSeconds: read_.result.retryAfterSeconds } : { _tag: 'NotYet' }
  }

  const afterPatch = async (answer: HttpAnswer, resourceUrl: string, request: ProvisioningRequest, correlationId: string): Promise<ProvisioningResult> => {
    if (answer._tag === 'Answered' && answer.status === 200) return { _tag: 'Provisioned' }
    if (answer._tag === 'Answered' && answer.status === 202) {
      const reference = new URL(answer.headers.get('location') ?? resourceUrl, resourceUrl).toString()
      const polled = await pollUntil(() => check(reference, request.targetQuantity, correlationId), transport.timing)
      if (polled._tag === 'Done') return polled.value
      const retryAfter = retryAfterSeconds(answer.headers.get('retry-after'), transport.now())
      return retryAfter === undefined ? { _tag: 'Accepted', reference } : { _tag: 'Accepted', reference, retryAfterSeconds: retryAfter }
    }
    return failureOf(answer, reading('PATCH subscription'))
  }

  const changeQuantity = async (request: ProvisioningRequest): Promise<ProvisioningResult> => {
    const location = await locate(request)
    const resourceUrl = url`/v1/customers/${location.customerId}/subscriptions/${location.subscriptionId}`
    const correlationId = derivedId(`partner-center-correlation:${request.idempotencyKey}`)
    for (let round = 0; round <= etagRetries; round += 1) {
      const current = await read(resourceUrl, correlationId)
      if (current._tag === 'Failed') return current.result
      const { subscription } = current
      if (subscription.quantity === request.targetQuantity) return { _tag: 'Provisioned' }
      const verdict = reductionVerdict({ currentQuantity: subscription.quantity, targetQuantity: request.targetQuantity, windows: subscription.windows, now: transport.now() })
      if (verdict._tag === 'WindowClosed') return permanent(`Partner Center ${verdict.reason}`, 'ReductionWindowClosed')
      // The first PATCH of an attempt carries the attempt's key; a PATCH after an ETag refusal is a new request.
      const requestId = round === 0 ? request.idempotencyKey : derivedId(`partner-center-etag-retry:${request.idempotencyKey}:${round}`)
      const answer = await transport.call({
        method: 'PATCH', url: resourceUrl, json: { ...subscription.body, quantity: request.targetQuantity },
        headers: await headers(requestId, correlationId, subscription.etag === null ? {} : { 'If-Match': subscription.etag }),
      })
      if (answer._tag === 'Answered' && answer.status === 412) continue
      return afterPatch(answer, resourceUrl, request, correlationId)
    }
    return transient(`Partner Center refused the update ${etagRetries + 1} times because the subscription changed meanwhile (ETag mismatch)`)
  }

  return {
    changeQuantity,
    checkPending: async (request) => {
      const step = await check(request.reference, request.targetQuantity, derivedId(`partner-center-correlation:${request.idempotencyKey}`))
      if (step._tag === 'Done') return step.value
      return step.retryAfterSeconds === undefined ? { _tag: 'Accepted', reference: request.reference } : { _tag: 'Accepted', reference: request.reference, retryAfterSeconds: step.retryAfterSeconds }
    },
    readSubscription: async (reference) => {
      const location = await locate(reference)
      const current = await read(url`/v1/customers/${location.customerId}/subscriptions/${location.subscriptionId}`, randomUUID())
      if (current._tag === 'Failed') throw new Error(`could not read subscription ${reference.subscriptionId}: ${'reason' in current.result ? current.result.reason : current.result._tag}`)
      return { subscriptionId: reference.subscriptionId, quantity: current.subscription.quantity }
    },
  }
}
