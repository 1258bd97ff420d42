import type { FastifyError, FastifyInstance } from 'fastify'
import { Authorize, sendProblem, ServiceContext } from '../context'
import { idempotencyKeys } from '../idempotency'
import { openApiDocument } from '../openapi'
import { Problem, serviceProblem } from '../problems'
import { auditRoutes } from './audit'
import { invoicingRoutes } from './invoicing'
import { licenseChangeRoutes } from './licenseChanges'
import { lifecycleRoutes } from './lifecycle'
import { mountRoute } from './mount'
import { providerRoutes } from './providers'
import { Route } from './route'
import { settingRoutes } from './settings'
import { subscriptionRoutes } from './subscriptions'

/** Every route of /api/v1 but the document. */
export const apiRouteList: ReadonlyArray<Route> = [...licenseChangeRoutes, ...subscriptionRoutes, ...lifecycleRoutes, ...invoicingRoutes, ...providerRoutes, ...settingRoutes, ...auditRoutes]

/** Characters JSON may carry raw that have no business reaching a terminal or a log: escaped, the data unchanged. */
const unsafeInJson = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/** JSON with DEL, C1, the line separators and the bidi controls escaped (`\u202e`): parsed, the same value. */
export const safeJson = (payload: unknown): string =>
  JSON.stringify(payload).replace(unsafeInJson, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

/** The body's errors before any route runs, named clearly and never echoing the body; others go to the service's handler. */
const bodyProblem = (error: FastifyError) => {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY': return serviceProblem(400, 'BodyNotJson', 'the body is not valid JSON; send a JSON object with Content-Type: application/json')
    case 'FST_ERR_CTP_EMPTY_JSON_BODY': return serviceProblem(400, 'BodyNotJson', 'the body is empty but Content-Type says application/json; send a JSON object (or no Content-Type and no body)')
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return serviceProblem(415, 'UnsupportedMediaType', 'send the body as application/json')
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return serviceProblem(413, 'BodyTooLarge', 'the body is larger than the service takes (1 MiB)')
    default: return error.statusCode === 400 && error.code?.startsWith('FST_ERR_CTP') === true
      ? serviceProblem(400, 'BodyNotJson', 'the body could not be read as JSON; send a JSON object with Content-Type: application/json') : null
  }
}

/** A problem thrown as it is (the rate limit's), not an Error. */
const isProblem = (thrown: FastifyError | Problem): thrown is Problem => !(thrown instanceof Error) && typeof thrown.status === 'number'

/**
 * The routes of /api/v1: License Changes, subscriptions, providers, settings, reminders and the
 * audit (each behind its role, writes once per Idempotency-Key), and the OpenAPI document (no token).
 */
export const apiRoutes = async (api: FastifyInstance, context: ServiceContext, authorize: Authorize): Promise<void> => {
  const document = openApiDocument(apiRouteList)
  api.setReplySerializer(safeJson)
  api.setErrorHandler((error: FastifyError | Problem, _request, reply) => {
    // The rate limit throws its problem as it is (not an Error): it is answered as it is.
    const problem = isProblem(error) ? error : bodyProblem(error)
    if (problem === null) throw error
    return sendProblem(reply, problem)
  })
  api.get('/openapi.json', async () => document)
  const keys = idempotencyKeys(context.seatflow.records)
  apiRouteList.forEach(mountRoute(api, context, authorize, keys))
}
