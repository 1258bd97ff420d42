import { EmailInput, Name } from '../domain/fields'
import { Email } from '../domain/values'
import { defaultConfirmWithinHours, defaultRetryPolicy, RetryPolicy } from '../domain/retry'
import { Clock, systemClock } from '../providers/clock'
import { Gateways } from '../providers/gateway'
import { createMemoryMailer, Mailer } from '../providers/mail'
import { isMailLinks, MailLinks, noMailLinks } from '../providers/mailLinks'
import { Storage } from '../store/storage'

/** How a seatflow is composed. Every part has a default. */
export interface SeatflowOptions {
  /** A store URL (`sqlite:PATH`, `memory:`, `esdb://host:port?tls=false&views=PATH`) or an open Storage. Default: `sqlite:seatflow.db`. */
  readonly store?: string | Storage
  /** Where mail goes. Default: kept in memory (see `createFileMailer` for a folder of .eml files). */
  readonly mailer?: Mailer
  /** Where time comes from. Default: the system clock. */
  readonly clock?: Clock
  /** Gateways of the automatic providers, by provider id or by system ('Partner Center', 'Synnex', 'TechData'). */
  readonly gateways?: Gateways
  /** Hours between reminders of a Manual change awaiting provisioning: more than 0, at most 8760 (a year). Default: 24. */
  readonly reminderIntervalHours?: number
  /** Seconds an automatic change waits after its first transient failure; doubled after each further one (plus jitter). Default: 30. */
  readonly retryBaseSeconds?: number
  /** The longest such wait, in seconds (a provider's Retry-After may ask for longer). Default: 3600. */
  readonly retryCapSeconds?: number
  /** Who commands are by when they name nobody. Default: 'host'. */
  readonly actor?: string
  /** The provisioning team address of the default "Manual Provider". Default: provisioning@example.com. */
  readonly manualProvisioningEmail?: string
  /** Run reactions, views, mail and gateways after every command. Default: true. */
  readonly autoProcess?: boolean
  /** Seconds a claim on a mail holds: another process sends the mail of a claimer that died after this long. Default: 60. */
  readonly mailLeaseSeconds?: number
  /** One reminder mail per contract owner and due time, listing every change that awaits them (each change's count stays exact). Default: false. */
  readonly reminderDigest?: boolean
  /** Hours an attempt the provider accepted (202) may wait for its confirmation before the change fails (re-queueable). Default: 24. */
  readonly confirmWithinHours?: number
  /** Seconds a claim on a due gateway call holds: another process makes the call of a claimer that died after this long (longer than a call may take). Default: 300. */
  readonly attemptLeaseSeconds?: number
  /** Links the Manual mails carry: `emailLinks({ publicUrl, linkSecret }).mail` from seatflow/server (signed "I have made this change", the change's console page). Default: none. */
  readonly mailLinks?: MailLinks
}

/** The options, checked and with their defaults. */
export interface Settings {
  readonly store: string | Storage | undefined
  readonly mailer: Mailer
  readonly clock: Clock
  readonly gateways: Gateways
  readonly reminderIntervalHours: number
  readonly retry: RetryPolicy
  readonly actor: string
  readonly manualProvisioningEmail: Email
  readonly autoProcess: boolean
  readonly mailLeaseMs: number
  readonly reminderDigest: boolean
  readonly attemptLeaseMs: number
  readonly mailLinks: MailLinks
}

/** One option that cannot be used: which, the value given, and what it must be. */
export interface OptionProblem {
  readonly option: string
  readonly value: string
  readonly problem: string
}

/** Thrown by createSeatflow for options it cannot use; nothing was opened. */
export class InvalidOptionsError extends Error {
  constructor(readonly problems: ReadonlyArray<OptionProblem>) {
    super(`createSeatflow: ${problems.map((p) => `${p.option} ${p.problem}, not ${p.value}`).join('; ')}`)
    this.name = 'InvalidOptionsError'
  }
}

const show = (value: unknown): string => {
  if (typeof value === 'function') return 'a function'
  if (typeof value === 'number' || typeof value === 'bigint' || value === undefined) return String(value)
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

const has = (value: unknown, method: string): boolean =>
  typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[method] === 'function'

const isGateways = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value)
  && Object.values(value).every((gateway) => has(gateway, 'changeQuantity') && has(gateway, 'checkPending'))

const between = (low: number, high: number) => (value: unknown): boolean =>
  typeof value === 'number' && Number.isFinite(value) && value > low && value <= high

/** Each option's check and what it must be. */
const checks: Readonly<Record<keyof SeatflowOptions, readonly [(value: unknown) => boolean, string]>> = {
  store: [(v) => (typeof v === 'string' && v.trim() !== '') || (has(v, 'close') && typeof v === 'object' && v !== null && 'events' in v), 'must be a store URL or an open Storage'],
  mailer: [(v) => has(v, 'send'), 'must be a mailer: an object with send(mail)'],
  clock: [(v) => has(v, 'now'), 'must be a clock: an object with now()'],
  gateways: [isGateways, 'must map provider ids or systems to gateways (changeQuantity and checkPending)'],
  reminderIntervalHours: [between(0, 8760), 'must be a number of hours above 0 and at most 8760'],
  retryBaseSeconds: [(v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 86_400, 'must be a number of seconds from 0 to 86400'],
  retryCapSeconds: [(v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 604_800, 'must be a number of seconds from 0 to 604800'],
  actor: [(v) => Name.is(v), 'must be a trimmed, non-empty name of at most 200 characters without control characters'],
  manualProvisioningEmail: [(v) => EmailInput.is(v), 'must be an email address'],
  autoProcess: [(v) => typeof v === 'boolean', 'must be true or false'],
  mailLeaseSeconds: [between(0, 86_400), 'must be a number of seconds above 0 and at most 86400'],
  reminderDigest: [(v) => typeof v === 'boolean', 'must be true or false'],
  confirmWithinHours: [between(0, 8760), 'must be a number of hours above 0 and at most 8760'],
  attemptLeaseSeconds: [between(0, 86_400), 'must be a number of seconds above 0 and at most 86400'],
  mailLinks: [isMailLinks, 'must be mail links: { confirm?, page? }, each a function that makes a URL'],
}

const problemsOf = (options: Readonly<Record<string, unknown>>): ReadonlyArray<OptionProblem> => {
  const problems: OptionProblem[] = []
  for (const [option, value] of Object.entries(options)) {
    if (value === undefined) continue
    const check = (checks as Readonly<Record<string, readonly [(value: unknown) => boolean, string] | undefined>>)[option]
    if (check === undefined) problems.push({ option, value: show(value), problem: `is not an option (known: ${Object.keys(checks).join(', ')})` })
    else if (!check[0](value)) problems.push({ option, value: show(value), problem: check[1] })
  }
  const base = options.retryBaseSeconds ?? defaultRetryPolicy.baseSeconds
  const cap = options.retryCapSeconds ?? defaultRetryPolicy.capSeconds
  if (typeof base === 'number' && typeof cap === 'number' && cap < base) {
    problems.push({ option: 'retryCapSeconds', value: show(cap), problem: `must be a number of seconds >= retryBaseSeconds (${base})` })
  }
  return problems
}

const emailOf = (text: string): Email => {
  if (!EmailInput.is(text)) throw new InvalidOptionsError([{ option: 'manualProvisioningEmail', value: show(text), problem: 'must be an email address' }])
  return text
}

/** The retry policy of the options, with its defaults. */
const retryOf = (options: SeatflowOptions): RetryPolicy => ({
  baseSeconds: options.retryBaseSeconds ?? defaultRetryPolicy.baseSeconds,
  capSeconds: options.retryCapSeconds ?? defaultRetryPolicy.capSeconds,
  confirmWithinHours: options.confirmWithinHours ?? defaultConfirmWithinHours,
})

/** The leases of claims, in milliseconds. */
const leasesOf = (options: SeatflowOptions): Pick<Settings, 'mailLeaseMs' | 'attemptLeaseMs'> =>
  ({ mailLeaseMs: (options.mailLeaseSeconds ?? 60) * 1000, attemptLeaseMs: (options.attemptLeaseSeconds ?? 300) * 1000 })

/** Check every option and fill in the defaults; throws InvalidOptionsError naming each option it cannot use and its value. */
export const settingsOf = (options: SeatflowOptions = {}): Settings => {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionsError([{ option: 'options', value: show(options), problem: 'must be an object' }])
  const problems = problemsOf(options as unknown as Readonly<Record<string, unknown>>)
  if (problems.length > 0) throw new InvalidOptionsError(problems)
  return {
    store: options.store,
    mailer: options.mailer ?? createMemoryMailer(),
    clock: options.clock ?? systemClock,
    gateways: options.gateways ?? {},
    reminderIntervalHours: options.reminderIntervalHours ?? 24,
    retry: retryOf(options),
    actor: options.actor ?? 'host',
    manualProvisioningEmail: emailOf(options.manualProvisioningEmail ?? 'provisioning@example.com'),
    autoProcess: options.autoProcess ?? true,
    ...leasesOf(options),
    reminderDigest: options.reminderDigest ?? false,
    mailLinks: options.mailLinks ?? noMailLinks,
  }
}
