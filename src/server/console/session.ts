import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import type { Records } from '../../store/records'
import { TokenRecord, TokenRegistry } from '../tokens'

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

const sessions = 'console-sessions'
/** When each session was last seen, apart from the session (a late touch after a sign-out elsewhere cannot bring it back). */
const seenTable = 'console-sessions-seen'
const sweepEveryMs = 10 * 60_000

/** A session as the store keeps it, under the hash of its id: its token's id (never the token), its CSRF secret, when it opened. */
const StoredSession = t.type({ tokenId: t.string, csrf: t.string, lastSeen: t.string })

const keyOf = (id: string): string => createHash('sha256').update(id).digest('hex')

/**
 * The console's sessions, kept in the store's records (never in the event log), so every
 * `seatflow serve` on the store knows them and a restart signs nobody out. The cookie holds the
 * session id; the store holds its hash, the token's id, the CSRF secret and when it was last seen.
 * A session ends after `idleMs` without a request (last-seen is written at most once a minute, or
 * a tenth of `idleMs` when shorter: the session may end up to that much early), when its token is
 * revoked, or on sign-out; ended ones are swept (at most every ten minutes, by a request).
 */
export const sessionStore = (records: Records, tokens: TokenRegistry, idleMs: number, now: () => number = Date.now) => {
  const touchEveryMs = Math.min(60_000, idleMs / 10)
  let sweptAt = now()
  const end = (key: string): void => { records.delete(sessions, key); records.delete(seenTable, key) }
  const lastSeenOf = (key: string, opened: string): number => {
    const seen = records.get(seenTable, key)
    return Math.max(Date.parse(opened), typeof seen === 'string' ? Date.parse(seen) : 0)
  }
  /** The live token of a stored session, or null when it has ended (unreadable, idle too long, its token revoked). */
  const liveToken = (key: string, value: unknown, at: number): { readonly token: TokenRecord; readonly csrf: string; readonly lastSeen: number } | null => {
    const decoded = StoredSession.decode(value)
    if (E.isLeft(decoded)) return null
    const lastSeen = lastSeenOf(key, decoded.right.lastSeen)
    const token = tokens.live(decoded.right.tokenId)
    return token === null || !(at - lastSeen <= idleMs) ? null : { token, csrf: decoded.right.csrf, lastSeen }
  }
  const sweep = (at: number): void => {
    if (at - sweptAt < sweepEveryMs) return
    sweptAt = at
    for (const { key, value } of records.list(sessions)) if (liveToken(key, value, at) === null) end(key)
    for (const { key } of records.list(seenTable)) if (records.get(sessions, key) === undefined) records.delete(seenTable, key)
  }
  return {
    /** Sign in with an API token: the new session's id, or null when the token is not a live one. */
    open: (bearer: string): string | null => {
      const token = tokens.verify(bearer)
      if (token === null) return null
      sweep(now())
      const id = freshSecret()
      if (!records.putIfAbsent(sessions, keyOf(id), { tokenId: token.id, csrf: freshSecret(), lastSeen: new Date(now()).toISOString() })) throw new Error('a session id repeated: try again')
      return id
    },
    /** Who a session id is now: null when unknown, idle too long (it ends) or its token was revoked (it ends). */
    signed: (id: string | undefined): Signed | null => {
      if (id === undefined || id === '') return null
      const at = now()
      sweep(at)
      const key = keyOf(id)
      const stored = records.get(sessions, key)
      if (stored === undefined) return null
      const live = liveToken(key, stored, at)
      if (live === null) {
        end(key)
        return null
      }
      if (at - live.lastSeen >= touchEveryMs) records.put(seenTable, key, new Date(at).toISOString())
      return { token: live.token, csrf: live.csrf }
    },
    /** Sign out: the session ends on every instance. */
    close: (id: string | undefined): void => { if (id !== undefined && id !== '') end(keyOf(id)) },
  }
}

/** The sessions of a console. */
export type SessionStore = ReturnType<typeof sessionStore>
