import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import Fastify, { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, LogController } from 'fastify'
import pino, { Logger } from 'pino'
import type { Seatflow } from '../app/seatflow'
import { ServiceContext, sendProblem } from './context'
import { serviceProblem } from './problems'
import { apiRoutes } from './routes/api'
import { operationRoutes } from './operations'
import { allows, Role, tokenRegistry } from './tokens'
import { createServiceMetrics, ServiceMetrics } from './metrics'
import { observeRequests } from './requestLog'
import { createWorker, WorkerOptions } from './worker'
import { ConsoleOptions, mountConsole } from './console'

/** How the service runs. Every part has a default. */
export interface ServerOptions {
  /** Where it listens. Default: 127.0.0.1 (loopback: say 0.0.0.0 to serve other hosts). */
  readonly host?: string
  /** Default: 8080; 0 picks a free port. */
  readonly port?: number
  /** Requests a token may make a minute. Default: 600. */
  readonly rateLimitPerMinute?: number
  /** The logger (pino): one JSON line per request and per worker action. Default: pino to stdout at `info`. */
  readonly logger?: Logger
  /** The worker's options; `false` runs no worker (a host that drives processing itself). */
  readonly worker?: WorkerOptions | false
  /** The metrics (make them first to time the seatflow's gateways: `metrics.instrument(gateways)`). Default: a registry of its own. */
  readonly metrics?: ServiceMetrics
  /** The most events the views may lag the log while /readyz answers ready. Default: 1000. */
  readonly readyMaxLag?: number
  /** The browser console at `/` and the email links' pages. */
  readonly console?: ConsoleOptions
}

const bearerOf = (request: FastifyRequest): string | null => {
  const header = request.headers.authorization
  const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header)
  return match?.[1] ?? null
}

/** The most characters a path segment may have as sent (percent-encoded): a 200-character name of 4-byte characters fits. */
const maxParamLength = 2_500

/** The router's own refusals (a path that does not decode, a segment too long) as problems that never echo the path. */
const frameworkErrors = (error: FastifyError, _request: FastifyRequest, reply: FastifyReply): FastifyReply => {
  void reply.header('x-content-type-options', 'nosniff')
  switch (error.code) {
    case 'FST_ERR_BAD_URL': return sendProblem(reply, serviceProblem(400, 'BadUrl', 'the path does not decode: percent-encode it as UTF-8'))
    case 'FST_ERR_MAX_PARAM_LENGTH': return sendProblem(reply, serviceProblem(400, 'BadUrl', `a segment of the path is longer than ${maxParamLength} characters`))
    default: return sendProblem(reply, serviceProblem(400, 'BadRequest', 'the request could not be routed'))
  }
}

/**
 * The service around a seatflow: the HTTP API under /api/v1 (bearer tokens with roles, JSON,
 * problem+json errors), /healthz, /readyz and /metrics, and the worker that follows the log and
 * sends what falls due. `listen()` starts both; `close()` stops taking requests, finishes what is
 * in flight, stops the worker and closes the seatflow.
 */
export const createSeatflowServer = (seatflow: Seatflow, options: ServerOptions = {}) => {
  const logger = options.logger ?? pino({ level: 'info' })
  const metrics = options.metrics ?? createServiceMetrics()
  const context: ServiceContext = { seatflow, tokens: tokenRegistry(seatflow.records), logger }
  // One log line per request (observeRequests), not Fastify's two.
  const app = Fastify({ loggerInstance: logger, requestIdHeader: 'x-request-id', bodyLimit: 1_048_576, routerOptions: { maxParamLength }, frameworkErrors, logController: new LogController({ disableRequestLogging: true }) }) as unknown as FastifyInstance
  let closing = false
  app.decorateRequest('token', null)
  app.decorateRequest('correlationId', '')
  app.addHook('onRequest', async (request) => {
    const given = request.headers['x-correlation-id']
    request.correlationId = typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : request.id
    const bearer = bearerOf(request)
    request.token = bearer === null ? null : context.tokens.verify(bearer)
  })
  void app.register(helmet, { contentSecurityPolicy: { directives: { defaultSrc: ["'self'"] } } })
  void app.register(rateLimit, {
    max: options.rateLimitPerMinute ?? 600, timeWindow: '1 minute',
    keyGenerator: (request) => request.token?.id ?? request.ip,
    errorResponseBuilder: (_request, limit) => serviceProblem(429, 'RateLimited', `more than ${limit.max} requests a minute with this token; try again in ${Math.ceil(limit.ttl / 1000)} s`),
  })
  app.setNotFoundHandler((request, reply) => sendProblem(reply, serviceProblem(404, 'NoSuchRoute', `${request.method} ${request.url} is not a route of this service`)))
  app.setErrorHandler((error: { statusCode?: number; status?: number; message: string }, request, reply) => {
    // The rate limit throws its problem (status 429) as it is, not as an Error with a statusCode.
    const status = error.statusCode ?? error.status ?? 500
    if (status >= 500) request.log.error({ err: error }, 'request failed')
    return sendProblem(reply, status === 429 ? (error as unknown as ReturnType<typeof serviceProblem>)
      : serviceProblem(status, status >= 500 ? 'ServiceFailed' : 'BadRequest', status >= 500 ? 'the service failed; the log has the details' : error.message))
  })
  /** The token a request may act with for `role`, or null after answering 401 (no or a bad token) or 403 (a role too low). */
  const authorize = (request: FastifyRequest, reply: FastifyReply, role: Role) => {
    if (request.token === null) {
      void sendProblem(reply, serviceProblem(401, 'Unauthenticated', 'send a valid, unrevoked API token: Authorization: Bearer sft_...'))
      return null
    }
    if (!allows(request.token.role, role)) {
      void sendProblem(reply, serviceProblem(403, 'Forbidden', `this needs the ${role} role; the token "${request.token.name}" is ${request.token.role}`))
      return null
    }
    return request.token
  }
  void app.register(async (api) => apiRoutes(api, context, authorize), { prefix: '/api/v1' })
  observeRequests(app, metrics)
  operationRoutes(app, context, { metrics, readyMaxLag: options.readyMaxLag ?? 1000, closing: () => closing })
  const web = mountConsole(app, context, options.console)
  const worker = options.worker === false ? null : createWorker(context, { onProcessed: web.heard, ...options.worker }, metrics)
  return {
    /** The Fastify instance (for a host that mounts more routes, or injects requests in tests). */
    app,
    context,
    metrics,
    /** The worker (null when `worker: false`). */
    worker,
    /** Start listening and the worker; answers the address it listens on. */
    listen: async (): Promise<string> => {
      const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8080 })
      worker?.start()
      return address
    },
    /** Stop taking requests and finish those in flight while the worker finishes its run, then close the seatflow. */
    close: async (): Promise<void> => {
      closing = true
      await Promise.all([app.close(), worker?.stop()])
      await seatflow.close()
    },
  }
}

/** A service. */
export type SeatflowServer = ReturnType<typeof createSeatflowServer>

export type { Role } from './tokens'
export { createServiceMetrics, metricNames } from './metrics'
export type { ServiceMetrics } from './metrics'
export type { WorkerOptions } from './worker'
export { emailLinks } from './console'
export type { ConsoleOptions, EmailLinks, LinkOptions } from './console'
