import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { answerPage, ConsoleContext, cookie, formOf, seenOf, signedOf } from './guard'
import { html } from './html'
import { csrfField } from './layout'
import { cookiesOf, freshSecret, sameSecret, sessionCookie, signInCookie } from './session'

/** Where to go after signing in: a path of this console, never another site. */
const nextOf = (next: string | undefined): string => (next !== undefined && /^\/(?![/\\])/.test(next) ? next : '/')

const signInForm = (context: ConsoleContext, request: FastifyRequest, reply: FastifyReply, answer: { readonly next: string; readonly problem: string | null; readonly status?: number }): FastifyReply => {
  const { next, problem, status = 200 } = answer
  const csrf = freshSecret()
  cookie(context, request, reply, { name: signInCookie, value: csrf, maxAgeSeconds: 600 })
  return answerPage(reply, seenOf(request, null), 'Sign in', html`<form class="panel" method="post" action="/signin">${csrfField(csrf)}
<input type="hidden" name="next" value="${next}">
<label for="token">API token</label><input id="token" name="token" type="password" autocomplete="off" size="60" required aria-describedby="token-hint">
<p id="token-hint" class="hint">A token from <code>seatflow token create --name NAME --role viewer|operator|admin</code>. Your role decides what you may do.</p>
<p><button type="submit">Sign in</button></p></form>`, { status, notice: problem === null ? null : { kind: 'error', text: problem } })
}

/** Sign in with an API token (the session cookie is HttpOnly, SameSite=Strict, Secure over TLS) and sign out. */
export const signInRoutes = (scope: FastifyInstance, context: ConsoleContext): void => {
  scope.get('/signin', async (request, reply) => {
    const query = request.query as Readonly<Record<string, unknown>>
    const next = nextOf(typeof query.next === 'string' ? query.next : undefined)
    if (signedOf(context, request) !== null) return reply.code(303).header('location', next).send()
    return signInForm(context, request, reply, { next, problem: null })
  })
  scope.post('/signin', async (request, reply) => {
    const form = formOf(request)
    const next = nextOf(form.next)
    if (!sameSecret(form._csrf ?? '', cookiesOf(request).get(signInCookie) ?? '')) {
      return signInForm(context, request, reply, { next, problem: 'This sign-in form is stale or did not come from this console; try again.', status: 403 })
    }
    const session = context.sessions.open((form.token ?? '').trim())
    if (session === null) return signInForm(context, request, reply, { next, problem: 'That is not a live API token (unknown, mistyped or revoked).', status: 401 })
    cookie(context, request, reply, { name: signInCookie, value: '', maxAgeSeconds: 0 })
    cookie(context, request, reply, { name: sessionCookie, value: session })
    return reply.code(303).header('location', next).send()
  })
  scope.post('/signout', async (request, reply) => {
    const signed = signedOf(context, request)
    if (signed !== null && sameSecret(formOf(request)._csrf ?? '', signed.csrf)) context.sessions.close(cookiesOf(request).get(sessionCookie))
    else if (signed !== null) return answerPage(reply, seenOf(request, signed), 'Not signed out', html`<p>This form did not come from this console page; you are still signed in.</p>`, { status: 403 })
    cookie(context, request, reply, { name: sessionCookie, value: '', maxAgeSeconds: 0 })
    return answerPage(reply, seenOf(request, null), 'Signed out', html`<p>You are signed out.</p><p><a href="/signin">Sign in again</a></p>`)
  })
}
