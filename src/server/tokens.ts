import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Seatflow } from '../app/seatflow'

/** The records a service keeps beside the log. */
type Records = Seatflow['records']

/** What a token may do: read; also provision, re-queue, change quantities and sync; also providers, settings and tokens. */
export type Role = 'viewer' | 'operator' | 'admin'

/** The roles, weakest first: a role may do what every role before it may. */
export const roles: ReadonlyArray<Role> = ['viewer', 'operator', 'admin']

/** Whether `held` may do what `needed` may. */
export const allows = (held: Role, needed: Role): boolean => roles.indexOf(held) >= roles.indexOf(needed)

/** A token as the service knows it: never the token itself, only its hash. */
export interface TokenRecord {
  readonly id: string
  /** Who the token is: the actor recorded on every event a request with it writes. */
  readonly name: string
  readonly role: Role
  readonly createdAt: string
  readonly revokedAt: string | null
}

interface StoredToken extends TokenRecord {
  readonly hash: string
}

const table = 'api-tokens'
const prefix = 'sft_'

const hashOf = (secret: string): string => createHash('sha256').update(secret).digest('hex')

const isStored = (value: unknown): value is StoredToken =>
  typeof value === 'object' && value !== null && typeof (value as StoredToken).hash === 'string' && roles.includes((value as StoredToken).role)

const publicOf = ({ hash: _hash, ...token }: StoredToken): TokenRecord => token

/**
 * The API tokens of a service, kept hashed in the store's records (never in the event log). A
 * token is `sft_<id>_<secret>`: its id finds the record, its secret is checked against the hash.
 */
export const tokenRegistry = (records: Records, now: () => Date = () => new Date()) => ({
  /** Make a token; the answer holds the token itself, shown this once. */
  create: (name: string, role: Role): { readonly token: string; readonly record: TokenRecord } => {
    const id = randomBytes(6).toString('hex')
    const secret = randomBytes(24).toString('base64url')
    const record: StoredToken = { id, name, role, createdAt: now().toISOString(), revokedAt: null, hash: hashOf(secret) }
    if (!records.putIfAbsent(table, id, record)) throw new Error('a token id repeated: try again')
    return { token: `${prefix}${id}_${secret}`, record: publicOf(record) }
  },
  /** Every token, revoked ones too, without their hashes. */
  list: (): ReadonlyArray<TokenRecord> => records.list(table).flatMap(({ value }) => (isStored(value) ? [publicOf(value)] : [])),
  /** Revoke a token by id or name; answers the tokens revoked. */
  revoke: (idOrName: string): ReadonlyArray<TokenRecord> => records.list(table).flatMap(({ key, value }) => {
    if (!isStored(value) || value.revokedAt !== null || (value.id !== idOrName && value.name !== idOrName)) return []
    const revoked: StoredToken = { ...value, revokedAt: now().toISOString() }
    records.put(table, key, revoked)
    return [publicOf(revoked)]
  }),
  /** The live token of an id (a console session keeps the id, never the token), or null (unknown or revoked). */
  live: (id: string): TokenRecord | null => {
    const stored = records.get(table, id)
    return isStored(stored) && stored.revokedAt === null && stored.id === id ? publicOf(stored) : null
  },
  /** The live token a bearer value stands for, or null (unknown, malformed, wrong secret, revoked). */
  verify: (bearer: string): TokenRecord | null => {
    const match = /^sft_([0-9a-f]{12})_([A-Za-z0-9_-]{32})$/.exec(bearer)
    if (match === null) return null
    const stored = records.get(table, match[1] ?? '')
    if (!isStored(stored) || stored.revokedAt !== null) return null
    const given = Buffer.from(hashOf(match[2] ?? ''), 'hex')
    const expected = Buffer.from(stored.hash, 'hex')
    return given.length === expected.length && timingSafeEqual(given, expected) ? publicOf(stored) : null
  },
})

/** The tokens of a service. */
export type TokenRegistry = ReturnType<typeof tokenRegistry>
