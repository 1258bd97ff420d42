import * as E from 'fp-ts/Either'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { derivedId } from '../../domain/ids'
import { Authorize, sendProblem, ServiceContext } from '../context'
import { fingerprintOf, IdempotencyKeys, isIdempotencyKey, StoredAnswer } from '../idempotency'
import { Problem, serviceProblem } from '../problems'
import { TokenRecord } from '../tokens'
import { readBody, readIds, readQuery } from './input'
import { Answer, Call, pathIds, problemAnswer, Route, writes } from './route'

/** A request's parts once checked: what a route runs with, and its idempotency key. */
interface Checked {
  readonly ids: Readonly<Record<string, string>>
  readonly query: Readonly<Record<string, unknown>>
  readonly body: Readonly<Record<string, unknown>>
  readonly key: string | null
}

/** The problem of a request whose parts are not what the route takes: each bad part named. */
export const invalidRequest = (problems: ReadonlyArray<string>): Problem =>
  ({ ...serviceProblem(400, 'InvalidRequest', `the request is invalid: ${problems.join('; ')}`), problems })

const keyOf = (route: Route, request: FastifyRequest): E.Either<string, string | null> => {
  const header = request.headers['idempotency-key']
  if (!writes(route) || header === undefined) return E.right(null)
  return typeof header === 'string' && isIdempotencyKey(header)
    ? E.right(header) : E.left('Idempotency-Key: must be 1 to 255 visible ASCII characters, given once')
}

/** Check the path's ids, the query, the body's shape and the idempotency key: every problem at once. */
const check = (route: Route, request: FastifyRequest): E.Either<Problem, Checked> => {
  const ids = readIds(pathIds(route.path), request.params, route.pathNames)
  const query = readQuery(route.query, request.query)
  const body = route.body === null ? E.right({}) : readBody(route.body, request.body)
  const key = keyOf(route, request)
  if (E.isRight(ids) && E.isRight(query) && E.isRight(body) && E.isRight(key)) {
    return E.right({ ids: ids.right, query: query.right, body: body.right, key: key.right })
  }
  const problems = [ids, query, body].flatMap((part) => (E.isLeft(part) ? part.left : []))
  return E.left(invalidRequest(E.isLeft(key) ? [...problems, key.left] : problems))
}

const stored = (answer: Answer): StoredAnswer => ({ status: answer.status, body: answer.body, location: answer.location ?? null })
const fromStored = (answer: StoredAnswer): Answer => ({ status: answer.status, body: answer.body, ...(answer.location === null ? {} : { location: answer.location }) })

/**
 * Run a write once per idempotency key: a retry of the same request gets the first answer (and
 * writes nothing), the key used for another request is refused, a key still running is a conflict.
 * An answer of the service failing (5xx) is not kept: a retry runs again.
 */
const once = async (keys: IdempotencyKeys, scope: string, fingerprint: string, key: string, run: () => Promise<Answer>)
: Promise<{ readonly answer: Answer; readonly replayed: boolean }> => {
  const claim = keys.claim(scope, key, fingerprint)
  switch (claim.outcome) {
    case 'replay': return { answer: fromStored(claim.answer), replayed: true }
    case 'in flight': return { answer: problemAnswer(serviceProblem(409, 'IdempotencyKeyInFlight', 'a request with this Idempotency-Key is still running; retry it when it has answered')), replayed: false }
    case 'reused': return { answer: problemAnswer(serviceProblem(422, 'IdempotencyKeyReused', 'this Idempotency-Key was used for another request (another route or body); use a new key for a new request')), replayed: false }
    case 'claimed': break
  }
  try {
    const answer = await run()
    if (answer.status >= 500) claim.release()
    else claim.answer(stored(answer))
    return { answer, replayed: false }
  } catch (thrown) {
    claim.release()
    throw thrown
  }
}

const send = (reply: FastifyReply, answer: Answer, replayed: boolean): FastifyReply => {
  if (answer.location !== undefined) void reply.header('location', answer.location)
  if (replayed) void reply.header('idempotent-replayed', 'true')
  void reply.code(answer.status)
  if (answer.status >= 400) void reply.type('application/problem+json')
  return reply.send(answer.body)
}

const callOf = (context: ServiceContext, checked: Checked, token: TokenRecord, request: FastifyRequest, fingerprint: string): Call<Readonly<Record<string, unknown>>> => ({
  seatflow: context.seatflow, ids: checked.ids, query: checked.query, body: checked.body,
  trace: { actor: token.name, correlationId: request.correlationId },
  derivedId: checked.key === null ? null : derivedId(`seatflow-api:${token.id}:${checked.key}:${fingerprint}`),
})

/** Mount a route: its role checked first (401/403 write nothing), then its input (400), then it runs, once per idempotency key. */
export const mountRoute = (api: FastifyInstance, context: ServiceContext, authorize: Authorize, keys: IdempotencyKeys) => (route: Route): void => {
  api.route({
    method: route.method,
    url: route.path.replace(/\{(\w+)\}/g, ':$1'),
    handler: async (request, reply) => {
      const token = authorize(request, reply, route.role)
      if (token === null) return reply
      const checked = check(route, request)
      if (E.isLeft(checked)) return sendProblem(reply, checked.left)
      const fingerprint = fingerprintOf(route.method, route.path, { ids: checked.right.ids, body: checked.right.body })
      const run = (): Promise<Answer> => route.run(callOf(context, checked.right, token, request, fingerprint))
      const { answer, replayed } = checked.right.key === null
        ? { answer: await run(), replayed: false }
        : await once(keys, token.id, fingerprint, checked.right.key, run)
      return send(reply, answer, replayed)
    },
  })
}
