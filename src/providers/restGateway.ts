import * as t from 'io-ts'
import { ProvisioningGateway, ProvisioningRequest, ProvisioningResult, SubscriptionReference } from './gateway'
import { failureOf, HttpAnswer, parseJson, permanent, transient } from './http'
import { acceptedOr, pollUntil, PollStep } from './polling'
import { Endpoint, restGatewayConfig, RestGatewayConfig } from './restConfig'
import { atPointer, renderBody, renderPath, TemplateValues } from './template'
import { Transport, TransportOptions, transportOf } from './transport'

/** What the host gives a REST gateway besides its configuration: secrets and the id mapping stay in code, never in events. */
export interface RestGatewayHost extends TransportOptions {
  /** Headers that authenticate a call (e.g. `{ authorization: 'Bearer ...' }`), asked for each call. */
  readonly authorize?: () => Promise<Readonly<Record<string, string>>>
  /** The provider's id of a subscription. Default: seatflow's id. */
  readonly locate?: (subscription: SubscriptionReference) => string | Promise<string>
}

type Reading = { readonly _tag: 'Done'; readonly value: ProvisioningResult } | { readonly _tag: 'Pending'; readonly reference: string | null }

const words = (value: unknown): string | undefined =>
  value === undefined || value === null || typeof value === 'object' ? undefined : String(value)

/** What every call of one REST gateway shares. */
interface Rest {
  readonly config: RestGatewayConfig
  readonly host: RestGatewayHost
  readonly transport: Transport
  /** The configured base URL without its trailing slashes. */
  readonly base: string
}

type Call = (endpoint: t.TypeOf<typeof Endpoint>, values: TemplateValues, idempotencyKey?: string) => Promise<HttpAnswer>

/** One configured call: path and body rendered, the host's authorization and the idempotency header added. */
const callOf = ({ config, host, transport, base }: Rest): Call => async (endpoint, values, idempotencyKey) => transport.call({
  method: endpoint.method, url: base + renderPath(endpoint.path, values),
  headers: {
    ...config.headers, ...(await host.authorize?.()),
    ...(config.idempotencyHeader === undefined || idempotencyKey === undefined ? {} : { [config.idempotencyHeader]: idempotencyKey }),
  },
  ...(endpoint.body === undefined ? {} : { json: renderBody(endpoint.body, values) }),
})

/** An unsuccessful answer, its permanent reason and code read through the mapping when it gives them. */
const failed = ({ config, transport }: Rest, answer: HttpAnswer, what: string): ProvisioningResult => {
  const { response } = config
  const result = failureOf(answer, { what: `${config.name} ${what}`, now: transport.now() })
  if (result._tag !== 'PermanentFailure' || answer._tag === 'Unreachable' || response.reason === undefined) return result
  const json = parseJson(answer.text, what)
  const reason = json.ok ? words(atPointer(json.value, response.reason)) : undefined
  const code = json.ok && response.code !== undefined ? words(atPointer(json.value, response.code)) : undefined
  return reason === undefined ? result : permanent(reason, code ?? result.code)
}

/** Read the state at `response.status` against the configured values. */
const byStatus = (config: RestGatewayConfig, body: unknown, reference: string | null, what: string): Reading => {
  const { response } = config
  const status = words(atPointer(body, response.status ?? ''))
  const is = (values: ReadonlyArray<string> | undefined): boolean => status !== undefined && (values ?? []).includes(status)
  if (is(response.provisioned)) return { _tag: 'Done', value: { _tag: 'Provisioned' } }
  if (is(response.pending)) return { _tag: 'Pending', reference }
  if (is(response.failed)) {
    const reason = response.reason === undefined ? undefined : words(atPointer(body, response.reason))
    const code = response.code === undefined ? undefined : words(atPointer(body, response.code))
    return { _tag: 'Done', value: permanent(reason ?? `${config.name} reports the change ${status ?? ''}`, code) }
  }
  return { _tag: 'Done', value: transient(`${config.name} ${what}: status ${JSON.stringify(status ?? null)} at ${response.status ?? ''} is none of the configured values`) }
}

/** Read a 2xx answer through the mapping. */
const read = (config: RestGatewayConfig, answer: HttpAnswer & { readonly _tag: 'Answered' }, what: string): Reading => {
  const { response } = config
  const json = answer.text.trim() === '' ? { ok: true as const, value: undefined } : parseJson(answer.text, `${config.name} ${what}`)
  if (!json.ok) return { _tag: 'Done', value: transient(json.reason) }
  const reference = response.reference === undefined ? answer.headers.get('location') : words(atPointer(json.value, response.reference)) ?? null
  if (response.status === undefined) return answer.status === 202 ? { _tag: 'Pending', reference } : { _tag: 'Done', value: { _tag: 'Provisioned' } }
  return byStatus(config, json.value, reference, what)
}

/** Make a configured call and read its answer. */
const ask = async (rest: Rest, endpoint: t.TypeOf<typeof Endpoint>, values: TemplateValues, what: string, key?: string): Promise<Reading> => {
  const answer = await callOf(rest)(endpoint, values, key)
  return answer._tag === 'Answered' && answer.status >= 200 && answer.status < 300 ? read(rest.config, answer, what) : { _tag: 'Done', value: failed(rest, answer, what) }
}

/** The values a configured template may use: the configured variables and the request's. */
const valuesOf = async ({ config, host }: Rest, request: ProvisioningRequest): Promise<TemplateValues> => ({
  ...config.variables,
  subscriptionId: host.locate === undefined ? request.subscriptionId : await host.locate(request),
  targetQuantity: request.targetQuantity, previousQuantity: request.previousQuantity, licenseChangeId: request.licenseChangeId,
  idempotencyKey: request.idempotencyKey, product: request.product, providerId: request.providerId, attempt: request.attempt,
})

/** One look at an accepted change: with no check configured, it stays pending. */
const check = async (rest: Rest, request: ProvisioningRequest, reference: string): Promise<PollStep<ProvisioningResult>> => {
  const step = rest.config.check === undefined ? { _tag: 'Pending' as const } : await ask(rest, rest.config.check, { ...await valuesOf(rest, request), reference }, 'check')
  return step._tag === 'Done' ? step : { _tag: 'NotYet' }
}

/**
 * The configured call an attempt makes: `cancel` for a cancellation (refused when none is configured);
 * `change` for a change and a reactivation (seatflow never suspends at the provider: a suspension is
 * Not Applicable, so a reactivation only brings the quantity in line).
 */
const callFor = (config: RestGatewayConfig, request: ProvisioningRequest): { readonly endpoint: t.TypeOf<typeof Endpoint>; readonly what: string } | ProvisioningResult => {
  if (request.action !== 'cancel') return { endpoint: config.change, what: 'change' }
  if (config.cancel !== undefined) return { endpoint: config.cancel, what: 'cancel' }
  return permanent(`${config.name} cannot cancel through its REST gateway: no \`cancel\` call is configured. Add one to the gateway's configuration and re-queue this License Change, or cancel the subscription at ${config.name} directly`, 'CancelNotConfigured')
}

const changeQuantity = async (rest: Rest, request: ProvisioningRequest): Promise<ProvisioningResult> => {
  const call = callFor(rest.config, request)
  if ('_tag' in call) return call
  const first = await ask(rest, call.endpoint, await valuesOf(rest, request), call.what, request.idempotencyKey)
  if (first._tag === 'Done') return first.value
  if (first.reference === null) return transient(`${rest.config.name} answered pending without a reference to ask after it`)
  const reference = first.reference
  const polled = await pollUntil(() => check(rest, request, reference), rest.transport.timing)
  return polled._tag === 'Done' ? polled.value : { _tag: 'Accepted', reference }
}

/** A gateway whose calls and whose reading of the answers are configuration (validated; an invalid one throws a clear error). */
export const createRestGateway = (input: unknown, host: RestGatewayHost = {}): ProvisioningGateway => {
  const config: RestGatewayConfig = restGatewayConfig(input)
  const rest: Rest = { config, host, transport: transportOf(host), base: config.baseUrl.replace(/\/+$/, '') }
  return {
    changeQuantity: (request) => changeQuantity(rest, request),
    checkPending: async (request) => acceptedOr(await check(rest, request, request.reference), request.reference),
    ...(config.read === undefined ? {} : { readSubscription: readWith(config, config.read, callOf(rest), host) }),
  }
}

const readWith = (
  config: RestGatewayConfig, read: NonNullable<RestGatewayConfig['read']>,
  call: (endpoint: t.TypeOf<typeof Endpoint>, values: TemplateValues) => Promise<HttpAnswer>, host: RestGatewayHost,
) => async (reference: SubscriptionReference) => {
  const subscriptionId = host.locate === undefined ? reference.subscriptionId : await host.locate(reference)
  const answer = await call(read, { ...config.variables, subscriptionId })
  if (answer._tag === 'Unreachable') throw new Error(`could not read subscription ${reference.subscriptionId} at ${config.name}: ${answer.reason}`)
  const json = parseJson(answer.text, `${config.name} read`)
  if (answer.status !== 200 || !json.ok) throw new Error(`could not read subscription ${reference.subscriptionId} at ${config.name}: ${json.ok ? `answered ${answer.status}` : json.reason}`)
  const quantity = atPointer(json.value, read.quantity)
  if (typeof quantity !== 'number') throw new Error(`${config.name} read: no quantity at ${read.quantity}`)
  const changedBy = read.changedBy === undefined ? undefined : words(atPointer(json.value, read.changedBy))
  const changedAt = read.changedAt === undefined ? undefined : words(atPointer(json.value, read.changedAt))
  return { subscriptionId: reference.subscriptionId, quantity, ...(changedBy === undefined ? {} : { changedBy }), ...(changedAt === undefined ? {} : { changedAt }) }
}
