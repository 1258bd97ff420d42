import { headerText, isHeaderText } from '../domain/text'
import { Email } from '../domain/values'
import { LicenseChangeRow } from '../projections/licenseChangeLog'
import { Mail, mailIdFor } from './mail'

const hour = 3_600_000

/**
 * Stored text on one line: text a command accepted is unchanged; text stored before control
 * characters were refused loses them (a line break becomes a space), in the subject and the bodies.
 */
const oneLine = headerText

/** The row's addresses that are header-safe emails, each once (compared without regard to case), none of `besides`. */
const mailboxes = (addresses: ReadonlyArray<string | null>, besides: ReadonlyArray<Email> = []): ReadonlyArray<Email> => {
  const seen = new Set(besides.map((address) => address.toLowerCase()))
  const kept: Email[] = []
  for (const address of addresses) {
    if (address === null || !Email.is(address) || !isHeaderText(address) || seen.has(address.toLowerCase())) continue
    seen.add(address.toLowerCase())
    kept.push(address)
  }
  return kept
}

const facts = (row: LicenseChangeRow): ReadonlyArray<readonly [string, string]> => [
  ['Product', oneLine(row.product)],
  ['Subscription', row.subscriptionId],
  ['Billing contract', oneLine(row.billingContractId)],
  ['Provider', oneLine(row.provider)],
  ['Quantity', `${row.previousQuantity} -> ${row.newQuantity} (${row.delta >= 0 ? '+' : ''}${row.delta})`],
  ['License Change', row.licenseChangeId],
]

const summary = (row: LicenseChangeRow): string => facts(row).map(([name, value]) => `${`${name}:`.padEnd(19)}${value}`).join('\n')

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

/** The HTML body: the opening line, the facts (previous and new quantity on rows of their own), what to do. */
const html = (row: LicenseChangeRow, opening: string, action: ReadonlyArray<string>): string => {
  const rows = facts(row).flatMap(([name, value]) => (name === 'Quantity'
    ? [['Previous quantity', String(row.previousQuantity)], ['New quantity', String(row.newQuantity)]] as const
    : [[name, value]] as const))
  return [
    `<p>${escape(opening)}</p>`,
    '<table>',
    ...rows.map(([name, value]) => `  <tr><th align="left">${escape(name)}</th><td>${escape(value)}</td></tr>`),
    '</table>',
    `<p><strong>What to do:</strong> ${action.map(escape).join('<br>')}</p>`,
  ].join('\n')
}

/** The email that asks a Manual provider's team to provision a change. */
export const provisioningRequestMail = (row: LicenseChangeRow): Mail => {
  const provider = oneLine(row.provider)
  const opening = `Please set the quantity of this subscription at ${provider} to ${row.newQuantity}.`
  const action = ['When it is done, mark the License Change provisioned:', `  seatflow provision --change ${row.licenseChangeId} --by <your name>`]
  const to = mailboxes([row.provisioningEmail])
  return {
    id: mailIdFor(`provisioning-request:${row.licenseChangeId}`),
    to,
    cc: mailboxes(row.copiedEmails, to),
    subject: oneLine(`Provisioning request: ${row.product} to ${row.newQuantity} seats`),
    text: [opening, '', summary(row), '', ...action].join('\n'),
    html: html(row, opening, [`Set the quantity at ${provider} to ${row.newQuantity}, then mark the License Change provisioned:`, action[1]?.trim() ?? '']),
  }
}

/** The reminder to the billing contract's owner that a change still waits for provisioning. */
export const reminderMail = (row: LicenseChangeRow, sequence: number): Mail => {
  const opening = oneLine(`This change was sent to ${row.provider} (${row.provisioningEmail ?? 'no address'}) at ${row.requestedAt ?? row.recordedAt} and is not provisioned yet.`)
  const action = 'Please follow up with the provider, then mark the License Change provisioned.'
  return {
    id: mailIdFor(`provisioning-reminder:${row.licenseChangeId}:${sequence}`),
    to: mailboxes([row.contractOwnerEmail]),
    cc: [],
    subject: oneLine(`Reminder ${sequence}: ${row.product} still awaits provisioning (${row.newQuantity} seats)`),
    text: [opening, '', summary(row), '', action].join('\n'),
    html: html(row, opening, [action]),
  }
}

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
