import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { validate as isUuid } from 'uuid'
import { characterCount, codePointName, forbiddenCharacter } from './text'
import { problem } from './validation'
import { Email, LicenseChangeId, Multiplier, NonEmptyString, ProviderId, SubscriptionId } from './values'

/**
 * The fields of command inputs, as they come in from a host: free text without control
 * characters and within a length, canonical (lower-case) ids, addresses and bounded lists.
 * The stored-event codecs (events.ts) stay as they were, so older events still read.
 */

/** The limits a command input is held to (characters are code points). */
export const limits = {
  /** product, provider name, billing contract id, actor, by, changedBy, correlationId */
  name: 200,
  /** note, reason */
  note: 2000,
  /** the copied addresses of every Manual provisioning request */
  copiedAddresses: 50,
} as const

/** What is wrong with a text of a command, or null: a control character, a lone surrogate, or too many characters. */
export const textProblem = (text: string, max: number): string | null => {
  const bad = forbiddenCharacter(text)
  if (bad?.kind === 'control') return `must not contain control characters (${codePointName(bad.codePoint)} at ${bad.position})`
  if (bad?.kind === 'lone surrogate') return `must be well-formed unicode (lone surrogate ${codePointName(bad.codePoint)} at ${bad.position})`
  const count = characterCount(text)
  return count > max ? `must be at most ${max} characters (got ${count})` : null
}

const isTrimmedNonEmpty = (s: string): boolean => s.trim().length > 0 && s.trim() === s

/** A command's free text: checked for control characters and length, then for its shape. */
const commandText = <A extends string>(name: string, max: number, shape: (s: string) => boolean) => new t.Type<A, string, unknown>(
  name,
  (u): u is A => typeof u === 'string' && textProblem(u, max) === null && shape(u),
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c)
    const wrong = textProblem(u, max)
    if (wrong !== null) return problem(u, c, wrong)
    return shape(u) ? t.success(u as A) : t.failure(u, c)
  },
  (a) => a,
)

/** A name in a command (product, provider, billing contract, a person): trimmed, non-empty, at most 200 characters, no control characters. */
export const Name = commandText<NonEmptyString>('NonEmptyString', limits.name, isTrimmedNonEmpty)
/** Why a person did something (a re-queue's reason): trimmed, non-empty, at most 2000 characters, no control characters. */
export const Reason = commandText<NonEmptyString>('NonEmptyString', limits.note, isTrimmedNonEmpty)
/** A note a person adds: at most 2000 characters, no control characters (may be empty). */
export const Note = commandText<string>('Note', limits.note, () => true)

/** An id as a command gives it: any uuid, in lower case from here on (ids are canonical). */
const canonicalId = <A extends string>(name: string) => new t.Type<A, string, unknown>(
  name,
  (u): u is A => typeof u === 'string' && isUuid(u) && u === u.toLowerCase(),
  (u, c) => (typeof u === 'string' && isUuid(u) ? t.success(u.toLowerCase() as A) : t.failure(u, c)),
  (a) => a,
)

/** A provider id in a command; upper case is taken as the same id in lower case. */
export const ProviderIdInput = canonicalId<ProviderId>('ProviderId')
/** A subscription id in a command; upper case is taken as the same id in lower case. */
export const SubscriptionIdInput = canonicalId<SubscriptionId>('SubscriptionId')
/** A License Change id in a command; upper case is taken as the same id in lower case. */
export const LicenseChangeIdInput = canonicalId<LicenseChangeId>('LicenseChangeId')

/** An email address in a command: one mailbox, no control characters. */
export const EmailInput = new t.Type<Email, string, unknown>(
  'Email',
  (u): u is Email => Email.is(u) && forbiddenCharacter(u) === null,
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c)
    const bad = forbiddenCharacter(u)
    if (bad !== null) return problem(u, c, `must not contain control characters (${codePointName(bad.codePoint)} at ${bad.position})`)
    return Email.is(u) ? t.success(u) : t.failure(u, c)
  },
  (a) => a,
)

const addresses = t.readonlyArray(EmailInput)

/** The first address given again (compared without regard to case), or null. */
const repeated = (list: ReadonlyArray<string>): string | null => {
  const seen = new Set<string>()
  for (const address of list) {
    const key = address.toLowerCase()
    if (seen.has(key)) return address
    seen.add(key)
  }
  return null
}

/** The copied addresses: at most 50, each a valid address, none given twice (in any case). */
export const CopiedAddresses = new t.Type<ReadonlyArray<Email>, ReadonlyArray<string>, unknown>(
  'CopiedAddresses',
  (u): u is ReadonlyArray<Email> => addresses.is(u) && u.length <= limits.copiedAddresses && repeated(u) === null,
  (u, c) => {
    if (Array.isArray(u) && u.length > limits.copiedAddresses) return problem(u, c, `must hold at most ${limits.copiedAddresses} addresses (got ${u.length})`)
    const decoded = addresses.validate(u, c)
    if (E.isLeft(decoded)) return decoded
    const twice = repeated(decoded.right)
    return twice === null ? decoded : problem(u, c, `${twice} is given twice (addresses compare without regard to case)`)
  },
  (a) => a,
)

/** A bundle child's link to its parent, as a command gives it. */
export const BundleLinkInput = t.strict({ parentId: SubscriptionIdInput, multiplier: Multiplier }, 'BundleLink')
