import { Recorded } from '../domain/envelope'
import { AutomaticSystem, LicenseChangeKind } from '../domain/events'
import { Origin, ProviderKind, ProvisioningStatus } from '../domain/values'
import { Projection } from './projection'

/** Whether a License Change is on an invoice yet: Active until it is invoiced, Archived after. */
export type StatusReason = 'Active' | 'Archived'

/** One line of the License Change Log. */
export interface LicenseChangeRow {
  readonly licenseChangeId: string
  /** What it asks of the provider: a new quantity, a cancellation or a reactivation. */
  readonly kind: LicenseChangeKind
  readonly subscriptionId: string
  readonly product: string
  readonly billingContractId: string
  readonly contractOwnerEmail: string
  readonly providerId: string
  readonly provider: string
  readonly providerKind: ProviderKind
  readonly system: AutomaticSystem | null
  readonly provisioningEmail: string | null
  readonly copiedEmails: ReadonlyArray<string>
  readonly previousQuantity: number
  readonly newQuantity: number
  readonly delta: number
  readonly origin: Origin
  readonly status: ProvisioningStatus
  readonly recordedAt: string
  readonly recordedPosition: number
  readonly requestedAt: string | null
  readonly lastNotifiedAt: string | null
  readonly remindersSent: number
  readonly attempts: number
  readonly pendingReference: string | null
  /** The reason of the last failed attempt. */
  readonly lastFailure: string | null
  /** The next attempt (or check of an accepted one) is not made before this instant; null: at the next run. */
  readonly notBefore: string | null
  /** The earlier change of the subscription this one waits for (per-subscription ordering). */
  readonly waitingFor: string | null
  /** The later change whose provider-reported quantity made this change's target stale. */
  readonly supersededBy: string | null
  /** The provider its subscription moved to when it was withdrawn (never sent). */
  readonly withdrawnTo: string | null
  readonly statusReason: StatusReason
  /** The billing run that invoiced it, and when. */
  readonly billingRunId: string | null
  readonly invoicedAt: string | null
  readonly provisionedAt: string | null
  readonly provisionedBy: string | null
  readonly message: string
}

export const licenseChangesView = 'licenseChanges'
export const openLicenseChangesView = 'openLicenseChanges'
/** Changes that still need someone: Awaiting Provisioning, or Failed Provisioning and not superseded. They hold later changes of their subscription back. */
export const unresolvedLicenseChangesView = 'unresolvedLicenseChanges'
/** Manual changes whose provisioning request email has not gone out: what the outbox sends next. */
export const requestsDueView = 'requestsDue'
/** Automatic changes not resolved yet: what the gateways work through, in order. */
export const automaticQueueView = 'automaticQueue'
/** Changes not invoiced yet (status reason Active): what the next billing run exports. */
export const activeLicenseChangesView = 'activeLicenseChanges'

const recorded = (event: Recorded<Extract<Recorded, { type: 'LicenseChangeRecorded' }>>): LicenseChangeRow => {
  const d = event.data
  return {
    licenseChangeId: d.licenseChangeId,
    kind: d.kind,
    subscriptionId: d.subscriptionId,
    product: d.product,
    billingContractId: d.billingContractId,
    contractOwnerEmail: d.contractOwnerEmail,
    providerId: d.provider.providerId,
    provider: d.provider.name,
    providerKind: d.provider.kind,
    system: d.provider.kind === 'Automatic' ? d.provider.system : null,
    provisioningEmail: d.provider.kind === 'Manual' ? d.provider.provisioningEmail : null,
    copiedEmails: d.provider.kind === 'Manual' ? d.provider.copiedEmails : [],
    previousQuantity: d.previousQuantity,
    newQuantity: d.newQuantity,
    delta: d.newQuantity - d.previousQuantity,
    origin: d.origin,
    status: d.status,
    recordedAt: event.metadata.occurredAt,
    recordedPosition: event.position,
    requestedAt: null,
    lastNotifiedAt: null,
    remindersSent: 0,
    attempts: 0,
    pendingReference: null,
    lastFailure: null,
    notBefore: null,
    waitingFor: null,
    supersededBy: null,
    withdrawnTo: null,
    statusReason: 'Active',
    billingRunId: null,
    invoicedAt: null,
    provisionedAt: null,
    provisionedBy: null,
    message: d.message,
  }
}

/** The message of a change held back by an earlier unresolved change of its subscription. */
export const waitingMessage = (waitingFor: string, status: string): string =>
  `Waiting for License Change ${waitingFor} (${status}) of this subscription`

const accepted = (row: LicenseChangeRow, reference: string): string =>
  `Accepted by ${row.provider} (${reference}); waiting for confirmation`

const scheduledMessage = (row: LicenseChangeRow, attempt: number, notBefore: string): string =>
  row.pendingReference === null
    ? `Attempt ${attempt - 1} failed: ${row.lastFailure ?? 'unknown reason'}; attempt ${attempt} not before ${notBefore}`
    : `${accepted(row, row.pendingReference)}; next check not before ${notBefore}`

const list = (emails: ReadonlyArray<string>): string => emails.join(', ')

const evolve = (row: LicenseChangeRow | undefined, event: Recorded): LicenseChangeRow | undefined => {
  if (event.type === 'LicenseChangeRecorded') return row ?? recorded(event)
  if (row === undefined) return row
  const at = event.metadata.occurredAt
  switch (event.type) {
    case 'ProvisioningRequested': {
      const cc = event.data.cc.length > 0 ? ` (cc ${list(event.data.cc)})` : ''
      return { ...row, requestedAt: at, lastNotifiedAt: at, message: `Provisioning request sent to ${list(event.data.to)}${cc}` }
    }
    case 'ProvisioningReminderSent':
      return {
        ...row, lastNotifiedAt: at, remindersSent: event.data.sequence,
        message: `Reminder ${event.data.sequence} sent to ${list(event.data.to)}`,
      }
    case 'ProvisioningAccepted':
      return { ...row, attempts: event.data.attempt, pendingReference: event.data.reference, notBefore: null, waitingFor: null, message: accepted(row, event.data.reference) }
    case 'ProvisioningAttemptFailed':
      return {
        ...row, attempts: event.data.attempt, pendingReference: null, lastFailure: event.data.reason, notBefore: null, waitingFor: null,
        message: `Attempt ${event.data.attempt} failed: ${event.data.reason}`,
      }
    case 'LicenseChangeProvisioned': {
      const note = event.data.note === null ? '' : `: ${event.data.note}`
      return {
        ...row, status: 'Provisioned', provisionedAt: at, provisionedBy: event.data.by, pendingReference: null, notBefore: null, waitingFor: null,
        message: `Provisioned by ${event.data.by}${note}`,
      }
    }
    case 'ProvisioningFailed':
      return { ...row, status: 'Failed Provisioning', pendingReference: null, notBefore: null, waitingFor: null, message: event.data.reason }
    case 'ProvisioningRequeued':
      return { ...row, status: 'Awaiting Provisioning', notBefore: null, waitingFor: null, message: `Re-queued by ${event.data.by}: ${event.data.reason}` }
    case 'ProvisioningAttemptScheduled':
      return { ...row, notBefore: event.data.notBefore, message: scheduledMessage(row, event.data.attempt, event.data.notBefore) }
    case 'ProvisioningHeldBack':
      return {
        ...row, waitingFor: event.data.waitingFor,
        message: waitingMessage(event.data.waitingFor, event.data.waitingForStatus),
      }
    case 'LicenseChangeSuperseded':
      return {
        ...row, status: 'Failed Provisioning', pendingReference: null, notBefore: null, waitingFor: null, supersededBy: event.data.supersededBy,
        message: `Superseded by License Change ${event.data.supersededBy}: ${row.provider} reported quantity ${event.data.quantity} after this change, so its target ${row.newQuantity} was not sent`,
      }
    case 'LicenseChangeWithdrawn':
      return {
        ...row, status: 'Failed Provisioning', pendingReference: null, notBefore: null, waitingFor: null, withdrawnTo: event.data.movedTo,
        message: `Withdrawn: the subscription moved to provider ${event.data.movedTo} before this change was provisioned at ${row.provider}; it is never sent`,
      }
    case 'LicenseChangeInvoiced':
      return { ...row, statusReason: 'Archived', billingRunId: event.data.billingRunId, invoicedAt: at }
    default:
      return row
  }
}

/** Whether a change still needs someone and holds later changes of its subscription back (the rule of the License Change's isUnresolved). */
export const isUnresolved = (row: LicenseChangeRow): boolean =>
  row.status === 'Awaiting Provisioning' || (row.status === 'Failed Provisioning' && row.supersededBy === null && row.withdrawnTo === null)

/** The License Change Log: every change, its status and what happened to it; open ones indexed. */
export const licenseChangeLog: Projection<LicenseChangeRow> = {
  view: licenseChangesView,
  route: (event) => 'licenseChangeId' in event.data ? event.data.licenseChangeId : null,
  evolve,
  indexes: [
    { view: openLicenseChangesView, keep: (row) => row.status === 'Awaiting Provisioning' },
    { view: unresolvedLicenseChangesView, keep: isUnresolved },
    { view: requestsDueView, keep: (row) => row.providerKind === 'Manual' && row.status === 'Awaiting Provisioning' && row.requestedAt === null },
    { view: automaticQueueView, keep: (row) => row.providerKind === 'Automatic' && isUnresolved(row) },
    { view: activeLicenseChangesView, keep: (row) => row.statusReason === 'Active' },
  ],
}
