import { createHash, randomUUID } from 'node:crypto'
import * as t from 'io-ts'
import type { Seatflow } from '../app/seatflow'

/**
 * Idempotency keys of the API's writes, kept in the store's records so that every process on
 * the store sees them. A key belongs to one token; the first request with it claims it (an
 * atomic put-if-absent), runs, and leaves its answer; a retry of the same request (method, path
 * and body) gets that answer again and writes nothing; another request with the key is refused.
 */

/** How long an answered key is kept: a retry within this window gets the same answer. */
export const keepKeysHours = 24
/** How long a claim holds without an answer before a retry may take it over (its process is taken to have died). */
export const inFlightLeaseSeconds = 300

const table = 'api-idempotency-keys'
const takeovers = 'api-idempotency-takeovers'
const sweepEveryMs = 10 * 60_000
const hour = 3_600_000

/** What a request answered: replayed as it was. */
export const StoredAnswer = t.type({ status: t.number, body: t.unknown, location: t.union([t.string, t.null]) })
/** What a request answered. */
export type StoredAnswer = t.TypeOf<typeof StoredAnswer>

const claimed = { fingerprint: t.string, attempt: t.string, startedAt: t.string }
const InFlight = t.type({ state: t.literal('in flight'), ...claimed })
const KeyRecord = t.union([
  InFlight,
  t.type({ state: t.literal('answered'), ...claimed, answeredAt: t.string, answer: StoredAnswer }),
])
type KeyRecord = t.TypeOf<typeof KeyRecord>

/** What a request with a key may do. */
export type Claim =
  /** It runs: `answer` keeps what it answered (unless the service failed: then `release` lets a retry run). */
  | { readonly outcome: 'claimed'; readonly answer: (answer: StoredAnswer) => void; readonly release: () => void }
  /** The same request ran already: this is its answer. */
  | { readonly outcome: 'replay'; readonly answer: StoredAnswer }
  /** The same request is running now. */
  | { readonly outcome: 'in flight' }
  /** The key was used for another request (another method, path or body). */
  | { readonly outcome: 'reused' }

/** A request's fingerprint: its method, route and what it carries (object keys in order, so spacing and key order do not matter). */
export const fingerprintOf = (method: string, route: string, request: unknown): string =>
  createHash('sha256').update(JSON.stringify([method, route, canonical(request)])).digest('hex')

const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, canonical(v)]))
}

/** Whether a header value can be an idempotency key: 1 to 255 visible ASCII characters. */
export const isIdempotencyKey = (value: string): boolean => /^[\x21-\x7e]{1,255}$/.test(value)

/**
 * The idempotency keys of a service. `claim(scope, key, fingerprint)` answers what a request may
 * do; keys are swept `keepKeysHours` after their answer (at most every ten minutes, on a claim).
 */
export const idempotencyKeys = (records: Seatflow['records'], now: () => Date = () => new Date()) => {
  let sweptAt = 0
  const read = (id: string): KeyRecord | null => {
    const decoded = KeyRecord.decode(records.get(table, id))
    return decoded._tag === 'Right' ? decoded.right : null
  }
  const expired = (record: KeyRecord, at: number): boolean => record.state === 'answered'
    ? Date.parse(record.answeredAt) + keepKeysHours * hour <= at
    : Date.parse(record.startedAt) + inFlightLeaseSeconds * 1000 <= at
  const claimOf = (id: string, { fingerprint, attempt, startedAt }: t.TypeOf<typeof InFlight>): Claim => {
    const ours = (): boolean => read(id)?.attempt === attempt
    return {
      outcome: 'claimed',
      answer: (answer) => {
        if (ours()) records.put(table, id, { state: 'answered', fingerprint, attempt, startedAt, answeredAt: now().toISOString(), answer })
      },
      release: () => { if (ours()) records.delete(table, id) },
    }
  }
  const sweep = (at: number): void => {
    if (at - sweptAt < sweepEveryMs) return
    sweptAt = at
    for (const { key, value } of records.list(table)) {
      const record = KeyRecord.decode(value)
      const since = record._tag === 'Left' ? 0 : Date.parse(record.right.state === 'answered' ? record.right.answeredAt : record.right.startedAt)
      if (!(since + keepKeysHours * hour > at)) records.delete(table, key)
    }
    for (const { key, value } of records.list(takeovers)) {
      if (typeof value !== 'string' || Date.parse(value) + keepKeysHours * hour <= at) records.delete(takeovers, key)
    }
  }
  return {
    /** What a request with this key may do: run (claimed), get the earlier answer, wait (in flight), or nothing (reused). */
    claim: (scope: string, key: string, fingerprint: string): Claim => {
      const at = now().getTime()
      sweep(at)
      const id = `${scope}:${createHash('sha256').update(key).digest('hex')}`
      const attempt = randomUUID()
      const fresh = { state: 'in flight' as const, fingerprint, attempt, startedAt: new Date(at).toISOString() }
      if (records.putIfAbsent(table, id, fresh)) return claimOf(id, fresh)
      if (records.get(table, id) === undefined) {
        // Released or swept between the two looks: one more try, then it is someone else's.
        return records.putIfAbsent(table, id, fresh) ? claimOf(id, fresh) : { outcome: 'in flight' }
      }
      const found = read(id)
      if (found !== null && !expired(found, at)) {
        if (found.fingerprint !== fingerprint) return { outcome: 'reused' }
        return found.state === 'answered' ? { outcome: 'replay', answer: found.answer } : { outcome: 'in flight' }
      }
      // An answer past keeping, a claim past its lease or an unreadable record: one retry takes it over.
      if (!records.putIfAbsent(takeovers, `${id}/${found?.attempt ?? 'unreadable'}`, new Date(at).toISOString())) return { outcome: 'in flight' }
      records.put(table, id, fresh)
      return claimOf(id, fresh)
    },
  }
}

/** The idempotency keys of a service. */
export type IdempotencyKeys = ReturnType<typeof idempotencyKeys>
