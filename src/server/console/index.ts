import type { FastifyInstance } from 'fastify'
import { ServiceContext } from '../context'
import { consoleCss } from './assetCss'
import { consoleJs } from './assetJs'
import { confirmRoutes } from './confirm'
import { ConsoleContext } from './guard'
import { EmailLinks } from './links'
import { liveUpdates } from './live'
import { readRoutes } from './readRoutes'
import { sessionStore } from './session'
import { signInRoutes } from './signIn'
import { writeRoutes } from './writeRoutes'

/** How the browser console runs. */
export interface ConsoleOptions {
  /** Minutes without a request after which a session is signed out. Default: 30. */
  readonly sessionIdleMinutes?: number
  /** The email links (`emailLinks({ publicUrl, linkSecret })`, the same the seatflow's `mailLinks` came from): without them a link is refused. */
  readonly links?: EmailLinks
  /** Mark cookies Secure whatever the request's protocol (TLS ends at a proxy in front). Default: when the links' public URL is https. */
  readonly secureCookies?: boolean
}

/** The console's Content-Security-Policy: its own files only, no inline script or style, no framing, forms to itself. */
export const consoleCsp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

const assets = (scope: FastifyInstance): void => {
  scope.get('/console/assets/console.css', async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(consoleCss))
  scope.get('/console/assets/console.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(consoleJs))
}

/**
 * The browser console of a service: its pages at `/` (server-rendered, a session from an API
 * token), its live updates (`heard` is the worker's follow), and the email links' pages.
 */
export const consoleOf = (service: ServiceContext, options: ConsoleOptions = {}) => {
  const live = liveUpdates(service.seatflow)
  const context: ConsoleContext = {
    seatflow: service.seatflow, live, links: options.links ?? null, secureCookies: options.secureCookies ?? options.links?.overTls ?? false,
    sessions: sessionStore(service.seatflow.records, service.tokens, (options.sessionIdleMinutes ?? 30) * 60_000),
  }
  return {
    /** What the worker's follow tells after each run. */
    heard: live.heard,
    /** The console's routes, in a scope of their own (forms parsed there only; the API still takes JSON alone). */
    routes: async (scope: FastifyInstance): Promise<void> => {
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 65_536 },
        (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))))
      scope.addHook('onSend', async (_request, reply, payload) => {
        void reply.header('content-security-policy', consoleCsp)
        return payload
      })
      scope.addHook('preClose', async () => live.close())
      assets(scope)
      signInRoutes(scope, context)
      readRoutes(scope, context)
      writeRoutes(scope, context)
      confirmRoutes(scope, context)
    },
  }
}

/** Mount the console on a service's app: answers what the worker's follow tells (`heard`). */
export const mountConsole = (app: FastifyInstance, service: ServiceContext, options: ConsoleOptions = {}) => {
  const web = consoleOf(service, options)
  void app.register(web.routes)
  return web
}

export { emailLinks } from './links'
export type { EmailLinks, LinkOptions } from './links'
