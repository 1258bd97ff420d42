import { Existing } from '../domain/licenseChange'
import { headerText, isHeaderText } from '../domain/text'
import { Email } from '../domain/values'
import { Mail, mailIdFor } from './mail'
import { MailLink, MailLinks, noMailLinks } from './mailLinks'

const hour = 3_600_000

/**
 * Stored text on one line: text a command accepted is unchanged; text stored before control
 * characters were refused loses them (a line break becomes a space), in the subject and the bodies.
 */
const oneLine = headerText

/** Header-safe addresses, each once (compared without regard to case), none of `besides`. */
export const mailboxes = (addresses: ReadonlyArray<Email>, besides: ReadonlyArray<Email> = []): ReadonlyArray<Email> => {
  const seen = new Set(besides.map((address) => address.toLowerCase()))
  const kept: Email[] = []
  for (const address of addresses) {
    if (!isHeaderText(address) || seen.has(address.toLowerCase())) continue
    seen.add(address.toLowerCase())
    kept.push(address)
  }
  return kept
}

/** What a Manual change's mails say of it, from the License Change's own state. */
export const factsOf = (change: Existing) => {
  const { change: recorded } = change
  return {
    product: oneLine(recorded.product),
    provider: oneLine(recorded.provider.name),
    provisioningEmail: recorded.provider.kind === 'Manual' ? recorded.provider.provisioningEmail : null,
    previousQuantity: recorded.previousQuantity,
    newQuantity: recorded.newQuantity,
    lines: [
      ['Product', oneLine(recorded.product)],
      ['Subscription', recorded.subscriptionId],
      ['Billing contract', oneLine(recorded.billingContractId)],
      ['Provider', oneLine(recorded.provider.name)],
      ['Quantity', `${recorded.previousQuantity} -> ${recorded.newQuantity} (${recorded.newQuantity >= recorded.previousQuantity ? '+' : ''}${recorded.newQuantity - recorded.previousQuantity})`],
      ['License Change', change.licenseChangeId],
    ] as ReadonlyArray<readonly [string, string]>,
  }
}

/** What a Manual change's mails say of it. */
export type Facts = ReturnType<typeof factsOf>

const summary = (facts: Facts): string => facts.lines.map(([name, value]) => `${`${name}:`.padEnd(19)}${value}`).join('\n')

/** Text made safe inside HTML. */
export const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

/** The HTML body: the opening line, the facts (previous and new quantity on rows of their own), what to do. */
const html = (facts: Facts, opening: string, action: ReadonlyArray<string>, link: MailLink | null = null): string => {
  const rows = facts.lines.flatMap(([name, value]) => (name === 'Quantity'
    ? [['Previous quantity', String(facts.previousQuantity)], ['New quantity', String(facts.newQuantity)]] as const
    : [[name, value]] as const))
  return [
    `<p>${escape(opening)}</p>`,
    '<table>',
    ...rows.map(([name, value]) => `  <tr><th align="left">${escape(name)}</th><td>${escape(value)}</td></tr>`),
    '</table>',
    `<p><strong>What to do:</strong> ${action.map(escape).join('<br>')}</p>`,
    ...(link === null ? [] : [`<p><a href="${escape(link.url)}">${escape(link.label)}</a></p>`]),
  ].join('\n')
}

/** What the provider's team is asked to do: the mail's subject, its opening line and the task, by what the change asks. */
const requestOf = (change: Existing, facts: Facts) => {
  switch (change.change.kind) {
    case 'change': return {
      subject: `Provisioning request: ${facts.product} to ${facts.newQuantity} seats`,
      opening: `Please set the quantity of this subscription at ${facts.provider} to ${facts.newQuantity}.`,
      task: `Set the quantity at ${facts.provider} to ${facts.newQuantity}`,
    }
    case 'cancellation': return {
      subject: `Cancellation request: ${facts.product} (${facts.previousQuantity} seats)`,
      opening: `Please cancel this subscription at ${facts.provider}: the reseller cancelled it.`,
      task: `Cancel the subscription at ${facts.provider}`,
    }
    case 'reactivation': return {
      subject: `Reactivation request: ${facts.product} at ${facts.newQuantity} seats`,
      opening: `Please reactivate this subscription at ${facts.provider} with quantity ${facts.newQuantity} (it had ${facts.previousQuantity} when it was suspended).`,
      task: `Reactivate the subscription at ${facts.provider} with quantity ${facts.newQuantity}`,
    }
  }
}

/** A link's lines in a text body: none without a link. */
const linkLines = (link: MailLink | null): ReadonlyArray<string> => (link === null ? [] : ['', `${link.label}:`, `  ${link.url}`])

/**
 * The email that asks a Manual provider's team to provision a change: a new quantity, a cancellation or a reactivation.
 * With `links.confirm` it carries the "I have made this change" link for its recipient.
 */
export const provisioningRequestMail = (change: Existing, links: MailLinks = noMailLinks): Mail => {
  const facts = factsOf(change)
  const provider = change.change.provider
  const request = requestOf(change, facts)
  const action = ['When it is done, mark the License Change provisioned:', `  seatflow provision --change ${change.licenseChangeId} --by <your name>`]
  const to = mailboxes(provider.kind === 'Manual' ? [provider.provisioningEmail] : [])
  const recipient = to[0]
  const link = links.confirm === undefined || recipient === undefined ? null
    : { label: 'I have made this change', url: links.confirm(change.licenseChangeId, recipient) }
  return {
    id: mailIdFor(`provisioning-request:${change.licenseChangeId}`),
    to,
    cc: mailboxes(provider.kind === 'Manual' ? provider.copiedEmails : [], to),
    subject: oneLine(request.subject),
    text: [request.opening, '', summary(facts), '', ...action, ...linkLines(link)].join('\n'),
    html: html(facts, request.opening, [`${request.task}, then mark the License Change provisioned:`, action[1]?.trim() ?? ''], link),
  }
}

/** The reminder to the billing contract's owner that a change still waits for provisioning; with `links.page` it links to the change's page. */
export const reminderMail = (change: Existing, sequence: number, links: MailLinks = noMailLinks): Mail => {
  const facts = factsOf(change)
  const opening = oneLine(`This change was sent to ${facts.provider} (${facts.provisioningEmail ?? 'no address'}) at ${change.requestedAt ?? change.recordedAt ?? 'an unknown time'} and is not provisioned yet.`)
  const action = 'Please follow up with the provider, then mark the License Change provisioned.'
  const link = links.page === undefined ? null : { label: 'The License Change in the console', url: links.page(change.licenseChangeId) }
  return {
    id: mailIdFor(`provisioning-reminder:${change.licenseChangeId}:${sequence}`),
    to: mailboxes([change.change.contractOwnerEmail]),
    cc: [],
    subject: oneLine(`Reminder ${sequence}: ${facts.product} still awaits provisioning (${facts.newQuantity} seats)`),
    text: [opening, '', summary(facts), '', action, ...linkLines(link)].join('\n'),
    html: html(facts, opening, [action], link),
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

/** What the reminder policy looks at: a License Change Log row has it, and so has a License Change (`reminderFactsOf`). */
export interface ReminderFacts {
  readonly licenseChangeId: string
  readonly subscriptionId: string
  readonly product: string
  readonly contractOwnerEmail: string
  readonly providerKind: string
  readonly status: string
  /** When its request or last reminder went out (null: the request has not). */
  readonly lastNotifiedAt: string | null
  readonly remindersSent: number
}

/** A License Change as the reminder policy sees it. */
export const reminderFactsOf = (change: Existing): ReminderFacts => ({
  licenseChangeId: change.licenseChangeId, subscriptionId: change.change.subscriptionId, product: change.change.product,
  contractOwnerEmail: change.change.contractOwnerEmail, providerKind: change.providerKind, status: change.status,
  lastNotifiedAt: change.lastNotifiedAt, remindersSent: change.remindersSent,
})

/**
 * The reminder policy: a Manual change awaiting provisioning whose request went out reminds
 * its contract owner once every interval, counted from the stored time of the last request or
 * reminder. However late the check, one reminder is due at a time.
 */
export const reminderDue = (facts: ReminderFacts, now: Date, intervalHours: number): DueReminder | null => {
  if (facts.providerKind !== 'Manual' || facts.status !== 'Awaiting Provisioning' || facts.lastNotifiedAt === null) return null
  const dueAt = Date.parse(facts.lastNotifiedAt) + intervalHours * hour
  if (dueAt > now.getTime()) return null
  return {
    licenseChangeId: facts.licenseChangeId, subscriptionId: facts.subscriptionId, product: facts.product,
    to: facts.contractOwnerEmail, sequence: facts.remindersSent + 1, dueAt: new Date(dueAt).toISOString(),
  }
}
