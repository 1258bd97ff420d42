import { Existing } from '../domain/licenseChange'
import { headerText } from '../domain/text'
import { Email } from '../domain/values'
import { Mail, mailIdFor } from './mail'
import { MailLinks, noMailLinks } from './mailLinks'
import { escape, factsOf, mailboxes } from './manual'

/** One change a digest reminds of, with the number of its reminder. */
export interface DigestMember {
  readonly change: Existing
  readonly sequence: number
}

const line = (member: DigestMember): string => {
  const facts = factsOf(member.change)
  const asked = member.change.change.kind === 'cancellation' ? 'cancellation' : `${facts.previousQuantity} -> ${facts.newQuantity}`
  const since = member.change.requestedAt ?? member.change.recordedAt ?? 'an unknown time'
  return `${facts.product} (${asked}) at ${facts.provider}, sent to ${facts.provisioningEmail ?? 'no address'} at ${since}; reminder ${member.sequence}; License Change ${member.change.licenseChangeId}`
}

/**
 * One reminder for every change that awaits a contract owner at one due time: the mail lists
 * each change (product, what it asks, provider, since when, its reminder number). Its id comes
 * from the owner and the changes with their reminder numbers, so the same digest has the same id.
 * With `links.page` each change links to its page in the console.
 */
export const reminderDigestMail = (owner: Email, members: ReadonlyArray<DigestMember>, links: MailLinks = noMailLinks): Mail => {
  const sorted = [...members].sort((a, b) => a.change.licenseChangeId.localeCompare(b.change.licenseChangeId))
  const key = sorted.map((member) => `${member.change.licenseChangeId}:${member.sequence}`).join(',')
  const lines = sorted.map(line)
  const pageOf = (member: DigestMember | undefined): string | null =>
    (links.page === undefined || member === undefined ? null : links.page(member.change.licenseChangeId))
  const opening = `${sorted.length} License Changes were sent to their providers and are not provisioned yet:`
  const action = 'Please follow up with each provider, then mark each License Change provisioned.'
  return {
    id: mailIdFor(`provisioning-reminder-digest:${owner.toLowerCase()}:${key}`),
    to: mailboxes([owner]),
    cc: [],
    subject: headerText(`Reminder: ${sorted.length} License Changes await provisioning`),
    text: [opening, '', ...lines.flatMap((text, at) => {
      const page = pageOf(sorted[at])
      return [`- ${headerText(text)}`, ...(page === null ? [] : [`  ${page}`])]
    }), '', action].join('\n'),
    html: [`<p>${escape(opening)}</p>`, '<ul>', ...lines.map((text, at) => {
      const page = pageOf(sorted[at])
      return `  <li>${escape(headerText(text))}${page === null ? '' : ` <a href="${escape(page)}">in the console</a>`}</li>`
    }), '</ul>', `<p>${escape(action)}</p>`].join('\n'),
  }
}
