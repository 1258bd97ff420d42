import type { FastifyInstance } from 'fastify'
import { ServiceContext } from './context'

/** /healthz, /readyz and /metrics (to be written). */
export const operationRoutes = (_app: FastifyInstance, _context: ServiceContext): void => undefined
