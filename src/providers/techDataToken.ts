import { ProvisioningResult } from './gateway'
import { failureOf, field, parseJson, transient } from './http'
import { Transport } from './transport'

/** Where the StreamOne Ion refresh token comes from and goes back to. It rotates: every token call returns a new one. */
export interface RefreshTokenStore {
  /** The refresh token the host persisted last. */
  readonly refreshToken: () => string | Promise<string>
  /** Persist the new refresh token (the old one no longer works once this is called). */
  readonly onRefreshToken: (refreshToken: string) => void | Promise<void>
}

/** An access token, or the failure to get one. */
export type AccessToken = { readonly _tag: 'Token'; readonly accessToken: string } | { readonly _tag: 'Failed'; readonly result: ProvisioningResult }

/**
 * The OAuth refresh-token flow of StreamOne Ion: one token call at a time (a rotated refresh token
 * must never be used twice), the access token kept until a minute before it expires, and each new
 * refresh token handed to the host before the access token is used.
 */
export const createIonTokens = (tokenUrl: string, store: RefreshTokenStore, transport: Transport) => {
  let refresh: string | null = null
  let access: { readonly token: string; readonly until: number } | null = null
  let queue: Promise<unknown> = Promise.resolve()

  const fetchToken = async (): Promise<AccessToken> => {
    if (access !== null && access.until > transport.now().getTime()) return { _tag: 'Token', accessToken: access.token }
    const current = refresh ?? await store.refreshToken()
    const answer = await transport.call({ method: 'POST', url: tokenUrl, form: { grant_type: 'refresh_token', refresh_token: current } })
    if (answer._tag === 'Unreachable' || answer.status !== 200) return { _tag: 'Failed', result: failureOf(answer, { what: 'TechData token call', now: transport.now() }) }
    const json = parseJson(answer.text, `TechData POST ${tokenUrl}`)
    if (!json.ok) return { _tag: 'Failed', result: transient(json.reason) }
    const accessToken = field(json.value, 'access_token')
    const rotated = field(json.value, 'refresh_token')
    const expiresIn = field(json.value, 'expires_in')
    if (typeof accessToken !== 'string' || typeof rotated !== 'string') return { _tag: 'Failed', result: transient('TechData token call answered without access_token and refresh_token') }
    refresh = rotated
    await store.onRefreshToken(rotated)
    access = { token: accessToken, until: transport.now().getTime() + (typeof expiresIn === 'number' ? Math.max(0, expiresIn - 60) : 0) * 1000 }
    return { _tag: 'Token', accessToken }
  }

  return {
    /** An access token (one token call at a time). */
    get: (): Promise<AccessToken> => {
      const next = queue.then(fetchToken)
      queue = next.catch(() => undefined)
      return next
    },
    /** Forget the access token (the API refused it). */
    forget: (): void => { access = null },
  }
}
