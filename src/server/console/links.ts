import { createHmac } from 'node:crypto'
import { MailLinks } from '../../providers/mailLinks'
import { sameSecret } from './session'

/** What the email links need: where the console is seen from outside, the secret that signs, how long a link lives. */
export interface LinkOptions {
  /** The console's address as the mail's recipients reach it (`https://seatflow.example.com`). */
  readonly publicUrl: string
  /** The secret the links are signed with (HMAC-SHA256): at least 32 characters, kept out of the log and the store. */
  readonly linkSecret: string
  /** Days a confirmation link works. Default: 14. */
  readonly linkExpiryDays?: number
  /** The time links are made and checked at. Default: the system's. */
  readonly now?: () => Date
}

/** A confirmation link as it arrives: its parts, unchecked. */
export interface LinkParts {
  readonly licenseChangeId: string
  readonly to: string
  readonly until: string
  readonly sig: string
}

/** What checking a link found: it holds (for this change and recipient, until), or why not. */
export type LinkCheck =
  | { readonly _tag: 'Valid'; readonly licenseChangeId: string; readonly recipient: string; readonly until: Date }
  | { readonly _tag: 'Invalid'; readonly reason: 'tampered' | 'expired' }

/** Where the confirmation pages are. */
export const confirmPath = '/confirm'

/** Problems with link options, each named (empty: they hold). */
export const linkOptionProblems = (options: LinkOptions): ReadonlyArray<string> => {
  const problems: string[] = []
  if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(options.publicUrl)) problems.push(`publicUrl must be an http(s) URL without query or fragment, not "${options.publicUrl}"`)
  if (options.linkSecret.length < 32) problems.push('linkSecret must be at least 32 characters')
  const days = options.linkExpiryDays
  if (days !== undefined && !(Number.isFinite(days) && days > 0 && days <= 365)) problems.push(`linkExpiryDays must be a number of days above 0 and at most 365, not ${String(days)}`)
  return problems
}

const signatureOf = (secret: string, licenseChangeId: string, recipient: string, until: string): string =>
  createHmac('sha256', secret).update(['seatflow confirm v1', licenseChangeId.toLowerCase(), recipient.toLowerCase(), until].join('\n')).digest('base64url')

/** The links of a console: the mails' (signed confirmation, the change's page) and the check of a confirmation link. */
export const emailLinks = (options: LinkOptions) => {
  const problems = linkOptionProblems(options)
  if (problems.length > 0) throw new Error(`the email links cannot be made: ${problems.join('; ')}`)
  const base = options.publicUrl.replace(/\/+$/, '')
  const now = options.now ?? (() => new Date())
  const lifeMs = (options.linkExpiryDays ?? 14) * 86_400_000
  const confirm = (licenseChangeId: string, recipient: string): string => {
    const until = String(Math.floor((now().getTime() + lifeMs) / 1000))
    const query = new URLSearchParams({ to: recipient, until, sig: signatureOf(options.linkSecret, licenseChangeId, recipient, until) })
    return `${base}${confirmPath}/${encodeURIComponent(licenseChangeId)}?${query.toString()}`
  }
  const mail: MailLinks = { confirm, page: (licenseChangeId) => `${base}/changes/${encodeURIComponent(licenseChangeId)}` }
  return {
    /** Whether the console is reached over TLS (its public URL is https): its cookies are then always Secure. */
    overTls: base.startsWith('https://'),
    /** What the mails carry. */
    mail,
    /** Check a link: a signature that does not match (a changed id, recipient or time, or another secret) is `tampered`. */
    check: (parts: LinkParts): LinkCheck => {
      const expected = signatureOf(options.linkSecret, parts.licenseChangeId, parts.to, parts.until)
      if (!/^\d{1,12}$/.test(parts.until) || !sameSecret(expected, parts.sig)) return { _tag: 'Invalid', reason: 'tampered' }
      const until = new Date(Number(parts.until) * 1000)
      if (until.getTime() <= now().getTime()) return { _tag: 'Invalid', reason: 'expired' }
      return { _tag: 'Valid', licenseChangeId: parts.licenseChangeId, recipient: parts.to, until }
    },
  }
}

/** The email links of a console. */
export type EmailLinks = ReturnType<typeof emailLinks>
