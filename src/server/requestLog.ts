import type { FastifyInstance } from 'fastify'
import { ServiceMetrics } from './metrics'

/**
 * One JSON line per request when it is answered (method, path, route, status, time taken, the
 * token's name, the correlation id), and the HTTP metrics by route and status. A path no route
 * matched counts as the route `unmatched`, so unknown paths cannot grow the metrics.
 */
export const observeRequests = (app: FastifyInstance, metrics: ServiceMetrics): void => {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched'
    const ms = reply.elapsedTime
    metrics.answered({ method: request.method, route, status: reply.statusCode, seconds: ms / 1000 })
    request.log.info({
      correlationId: request.correlationId, method: request.method, path: request.url.split('?')[0], route,
      status: reply.statusCode, ms: Math.round(ms * 10) / 10, token: request.token?.name ?? null,
    }, 'request')
  })
}
