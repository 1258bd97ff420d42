import { limits } from '../domain/fields'
import { componentSchemas, ref } from './openapiSchemas'
import { inFlightLeaseSeconds, keepKeysHours } from './idempotency'
import { apiBase, JsonSchema, pathIds, Route, writes } from './routes/route'

/** The OpenAPI 3.1 document of /api/v1, made from the routes themselves: what is mounted is what is described. */

const problemResponses: Readonly<Record<number, string>> = {
  400: 'The request is invalid: `problems` names each bad path id, query parameter or body field (InvalidRequest; InvalidCommand with the command\'s own checks; BodyNotJson; BadUrl for a path that does not decode or a segment too long)',
  401: 'No token, or a revoked or wrong one (Unauthenticated); nothing was written',
  403: 'The token\'s role is too low (Forbidden); nothing was written',
  404: 'No such id (LicenseChangeNotFound, SubscriptionNotFound, ProviderNotFound, BundleParentNotFound)',
  409: 'The request conflicts with the state: already there or raced (ProviderAlreadyRegistered, SubscriptionAlreadyExists, ConcurrencyConflict), or a request with this Idempotency-Key is still running (IdempotencyKeyInFlight)',
  413: 'The body is larger than 1 MiB (BodyTooLarge)',
  415: 'The body is not application/json (UnsupportedMediaType)',
  422: 'The domain refuses the command as things stand (QuantityUnchanged, NotAwaitingProvisioning, LicenseChangeSuperseded, UnresolvedChangesBlockMove, SubscriptionAlreadyOnProvider, ProviderDeactivated, SubscriptionCancelled, AlreadyInvoiced, ...), or this Idempotency-Key was used for another request (IdempotencyKeyReused); nothing was written',
  429: 'More requests a minute than this token may make (RateLimited)',
  500: 'The service failed (ServiceFailed); the log has the details',
}

const roleText = { viewer: 'any token (viewer, operator or admin)', operator: 'an operator or admin token', admin: 'an admin token' } as const

const problemsOf = (route: Route): ReadonlyArray<number> => {
  const statuses = new Set([400, 401, 429, 500, ...route.problems])
  if (route.role !== 'viewer') statuses.add(403)
  // Every write's body is read (and refused when too large or not JSON), whether its route takes fields or not.
  if (route.body !== null || writes(route)) [413, 415].forEach((s) => statuses.add(s))
  if (writes(route)) [409, 422].forEach((s) => statuses.add(s))
  return [...statuses].sort((a, b) => a - b)
}

const parametersOf = (route: Route): ReadonlyArray<JsonSchema> => [
  ...pathIds(route.path).map((name) => (route.pathNames.includes(name)
    ? { name, in: 'path', required: true, description: 'a name: trimmed, no control characters (percent-encoded in the path)', schema: { type: 'string', minLength: 1, maxLength: limits.name } }
    : { name, in: 'path', required: true, description: 'a uuid (any case)', schema: { type: 'string', format: 'uuid' } })),
  ...Object.entries(route.query).map(([name, param]) => ({ name, in: 'query', required: false, description: param.description, schema: param.schema })),
  ...(writes(route) ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
  { $ref: '#/components/parameters/CorrelationId' },
]

const answersOf = (route: Route): Readonly<Record<string, JsonSchema>> => Object.fromEntries([
  ...Object.entries(route.answers).map(([status, answer]) => [status, {
    description: answer.description,
    content: { 'application/json': { schema: answer.schema } },
    ...(status === '201' ? { headers: { Location: { description: 'where what was made is', schema: { type: 'string' } } } } : {}),
  }]),
  ...problemsOf(route).map((status) => [String(status), { $ref: `#/components/responses/Problem${status}` }]),
])

const operationOf = (route: Route): JsonSchema => ({
  operationId: route.operationId,
  tags: [route.tag],
  summary: route.summary,
  description: `Needs ${roleText[route.role]}.${writes(route) ? ' Its events are recorded with the token\'s name as the actor and the request\'s correlation id.' : ''}`,
  'x-seatflow-role': route.role,
  parameters: parametersOf(route),
  ...(route.body === null ? {} : { requestBody: { required: (route.body.required ?? []).length > 0, content: { 'application/json': { schema: route.body } } } }),
  responses: answersOf(route),
})

const pathsOf = (routes: ReadonlyArray<Route>): Readonly<Record<string, Readonly<Record<string, JsonSchema>>>> => {
  const paths: Record<string, Record<string, JsonSchema>> = {}
  for (const route of routes) paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operationOf(route) }
  return paths
}

const documentItself = {
  get: {
    operationId: 'openApiDocument', tags: ['Service'], summary: 'This document (no token needed)', security: [],
    responses: { 200: { description: 'the OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object', required: ['openapi', 'paths'] } } } } },
  },
}

const description = [
  'The HTTP API of seatflow: License Changes, subscriptions and their lifecycle (move, suspend, reactivate, cancel), invoicing, providers, settings, reminders and the audit.',
  'Every request but this document needs a bearer token (`Authorization: Bearer sft_<id>_<secret>`, made with `seatflow token create`); roles: viewer (reads) < operator (marks provisioned, re-queues, creates subscriptions, changes quantities, syncs, moves, suspends, reactivates and cancels subscriptions, marks License Changes invoiced) < admin (providers, settings).',
  'Every error is `application/problem+json` (RFC 9457) with a `tag` and, for bad input, `problems` naming each bad field.',
  `Every write takes an \`Idempotency-Key\` header: a retry with the same key, token, route and body writes nothing new and gets the first answer (with \`Idempotent-Replayed: true\`); the key with another request is 422; while the first runs, 409. Keys are kept ${keepKeysHours} hours after their answer; a claim without an answer is taken over after ${inFlightLeaseSeconds} seconds.`,
].join('\n\n')

/** The OpenAPI 3.1 document of the API's routes. */
export const openApiDocument = (routes: ReadonlyArray<Route>) => ({
  openapi: '3.1.0',
  info: { title: 'seatflow', version: '1', description },
  servers: [{ url: apiBase }],
  security: [{ bearer: [] }],
  tags: ['License Changes', 'Subscriptions', 'Invoicing', 'Providers', 'Settings', 'Reminders', 'Audit', 'Service'].map((name) => ({ name })),
  paths: { ...pathsOf(routes), '/openapi.json': documentItself },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'an API token: sft_<id>_<secret>' } },
    parameters: {
      IdempotencyKey: { name: 'Idempotency-Key', in: 'header', required: false, description: '1 to 255 visible ASCII characters; a fresh one (a uuid) per request you may retry', schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' } },
      CorrelationId: { name: 'X-Correlation-Id', in: 'header', required: false, description: 'recorded in the metadata of every event the request writes (1 to 100 of A-Z a-z 0-9 _ . : -; else the request id)', schema: { type: 'string', pattern: '^[\\w.:-]{1,100}$' } },
    },
    schemas: componentSchemas,
    responses: Object.fromEntries(Object.entries(problemResponses).map(([status, text]) => [`Problem${status}`, {
      description: text, content: { 'application/problem+json': { schema: ref('Problem') } },
    }])),
  },
})

/** An OpenAPI document. */
export type OpenApiDocument = ReturnType<typeof openApiDocument>
