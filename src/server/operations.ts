import type { FastifyInstance } from 'fastify'
import { ServiceContext } from './context'
import { ServiceMetrics } from './metrics'

/** What the operation routes need besides the context. */
export interface OperationOptions {
  readonly metrics: ServiceMetrics
  /** The most events the views may lag the log while /readyz still answers ready. */
  readonly readyMaxLag: number
  /** Whether the service is shutting down (then /readyz answers 503, so a balancer sends no more). */
  readonly closing: () => boolean
}

/** Why the service is not ready, or null: the store answers and the views are within the bound. */
const readiness = async (context: ServiceContext, options: OperationOptions) => {
  if (options.closing()) return { ready: false, body: { status: 'shutting down' } } as const
  try {
    const positions = await context.seatflow.positions()
    const lag = Math.max(0, positions.log - positions.views)
    const body = { log: positions.log, views: positions.views, lag, maxLag: options.readyMaxLag }
    return lag <= options.readyMaxLag ? { ready: true, body: { status: 'ready', ...body } } as const : { ready: false, body: { status: 'catching up', ...body } } as const
  } catch (error) {
    context.logger.error({ err: error }, 'readiness: the store does not answer')
    return { ready: false, body: { status: 'store unreachable' } } as const
  }
}

/**
 * /healthz (the process answers), /readyz (the store answers and the views lag the log by at most
 * `readyMaxLag` events; 503 while catching up, without the store, or shutting down) and /metrics
 * (Prometheus text). None needs a token: they say how the service runs, never what is in the log
 * beyond counts; keep them off the public side of the proxy (README "Running seatflow as a service").
 */
export const operationRoutes = (app: FastifyInstance, context: ServiceContext, options: OperationOptions): void => {
  app.get('/healthz', async () => ({ status: 'alive' }))
  app.get('/readyz', async (_request, reply) => {
    const { ready, body } = await readiness(context, options)
    return reply.code(ready ? 200 : 503).send(body)
  })
  app.get('/metrics', async (_request, reply) => {
    const text = await options.metrics.scrape(context.seatflow)
    return reply.type(options.metrics.contentType).send(text)
  })
}
