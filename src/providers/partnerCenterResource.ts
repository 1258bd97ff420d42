import { field } from './http'
import { RefundableSeats } from './reductionWindow'

/** A Partner Center subscription resource as read: the whole body (PATCH sends it back) and what seatflow needs of it. */
export interface PartnerCenterSubscription {
  readonly body: Readonly<Record<string, unknown>>
  readonly quantity: number
  /** From the ETag header, else the resource's `attributes.etag`. */
  readonly etag: string | null
  /** `refundableQuantity.details`; null when the resource has no `refundableQuantity` (not new commerce). */
  readonly windows: ReadonlyArray<RefundableSeats> | null
  /** `status`: active, suspended, deleted... (lower case; "active" when the resource names none). */
  readonly status: string
  /** `cancellationAllowedUntilDate`: null when it may not be cancelled, undefined when the resource has none (not new commerce). */
  readonly cancellationAllowedUntil: string | null | undefined
}

/** `cancellationAllowedUntilDate` as read, or what is wrong with it. */
const cancellationOf = (resource: unknown): { readonly until: string | null | undefined } | string => {
  const until = field(resource, 'cancellationAllowedUntilDate')
  if (until === undefined || until === null) return { until }
  return typeof until === 'string' && !Number.isNaN(Date.parse(until)) ? { until } : `cancellationAllowedUntilDate holds ${JSON.stringify(until)}, not a date`
}

const windowsOf = (resource: unknown): ReadonlyArray<RefundableSeats> | null | string => {
  const refundable = field(resource, 'refundableQuantity')
  if (refundable === undefined || refundable === null) return null
  const details = field(refundable, 'details') ?? []
  if (!Array.isArray(details)) return 'refundableQuantity.details is not a list'
  const windows: RefundableSeats[] = []
  for (const detail of details as ReadonlyArray<unknown>) {
    const quantity = field(detail, 'quantity')
    const allowedUntil = field(detail, 'allowedUntilDateTime')
    if (typeof quantity !== 'number' || typeof allowedUntil !== 'string' || Number.isNaN(Date.parse(allowedUntil))) {
      return `refundableQuantity.details holds ${JSON.stringify(detail)}, not {quantity, allowedUntilDateTime}`
    }
    windows.push({ quantity, allowedUntil })
  }
  return windows
}

/** Read a subscription resource, or say what is wrong with it. */
export const readSubscriptionResource = (value: unknown, etagHeader: string | null): PartnerCenterSubscription | string => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the subscription resource is not a JSON object'
  const quantity = field(value, 'quantity')
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0) return `the subscription resource has no valid quantity (${JSON.stringify(quantity)})`
  const windows = windowsOf(value)
  if (typeof windows === 'string') return windows
  const cancellation = cancellationOf(value)
  if (typeof cancellation === 'string') return cancellation
  const status = field(value, 'status')
  const attributeTag = field(field(value, 'attributes'), 'etag')
  const etag = etagHeader ?? (typeof attributeTag === 'string' ? attributeTag : null)
  return {
    body: value as Record<string, unknown>, quantity, etag, windows,
    status: typeof status === 'string' ? status.toLowerCase() : 'active', cancellationAllowedUntil: cancellation.until,
  }
}

/** Partner Center's words for a subscription that is busy with another operation: worth trying again. */
export const notReadyToBeUpdated = (error: { readonly description?: string }): boolean =>
  /not ready to be updated/i.test(error.description ?? '')
