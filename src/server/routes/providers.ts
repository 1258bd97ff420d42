import { body, email, itemsOf, name, object, ref, system, uuid } from '../openapiSchemas'
import { answerOf, apiBase, Route, route, rowAnswer } from './route'

const tag = 'Providers'
const attempts = { type: 'integer', minimum: 1, maximum: 20, description: 'gateway attempts before a change fails (Automatic; default 3)' }
const done = { 200: { description: 'recorded', schema: object({ providerId: uuid }) } }

/** The provider routes: list, one, register, change the configuration, deactivate. */
export const providerRoutes: ReadonlyArray<Route> = [
  route({
    method: 'GET', path: '/providers', operationId: 'listProviders', tag, role: 'viewer',
    summary: 'The providers, deactivated ones too',
    answers: { 200: { description: 'every provider', schema: itemsOf(ref('Provider')) } },
    run: async ({ seatflow }) => ({ status: 200, body: { items: await seatflow.providers() } }),
  }),
  route({
    method: 'GET', path: '/providers/{providerId}', operationId: 'getProvider', tag, role: 'viewer',
    summary: 'One provider',
    answers: { 200: { description: 'the provider', schema: ref('Provider') } },
    problems: [404],
    run: async ({ seatflow, ids }) => rowAnswer(await seatflow.provider(ids.providerId ?? ''), { _tag: 'ProviderNotFound', providerId: ids.providerId ?? '' }),
  }),
  route({
    method: 'POST', path: '/providers', operationId: 'registerProvider', tag, role: 'admin',
    summary: 'Register a provider: Do Nothing; Manual (with the provisioning team\'s address); or Automatic (with its system)',
    body: body({
      name: name('the provider\'s name'), kind: { type: 'string', enum: ['Do Nothing', 'Manual', 'Automatic'] },
      provisioningEmail: { ...email, description: 'where provisioning requests go (Manual: required)' },
      system: { ...system, description: 'the system it is provisioned through (Automatic: required)' },
      maxAttempts: attempts,
      providerId: { ...uuid, description: 'the id to give it (default: a new one; with an Idempotency-Key, one derived from the key)' },
    }, ['name', 'kind']),
    answers: { 201: { description: 'registered; Location is the provider', schema: object({ providerId: uuid }) } },
    problems: [409, 422],
    run: async ({ seatflow, body: fields, trace, derivedId }) => answerOf(
      await seatflow.registerProvider({ ...(derivedId === null ? {} : { providerId: derivedId }), ...fields, ...trace }),
      201, undefined, (made) => `${apiBase}/providers/${made.providerId}`),
  }),
  route({
    method: 'PATCH', path: '/providers/{providerId}', operationId: 'changeProviderConfiguration', tag, role: 'admin',
    summary: 'Change a provider\'s name or configuration (its kind stays): only the fields given change',
    body: body({ name: name('the new name'), provisioningEmail: email, system, maxAttempts: attempts }, []),
    answers: done,
    problems: [404, 409, 422],
    run: async ({ seatflow, ids, body: fields, trace }) => answerOf(await seatflow.changeProviderConfiguration({ ...fields, ...ids, ...trace }), 200),
  }),
  route({
    method: 'POST', path: '/providers/{providerId}/deactivate', operationId: 'deactivateProvider', tag, role: 'admin',
    summary: 'Deactivate a provider: it takes no new subscriptions or changes (an empty body, or none)',
    body: body({}, []),
    answers: done,
    problems: [404, 409, 422],
    run: async ({ seatflow, ids, trace }) => answerOf(await seatflow.deactivateProvider({ ...ids, ...trace }), 200),
  }),
]
