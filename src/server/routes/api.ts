import type { FastifyInstance } from 'fastify'
import { Authorize, ServiceContext } from '../context'

/** The routes of /api/v1 (to be written: License Changes, subscriptions, providers, settings, reminders, audit, OpenAPI). */
export const apiRoutes = async (_api: FastifyInstance, _context: ServiceContext, _authorize: Authorize): Promise<void> => undefined
