import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { TokenRecord, TokenRegistry } from '../tokens'

/** A signed-in browser: the token it signed in with (kept in the server's memory, never in the cookie) and its CSRF token. */
interface Session {
  readonly bearer: string
  readonly csrf: string
  lastSeen: number
}

/** Who a console request acts as: the token (checked again on every request: a revoked token signs out) and the form token. */
export interface Signed {
  readonly token: TokenRecord
  readonly csrf: string
}

export const sessionCookie = 'seatflow_session'
/** The CSRF cookie of the sign-in form (double submit: there is no session yet). */
export const signInCookie = 'seatflow_signin'

/** The cookies of a request, by name (the first of each). */
export const cookiesOf = (request: FastifyRequest): ReadonlyMap<string, string> => {
  const cookies = new Map<string, string>()
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=')
    const name = pair.slice(0, at).trim()
    if (at > 0 && !cookies.has(name)) cookies.set(name, decodeURIComponent(pair.slice(at + 1).trim()))
  }
  return cookies
}

/** A cookie of the console: its name and value, how long it lives (0 removes it; none: the browser session), and whether only over TLS. */
export interface ConsoleCookie {
  readonly name: string
  readonly value: string
  readonly maxAgeSeconds?: number
  readonly secure: boolean
}

/** Set a cookie: always HttpOnly and SameSite=Strict; Secure when asked. */
export const setCookie = (reply: FastifyReply, cookie: ConsoleCookie): void => {
  const parts = [`${cookie.name}=${encodeURIComponent(cookie.value)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict']
  if (cookie.secure) parts.push('Secure')
  if (cookie.maxAgeSeconds !== undefined) parts.push(`Max-Age=${cookie.maxAgeSeconds}`)
  const earlier = reply.getHeader('set-cookie')
  const list = earlier === undefined ? [] : Array.isArray(earlier) ? earlier : [String(earlier)]
  void reply.header('set-cookie', [...list, parts.join('; ')])
}

/** Two secrets compared in constant time. */
export const sameSecret = (a: string, b: string): boolean => {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right)
}

/** A fresh random secret (a session id, a CSRF token). */
export const freshSecret = (): string => randomBytes(24).toString('base64url')

/** The console's sessions: in this process's memory (a restart signs everyone out), each ended after `idleMs` without a request. */
export const sessionStore = (tokens: TokenRegistry, idleMs: number, now: () => number = Date.now) => {
  const sessions = new Map<string, Session>()
  return {
    /** Sign in with an API token: the new session's id, or null when the token is not a live one. */
    open: (bearer: string): string | null => {
      if (tokens.verify(bearer) === null) return null
      const id = freshSecret()
      sessions.set(id, { bearer, csrf: freshSecret(), lastSeen: now() })
      return id
    },
    /** Who a session id is now: null when unknown, idle too long (it ends) or its token was revoked (it ends). */
    signed: (id: string | undefined): Signed | null => {
      const session = id === undefined ? undefined : sessions.get(id)
      if (id === undefined || session === undefined) return null
      const token = tokens.verify(session.bearer)
      if (token === null || now() - session.lastSeen > idleMs) {
        sessions.delete(id)
        return null
      }
      session.lastSeen = now()
      return { token, csrf: session.csrf }
    },
    /** Sign out. */
    close: (id: string | undefined): void => { if (id !== undefined) sessions.delete(id) },
  }
}

/** The sessions of a console. */
export type SessionStore = ReturnType<typeof sessionStore>
