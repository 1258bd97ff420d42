import * as t from 'io-ts'
import { decodeWith } from '../domain/validation'

const Text = t.refinement(t.string, (s) => s.trim() !== '', 'a non-empty string')
/** A JSON pointer (RFC 6901): "" for the whole body, else "/a/b/0". */
export const JsonPointer = t.refinement(t.string, (s) => s === '' || s.startsWith('/'), 'a JSON pointer ("" or starting with "/")')
const HttpUrl = t.refinement(t.string, (s) => /^https?:\/\/[^/\s]+/.test(s), 'an http(s) URL')
const Method = t.keyof({ GET: null, POST: null, PUT: null, PATCH: null, DELETE: null }, 'an HTTP method (GET, POST, PUT, PATCH, DELETE)')
const Values = t.array(t.string, 'a list of strings')

/** A call: method, path under the base URL and an optional JSON body, both with `{{placeholders}}`. */
export const Endpoint = t.intersection([t.strict({ method: Method, path: Text }), t.partial({ body: t.unknown })], 'Endpoint')

/**
 * How to read an answer: the pointer to the state and the values that mean provisioned, pending and
 * failed; where the reference (of a pending change), the reason and the provider's code are.
 * Without `status`, any 2xx is provisioned and a 202 is pending.
 */
export const ResponseMapping = t.partial({
  status: JsonPointer, provisioned: Values, pending: Values, failed: Values,
  reference: JsonPointer, reason: JsonPointer, code: JsonPointer,
}, 'ResponseMapping')

/** The configuration of a REST gateway (Synnex, or any provider with a REST hook). */
export const RestGatewayConfig = t.intersection([
  t.strict({ name: Text, baseUrl: HttpUrl, change: Endpoint, response: ResponseMapping }),
  t.partial({
    /** The call that asks after a pending change (`{{reference}}` is the reference read from the answer). */
    check: Endpoint,
    /** The call that cancels a subscription, its answer read like a change's; without it a cancellation is refused. */
    cancel: Endpoint,
    /** The call that reads a subscription, and where its quantity (and who changed it, and when) are. */
    read: t.intersection([t.strict({ method: Method, path: Text, quantity: JsonPointer }), t.partial({ changedBy: JsonPointer, changedAt: JsonPointer })]),
    /** Fixed, non-secret headers (secrets come from the host's `authorize`). */
    headers: t.record(t.string, t.string),
    /** The header that carries the attempt's idempotency key, e.g. "Idempotency-Key". */
    idempotencyHeader: Text,
    /** Fixed values usable as placeholders, e.g. a reseller account id. */
    variables: t.record(t.string, t.string),
  }),
], 'RestGatewayConfig')
export type RestGatewayConfig = t.TypeOf<typeof RestGatewayConfig>

/** The placeholders every template may use; `reference` only in `check`. */
export const requestFields = ['subscriptionId', 'targetQuantity', 'previousQuantity', 'licenseChangeId', 'idempotencyKey', 'product', 'providerId', 'attempt'] as const

const placeholders = (template: unknown): ReadonlyArray<string> => {
  const text = JSON.stringify(template) ?? ''
  return [...text.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].map((match) => match[1] ?? '')
}

const unknownPlaceholders = (config: RestGatewayConfig): ReadonlyArray<string> => {
  const base = [...requestFields, ...Object.keys(config.variables ?? {})]
  const where = [
    { at: 'change', template: [config.change.path, config.change.body], known: base },
    { at: 'check', template: [config.check?.path, config.check?.body], known: [...base, 'reference'] },
    { at: 'cancel', template: [config.cancel?.path, config.cancel?.body], known: base },
    { at: 'read', template: [config.read?.path], known: ['subscriptionId', ...Object.keys(config.variables ?? {})] },
  ]
  return where.flatMap(({ at, template, known }) => placeholders(template)
    .filter((name) => !known.includes(name))
    .map((name) => `${at}: unknown placeholder {{${name}}} (known here: ${known.join(', ')})`))
}

const consistency = (config: RestGatewayConfig): ReadonlyArray<string> => {
  const { response } = config
  const problems: string[] = []
  if (response.status !== undefined && (response.provisioned ?? []).length === 0) problems.push('response.provisioned: name the status values that mean provisioned')
  const canPend = response.status === undefined || (response.pending ?? []).length > 0
  if (canPend && config.check === undefined) problems.push('check: a change can be pending, so say how to ask after it (check.method, check.path with {{reference}})')
  if ((response.pending ?? []).length > 0 && response.reference === undefined) problems.push('response.reference: a pending answer needs a pointer to its reference')
  return problems
}

/** Validate a REST gateway configuration: the value, or an error listing every problem. */
export const restGatewayConfig = (input: unknown): RestGatewayConfig => {
  const decoded = decodeWith(RestGatewayConfig, input)
  const problems = decoded.ok ? [...consistency(decoded.value), ...unknownPlaceholders(decoded.value)] : decoded.problems
  if (!decoded.ok || problems.length > 0) throw new Error(`invalid REST gateway configuration:\n  ${problems.join('\n  ')}`)
  return decoded.value
}
