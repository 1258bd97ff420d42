import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Seatflow } from '../../app/seatflow'
import { documentOf, html, Html, Part } from './html'
import { layout, PageOptions, Seen } from './layout'
import { EmailLinks } from './links'
import { LiveUpdates } from './live'
import { ConsoleCookie, cookiesOf, sameSecret, sessionCookie, SessionStore, setCookie, Signed } from './session'

/** What the console's routes work with. */
export interface ConsoleContext {
  readonly seatflow: Seatflow
  readonly sessions: SessionStore
  readonly links: EmailLinks | null
  readonly live: LiveUpdates
  /** Cookies are Secure whatever the request's protocol (the console is reached over TLS through a proxy). */
  readonly secureCookies: boolean
}

/** Set a console cookie: Secure when the request came over TLS, or always when the console is known to be reached over TLS. */
export const cookie = (context: ConsoleContext, request: FastifyRequest, reply: FastifyReply, given: Omit<ConsoleCookie, 'secure'>): void =>
  setCookie(reply, { ...given, secure: context.secureCookies || request.protocol === 'https' })

/** A form's fields (the console parses `application/x-www-form-urlencoded` into this). */
export type Form = Readonly<Record<string, string>>

/** The fields of a request's form (none when it sent none). */
export const formOf = (request: FastifyRequest): Form =>
  (typeof request.body === 'object' && request.body !== null ? request.body as Form : {})

/** Answer a page. */
export const sendPage = (reply: FastifyReply, page: Html, status = 200): FastifyReply =>
  reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(documentOf(page))

/** Answer a whole page made of a title and a body. */
export const answerPage = (reply: FastifyReply, seen: Seen, title: string, body: Part, options: PageOptions & { readonly status?: number } = {}): FastifyReply =>
  sendPage(reply, layout(title, seen, body, options), options.status ?? 200)

/** Who a request is signed in as (null: nobody, or the session ended). */
export const signedOf = (context: ConsoleContext, request: FastifyRequest): Signed | null =>
  context.sessions.signed(cookiesOf(request).get(sessionCookie))

const pathOf = (request: FastifyRequest): string => request.url.split('?')[0] ?? '/'

/** The signed-in user of a page, or null after sending the browser to sign in (and back here after). */
export const needSignIn = (context: ConsoleContext, request: FastifyRequest, reply: FastifyReply): Signed | null => {
  const signed = signedOf(context, request)
  if (signed === null) void reply.code(303).header('location', `/signin?${new URLSearchParams({ next: request.url }).toString()}`).send()
  return signed
}

/** The signed-in user of a form whose CSRF token matches the session's, or null after answering 403 (nothing written). */
export const needForm = (context: ConsoleContext, request: FastifyRequest, reply: FastifyReply): Signed | null => {
  const signed = signedOf(context, request)
  const given = formOf(request)._csrf ?? ''
  if (signed !== null && sameSecret(given, signed.csrf)) return signed
  const seen: Seen = { signed, path: pathOf(request) }
  void answerPage(reply, seen, 'Not done', signed === null
    ? html`<p>You are not signed in (or the session ended after inactivity). Nothing was written.</p><p><a href="/signin">Sign in</a></p>`
    : html`<p>This form did not come from this console page (its security token is missing or stale). Nothing was written.</p><p><a href="/">Back to the dashboard</a></p>`,
  { status: 403 })
  return null
}

/** The seen-by of a request. */
export const seenOf = (request: FastifyRequest, signed: Signed | null): Seen => ({ signed, path: pathOf(request) })
