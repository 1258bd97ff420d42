import { Recorded } from '../domain/envelope'
import { AutomaticSystem } from '../domain/events'
import { Origin, ProviderKind, ProvisioningStatus } from '../domain/values'
import { Projection } from './projection'

/** One line of the License Change Log. */
export interface LicenseChangeRow {
  readonly licenseChangeId: string
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
  readonly provisionedAt: string | null
  readonly provisionedBy: string | null
  readonly message: string
}

export const licenseChangesView = 'licenseChanges'
export const openLicenseChangesView = 'openLicenseChanges'

const recorded = (event: Recorded<Extract<Recorded, { type: 'LicenseChangeRecorded' }>>): LicenseChangeRow => {
  const d = event.data
  return {
    licenseChangeId: d.licenseChangeId,
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
    provisionedAt: null,
    provisionedBy: null,
    message: d.message,
  }
}

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
      return { ...row, attempts: event.data.attempt, pendingReference: event.data.reference, message: `Accepted by ${row.provider} (${event.data.reference}); waiting for confirmation` }
    case 'ProvisioningAttemptFailed':
      return { ...row, attempts: event.data.attempt, pendingReference: null, message: `Attempt ${event.data.attempt} failed: ${event.data.reason}` }
    case 'LicenseChangeProvisioned': {
      const note = event.data.note === null ? '' : `: ${event.data.note}`
      return {
        ...row, status: 'Provisioned', provisionedAt: at, provisionedBy: event.data.by, pendingReference: null,
        message: `Provisioned by ${event.data.by}${note}`,
      }
    }
    case 'ProvisioningFailed':
      return { ...row, status: 'Failed Provisioning', pendingReference: null, message: event.data.reason }
    case 'ProvisioningRequeued':
      return { ...row, status: 'Awaiting Provisioning', message: `Re-queued by ${event.data.by}: ${event.data.reason}` }
    default:
      return row
  }
}

/** The License Change Log: every change, its status and what happened to it; open ones indexed. */
export const licenseChangeLog: Projection<LicenseChangeRow> = {
  view: licenseChangesView,
  route: (event) => 'licenseChangeId' in event.data ? event.data.licenseChangeId : null,
  evolve,
  indexes: [{ view: openLicenseChangesView, keep: (row) => row.status === 'Awaiting Provisioning' }],
}
