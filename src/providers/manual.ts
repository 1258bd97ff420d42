import { LicenseChangeRow } from '../projections/licenseChangeLog'
import { derivedId } from '../domain/ids'
import { Mail } from './mail'

const hour = 3_600_000

const summary = (row: LicenseChangeRow): string => [
  `Product:           ${row.product}`,
  `Subscription:      ${row.subscriptionId}`,
  `Billing contract:  ${row.billingContractId}`,
  `Provider:          ${row.provider}`,
  `Quantity:          ${row.previousQuantity} -> ${row.newQuantity} (${row.delta >= 0 ? '+' : ''}${row.delta})`,
  `License Change:    ${row.licenseChangeId}`,
].join('\n')

/** The email that asks a Manual provider's team to provision a change. */
export const provisioningRequestMail = (row: LicenseChangeRow): Mail => ({
  id: derivedId(`provisioning-request:${row.licenseChangeId}`),
  to: row.provisioningEmail === null ? [] : [row.provisioningEmail],
  cc: row.copiedEmails,
  subject: `Provisioning request: ${row.product} to ${row.newQuantity} seats`,
  text: [
    `Please set the quantity of this subscription at ${row.provider} to ${row.newQuantity}.`,
    '',
    summary(row),
    '',
    'When it is done, mark the License Change provisioned:',
    `  seatflow provision --change ${row.licenseChangeId} --by <your name>`,
  ].join('\n'),
})

/** The reminder to the billing contract's owner that a change still waits for provisioning. */
export const reminderMail = (row: LicenseChangeRow, sequence: number): Mail => ({
  id: derivedId(`provisioning-reminder:${row.licenseChangeId}:${sequence}`),
  to: [row.contractOwnerEmail],
  cc: [],
  subject: `Reminder ${sequence}: ${row.product} still awaits provisioning (${row.newQuantity} seats)`,
  text: [
    `This change was sent to ${row.provider} (${row.provisioningEmail ?? 'no address'}) at ${row.requestedAt ?? row.recordedAt} and is not provisioned yet.`,
    '',
    summary(row),
    '',
    'Please follow up with the provider, then mark the License Change provisioned.',
  ].join('\n'),
})

/** A reminder that is due. */
export interface DueReminder {
  readonly licenseChangeId: string
  readonly subscriptionId: string
  readonly product: string
  readonly to: string
  readonly sequence: number
  readonly dueAt: string
}

/**
 * The reminder policy: a Manual change awaiting provisioning whose request went out reminds
 * its contract owner once every interval, counted from the stored time of the last request or
 * reminder. However late the check, one reminder is due at a time.
 */
export const reminderDue = (row: LicenseChangeRow, now: Date, intervalHours: number): DueReminder | null => {
  if (row.providerKind !== 'Manual' || row.status !== 'Awaiting Provisioning' || row.lastNotifiedAt === null) return null
  const dueAt = Date.parse(row.lastNotifiedAt) + intervalHours * hour
  if (dueAt > now.getTime()) return null
  return {
    licenseChangeId: row.licenseChangeId, subscriptionId: row.subscriptionId, product: row.product,
    to: row.contractOwnerEmail, sequence: row.remindersSent + 1, dueAt: new Date(dueAt).toISOString(),
  }
}
