import * as E from 'fp-ts/Either'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Action, runAction } from './actions'
import { answerPage, ConsoleContext, Form, formOf, needForm, seenOf } from './guard'
import { html } from './html'
import { Signed } from './session'

/** A form the console posts: the API operation it runs, made of the path's ids and the form, and where to go when done. */
interface FormRoute {
  readonly path: string
  readonly action: (ids: Readonly<Record<string, string>>, form: Form, signed: Signed) => Action
  readonly done: (ids: Readonly<Record<string, string>>) => string
}

/** A text field given (trimmed; empty: not given). */
const given = (form: Form, name: string): Readonly<Record<string, string>> => {
  const value = form[name]?.trim() ?? ''
  return value === '' ? {} : { [name]: value }
}

const providerChange = (form: Form): Readonly<Record<string, unknown>> => ({
  ...given(form, 'name'), ...given(form, 'provisioningEmail'),
  ...(form.maxAttempts === undefined || form.maxAttempts.trim() === '' ? {} : { maxAttempts: Number(form.maxAttempts) }),
})

const formRoutes: ReadonlyArray<FormRoute> = [
  {
    path: '/changes/:licenseChangeId/mark-provisioned',
    action: (ids, form, signed) => ({ operationId: 'markProvisioned', ids, body: { by: signed.token.name, ...given(form, 'note') } }),
    done: (ids) => `/changes/${ids.licenseChangeId ?? ''}?done=provisioned`,
  },
  {
    path: '/changes/:licenseChangeId/requeue',
    action: (ids, form, signed) => ({ operationId: 'requeueLicenseChange', ids, body: { by: signed.token.name, reason: form.reason?.trim() ?? '' } }),
    done: (ids) => `/changes/${ids.licenseChangeId ?? ''}?done=requeued`,
  },
  {
    path: '/providers',
    action: (_ids, form) => ({ operationId: 'registerProvider', ids: {}, body: { ...given(form, 'name'), ...given(form, 'kind'), ...given(form, 'provisioningEmail'), ...given(form, 'system') } }),
    done: () => '/providers?done=registered',
  },
  {
    path: '/providers/:providerId',
    action: (ids, form) => ({ operationId: 'changeProviderConfiguration', ids, body: providerChange(form) }),
    done: () => '/providers?done=changed',
  },
  {
    path: '/providers/:providerId/deactivate',
    action: (ids) => ({ operationId: 'deactivateProvider', ids, body: {} }),
    done: () => '/providers?done=deactivated',
  },
  {
    path: '/settings',
    action: (_ids, form) => ({ operationId: 'setCopiedEmailAddresses', ids: {}, body: { addresses: (form.addresses ?? '').split(/[\s,;]+/).filter((a) => a !== '') } }),
    done: () => '/settings?done=saved',
  },
]

const back = (request: FastifyRequest): string => (request.url.startsWith('/changes/') ? request.url.split('/').slice(0, 3).join('/') : `/${request.url.split('/')[1] ?? ''}`)

const post = (context: ConsoleContext, form: FormRoute) => async (request: FastifyRequest, reply: FastifyReply) => {
  const signed = needForm(context, request, reply)
  if (signed === null) return reply
  const ids = request.params as Readonly<Record<string, string>>
  const result = await runAction(context.seatflow, signed.token, form.action(ids, formOf(request), signed), request.correlationId)
  if (E.isRight(result)) return reply.code(303).header('location', form.done(ids)).send()
  return answerPage(reply, seenOf(request, signed), 'Not done', html`<p>Nothing was written: ${result.left.detail}</p>
${result.left.problems === undefined ? '' : html`<ul>${result.left.problems.map((problem) => html`<li>${problem}</li>`)}</ul>`}
<p><a href="${back(request)}">Back</a></p>`, { status: result.left.status, notice: { kind: 'error', text: result.left.title } })
}

/** The console's forms: each runs the API's own route (role, checks, command) with the session's token; a stale or missing CSRF token writes nothing. */
export const writeRoutes = (scope: FastifyInstance, context: ConsoleContext): void => {
  formRoutes.forEach((form) => scope.post(form.path, post(context, form)))
}
