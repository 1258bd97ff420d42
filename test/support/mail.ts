import { headerText } from '../../src/domain/text'
import { Mail, mailIdFor } from '../../src/providers/mail'
import { email } from './given'

/** What a test mail says; the rest has defaults. */
export interface MailFields {
  readonly about?: string
  readonly to?: ReadonlyArray<string>
  readonly cc?: ReadonlyArray<string>
  readonly subject?: string
  readonly text?: string
  readonly html?: string
}

/** A mail built the way seatflow builds one: a derived id, validated addresses, a header-safe subject. */
export const aMail = (fields: MailFields = {}): Mail => ({
  id: mailIdFor(fields.about ?? 'test-mail'),
  to: (fields.to ?? ['team@distributor.example']).map(email),
  cc: (fields.cc ?? []).map(email),
  subject: headerText(fields.subject ?? 'Provisioning request: Visio to 7 seats'),
  text: fields.text ?? 'Please set Visio to 7.',
  ...(fields.html === undefined ? {} : { html: fields.html }),
})
