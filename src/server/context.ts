import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Logger } from 'pino'
import type { Seatflow } from '../app/seatflow'
import { Problem } from './problems'
import { Role, TokenRecord, TokenRegistry } from './tokens'

/** What every part of the service works with. */
export interface ServiceContext {
  readonly seatflow: Seatflow
  readonly tokens: TokenRegistry
  readonly logger: Logger
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The token the request came with, once authenticated. */
    token: TokenRecord | null
    /** The correlation id of the request (its `X-Correlation-Id`, else the request id): it lands in the metadata of every event it writes. */
    correlationId: string
  }
}

/** Answer with a problem (`application/problem+json`). */
export const sendProblem = (reply: FastifyReply, problem: Problem): FastifyReply =>
  reply.code(problem.status).type('application/problem+json').send(problem)

/** What a route needs of the request's token: it answered 401/403 already when this is null. */
export type Authorize = (request: FastifyRequest, reply: FastifyReply, role: Role) => TokenRecord | null
