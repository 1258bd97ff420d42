import type { LicenseChangeKind } from '../domain/events'
import { ProviderKind, ProvisioningStatus } from '../domain/values'
import { automaticQueueView, LicenseChangeRow, licenseChangeLog, licenseChangesView, openLicenseChangesView, StatusReason } from '../projections/licenseChangeLog'
import { suspendedSubscriptionIds } from '../projections/catalog'
import { viewRows } from '../projections/projection'
import { KeyedRow, ViewStore } from '../store/views'
import { statusAndProvider } from './licenseChangeIndex'

/** Which License Changes a listing shows: every field given must match. */
export interface LicenseChangeFilter {
  readonly status?: ProvisioningStatus
  /** Active (not invoiced yet) or Archived (invoiced). */
  readonly statusReason?: StatusReason
  /** What the change asks of the provider: a new quantity, a cancellation or a reactivation. */
  readonly kind?: LicenseChangeKind
  /** A provider's name or id (any case), or a kind (`manual`). */
  readonly provider?: string
  readonly subscriptionId?: string
  /** Recorded at or after. */
  readonly since?: Date
}

const kinds: ReadonlyArray<ProviderKind> = ['Do Nothing', 'Manual', 'Automatic']

/** Whether a License Change Log row passes the filter. */
export const passes = (filter: LicenseChangeFilter) => (row: LicenseChangeRow): boolean => {
  const provider = filter.provider?.toLowerCase()
  return (filter.status === undefined || row.status === filter.status)
    && (filter.statusReason === undefined || row.statusReason === filter.statusReason)
    && (filter.kind === undefined || row.kind === filter.kind)
    && (provider === undefined || [row.provider, row.providerId].some((v) => v.toLowerCase() === provider)
      || (kinds.some((k) => k.toLowerCase() === provider) && row.providerKind.toLowerCase() === provider))
    && (filter.subscriptionId === undefined || row.subscriptionId === filter.subscriptionId.toLowerCase())
    && (filter.since === undefined || Date.parse(row.recordedAt) >= filter.since.getTime())
}

/** A page of the License Change Log in a stable order (by License Change id), and the cursor of the next page (null: the last). */
export interface LicenseChangePage {
  readonly rows: ReadonlyArray<LicenseChangeRow>
  readonly next: string | null
}

/** The most rows a page holds. */
export const maxPage = 500

/** The page's rows, and its cursor: the last row's key when the log holds any row after it. */
const pageEnding = (views: ViewStore, rows: ReadonlyArray<LicenseChangeRow>, key: string): LicenseChangePage =>
  ({ rows, next: views.scan(licenseChangesView, key, 1).length > 0 ? key : null })

/** Up to `limit` rows after a key, in key order; undefined when they cannot be read this way. */
type Reader = (after: string | null, limit: number) => ReadonlyArray<KeyedRow> | undefined

/** What a page asks: the rows it keeps, after which key, and how many. */
interface Asked {
  readonly keep: (row: LicenseChangeRow) => boolean
  readonly after: string | null
  readonly limit: number
}

/** A page read off `read` in key order, `chunk` rows at a time, until it is full; undefined when `read` cannot serve. */
const readPage = (views: ViewStore, read: Reader, chunk: number, { keep, after, limit }: Asked): LicenseChangePage | undefined => {
  const rows: LicenseChangeRow[] = []
  let cursor = after
  for (;;) {
    const scanned = read(cursor, chunk)
    if (scanned === undefined) return undefined
    for (const { key, row } of scanned) {
      cursor = key
      if (!keep(row as LicenseChangeRow)) continue
      rows.push(row as LicenseChangeRow)
      if (rows.length === limit) return pageEnding(views, rows, key)
    }
    if (scanned.length < chunk) return { rows, next: null }
  }
}

/** A page read off the whole view in key order, page by page, until it is full. */
const scannedPage = (views: ViewStore, keep: (row: LicenseChangeRow) => boolean, after: string | null, limit: number): LicenseChangePage =>
  readPage(views, (cursor, chunk) => views.scan(licenseChangesView, cursor, chunk), Math.max(limit * 2, 200), { keep, after, limit })
  ?? { rows: [], next: null }

/** A page read off the store's indexes of status and provider (other fields checked on the rows they give); undefined when it keeps none. */
const storeIndexedPage = (views: ViewStore, filter: LicenseChangeFilter, after: string | null, limit: number): LicenseChangePage | undefined => {
  const asked = { keep: passes(filter), after, limit }
  const exact = statusAndProvider(filter)
  const onlyIndexed = Object.entries(filter).every(([field, value]) => value === undefined || field === 'status' || field === 'provider')
  const first = exact === undefined ? undefined
    : readPage(views, (cursor, chunk) => views.scanWhere(licenseChangesView, exact, cursor, chunk), onlyIndexed ? Math.max(limit, 1) : Math.max(limit * 2, 200), asked)
  const byStatus = filter.status === undefined || first !== undefined ? undefined : statusAndProvider({ status: filter.status })
  return first ?? (byStatus === undefined ? undefined
    : readPage(views, (cursor, chunk) => views.scanWhere(licenseChangesView, byStatus, cursor, chunk), Math.max(limit * 2, 200), asked))
}

/**
 * A page of the License Change Log: up to `limit` rows that pass the filter, after the cursor, in
 * the order of their ids (stable however the log grows: a new change never moves a page's rows).
 * A filter of status or provider is read off the store's indexes of them where it keeps them (other
 * fields are checked on the rows they give); otherwise the view is read page by page until the
 * page is full.
 */
export const licenseChangePage = (views: ViewStore, filter: LicenseChangeFilter, after: string | null, limit: number): LicenseChangePage =>
  storeIndexedPage(views, filter, after, limit) ?? scannedPage(views, passes(filter), after, limit)

const hour = 3_600_000

/**
 * When work next falls due by the clock: the earliest reminder of a Manual change awaiting
 * provisioning (none while its subscription is suspended), and the earliest scheduled attempt (or check) of an Automatic change. Null: none.
 */
export const nextDue = (views: ViewStore, reminderIntervalHours: number): { readonly reminderAt: string | null; readonly attemptAt: string | null } => {
  const earliest = (times: ReadonlyArray<number>): string | null => (times.length === 0 ? null : new Date(Math.min(...times)).toISOString())
  const paused = suspendedSubscriptionIds(views)
  const reminders = viewRows(views, licenseChangeLog, openLicenseChangesView)
    .flatMap((row) => (row.providerKind === 'Manual' && row.lastNotifiedAt !== null && !paused.has(row.subscriptionId)
      ? [Date.parse(row.lastNotifiedAt) + reminderIntervalHours * hour] : []))
  const attempts = viewRows(views, licenseChangeLog, automaticQueueView)
    .flatMap((row) => (row.status === 'Awaiting Provisioning' && row.notBefore !== null ? [Date.parse(row.notBefore)] : []))
  return { reminderAt: earliest(reminders), attemptAt: earliest(attempts) }
}

/** The License Change Log in numbers: what a service's metrics show. */
export interface LicenseChangeSummary {
  /** License Changes by status and provider kind (only the pairs there are). */
  readonly byStatusAndKind: ReadonlyArray<{ readonly status: ProvisioningStatus; readonly providerKind: ProviderKind; readonly count: number }>
  /** When the oldest change still Awaiting Provisioning was recorded, or null. */
  readonly oldestAwaitingSince: string | null
  /** Provisioning request emails on record. */
  readonly requestsRecorded: number
  /** Reminders on record. */
  readonly remindersRecorded: number
}

/**
 * Count the License Change Log, a chunk of rows at a time, giving the event loop back between
 * chunks: a service's metrics count a large log without holding its requests up (a row changed
 * meanwhile may be counted as it was or as it is, as any scrape of a moving log).
 */
export const licenseChangeSummary = async (views: ViewStore): Promise<LicenseChangeSummary> => {
  const counts = new Map<string, { status: ProvisioningStatus; providerKind: ProviderKind; count: number }>()
  let oldest: number | null = null
  let requestsRecorded = 0
  let remindersRecorded = 0
  let after: string | null = null
  for (;;) {
    const chunk = views.scan(licenseChangesView, after, 1000)
    for (const { key, row } of chunk) {
      after = key
      const change = row as LicenseChangeRow
      const name = `${change.status}|${change.providerKind}`
      const entry = counts.get(name) ?? { status: change.status, providerKind: change.providerKind, count: 0 }
      counts.set(name, { ...entry, count: entry.count + 1 })
      if (change.status === 'Awaiting Provisioning') oldest = Math.min(oldest ?? Infinity, Date.parse(change.recordedAt))
      requestsRecorded += change.requestedAt === null ? 0 : 1
      remindersRecorded += change.remindersSent
    }
    if (chunk.length < 1000) break
    await new Promise<void>((resolve) => { setImmediate(resolve) })
  }
  return { byStatusAndKind: [...counts.values()], oldestAwaitingSince: oldest === null ? null : new Date(oldest).toISOString(), requestsRecorded, remindersRecorded }
}
