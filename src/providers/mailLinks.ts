/**
 * Links a Manual mail may carry. A service with a public URL makes them (the library never
 * signs or stores anything for them): the mail builders only place what these answer.
 */
export interface MailLinks {
  /** The "I have made this change" link of a provisioning request, bound to the change and to the recipient. */
  readonly confirm?: (licenseChangeId: string, recipient: string) => string
  /** The page of a License Change (the reminder links to it). */
  readonly page?: (licenseChangeId: string) => string
}

/** No links: the mails as they are without a service. */
export const noMailLinks: MailLinks = {}

/** Whether a value can serve as mail links: an object whose given members are functions. */
export const isMailLinks = (value: unknown): value is MailLinks =>
  typeof value === 'object' && value !== null
  && ['confirm', 'page'].every((key) => {
    const member = (value as Readonly<Record<string, unknown>>)[key]
    return member === undefined || typeof member === 'function'
  })

/** A link with the words that lead to it, placed in a mail's text and HTML bodies. */
export interface MailLink {
  readonly label: string
  readonly url: string
}
