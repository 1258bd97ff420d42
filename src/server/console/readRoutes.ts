import * as E from 'fp-ts/Either'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { answerPage, ConsoleContext, needSignIn, seenOf } from './guard'
import { html } from './html'
import { auditPage } from './pages/audit'
import { changePage } from './pages/change'
import { dashboardPage } from './pages/dashboard'
import { logCsv, logPage, LogQuery } from './pages/log'
import { providersPage, settingsPage } from './pages/providers'
import { subscriptionPage, subscriptionsPage } from './pages/subscription'

/** The notices a write sends the browser back with (fixed words: nothing from the request is echoed). */
const notices: Readonly<Record<string, string>> = {
  provisioned: 'Marked provisioned.', requeued: 'Re-queued: it awaits provisioning again.', registered: 'Provider registered.',
  changed: 'Provider changed.', deactivated: 'Provider deactivated.', saved: 'Settings saved.',
}

/** The query's text parameters (the first of each). */
export const queryOf = (request: FastifyRequest): LogQuery => Object.fromEntries(Object.entries(request.query as Record<string, unknown>)
  .map(([name, value]) => [name, Array.isArray(value) ? String(value[0] ?? '') : String(value)]))

const noticeOf = (request: FastifyRequest) => {
  const text = notices[queryOf(request).done ?? '']
  return text === undefined ? null : { kind: 'ok' as const, text }
}

const notFound = (what: string) => html`<p>There is no ${what} with that id.</p><p><a href="/">Back to the dashboard</a></p>`

/** The License Change Log's page and its CSV (both in the asked order; a `sort` that is none of the orders: 400). */
const logRoutes = (scope: FastifyInstance, context: ConsoleContext): void => {
  const { seatflow } = context
  scope.get('/changes', async (request, reply) => {
    const signed = needSignIn(context, request, reply)
    if (signed === null) return reply
    const page = await logPage(seatflow, queryOf(request))
    if (page.status === 400) return answerPage(reply, seenOf(request, signed), 'Not an order of the log', page.body, { status: 400 })
    const notice = page.problems.length === 0 ? null : { kind: 'error' as const, text: `Not used: ${page.problems.join('; ')}` }
    return answerPage(reply, seenOf(request, signed), 'License Change Log', page.body, { live: true, notice })
  })
  scope.get('/changes.csv', async (request, reply) => {
    const signed = needSignIn(context, request, reply)
    if (signed === null) return reply
    const file = await logCsv(seatflow, queryOf(request))
    if (E.isLeft(file)) return answerPage(reply, seenOf(request, signed), 'Not an order of the log', html`<p>No CSV: ${file.left}.</p><p><a href="/changes">The log</a></p>`, { status: 400 })
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="license-changes.csv"').send(file.right)
  })
}

/** The console's pages (every one needs a session; each reads through the façade). */
export const readRoutes = (scope: FastifyInstance, context: ConsoleContext): void => {
  const { seatflow } = context
  scope.get('/', async (request, reply) => {
    const signed = needSignIn(context, request, reply)
    if (signed === null) return reply
    return answerPage(reply, seenOf(request, signed), 'Dashboard', await dashboardPage(seatflow), { live: true, notice: noticeOf(request) })
  })
  logRoutes(scope, context)
  scope.get<{ Params: { id: string } }>('/changes/:id', async (request, reply) => {
    const signed = needSignIn(context, request, reply)
    if (signed === null) return reply
    const body = /^[0-9a-f-]{36}$/i.test(request.params.id) ? await changePage(seatflow, request.params.id, signed) : null
    return body === null ? answerPage(reply, seenOf(request, signed), 'License Change not found', notFound('License Change'), { status: 404 })
      : answerPage(reply, seenOf(request, signed), 'License Change', body, { live: true, notice: noticeOf(request) })
  })
  scope.get('/subscriptions', async (request, reply) => {
    const signed = needSignIn(context, request, reply)
    if (signed === null) return reply
    return answerPage(reply, seenOf(request, signed), 'Subscriptions', await subscriptionsPage(seatflow))
  })
  scope.get<{ Params: { id: string } }>('/subscriptions/:id', async (request, reply) => {
    const signed = needSignIn(context, request, reply)
    if (signed === null) return reply
    const page = /^[0-9a-f-]{36}$/i.test(request.params.id) ? await subscriptionPage(seatflow, request.params.id) : null
    return page === null ? answerPage(reply, seenOf(request, signed), 'Subscription not found', notFound('subscription'), { status: 404 })
      : answerPage(reply, seenOf(request, signed), page.title, page.body)
  })
  scope.get('/providers', async (request, reply) => {
    const signed = needSignIn(context, request, reply)
    if (signed === null) return reply
    return answerPage(reply, seenOf(request, signed), 'Providers', await providersPage(seatflow, signed), { notice: noticeOf(request) })
  })
  scope.get('/settings', async (request, reply) => {
    const signed = needSignIn(context, request, reply)
    if (signed === null) return reply
    return answerPage(reply, seenOf(request, signed), 'Settings', await settingsPage(seatflow, signed), { notice: noticeOf(request) })
  })
  scope.get('/audit', async (request, reply) => {
    const signed = needSignIn(context, request, reply)
    if (signed === null) return reply
    const page = await auditPage(seatflow, queryOf(request).asOf)
    return answerPage(reply, seenOf(request, signed), 'Audit', page.body, { notice: page.problem === null ? null : { kind: 'error', text: page.problem } })
  })
  scope.get('/console/events', async (request, reply) => {
    if (needSignIn(context, request, reply) === null) return reply
    await context.live.open(reply)
    return reply
  })
}
