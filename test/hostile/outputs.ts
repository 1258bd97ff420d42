import * as fs from 'node:fs'
import * as path from 'node:path'
import { AddressObject, simpleParser } from 'mailparser'
import { json } from '../../src/cli/io'
import { logColumns, logRenderer } from '../../src/cli/log'
import { isHeaderText } from '../../src/domain/text'
import { Email } from '../../src/domain/values'
import { LicenseChangeRow } from '../../src/projections/licenseChangeLog'
import { createFileMailer, Mail, Mailer } from '../../src/providers/mail'
import { LoopbackSmtp } from '../support/providers/smtpServer'
import { holdsForbidden } from './arbitraries'

/** The records of RFC 4180 CSV, each a list of fields. */
export const parseCsv = (text: string): ReadonlyArray<ReadonlyArray<string>> => {
  const records: string[][] = []
  let fields: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i += 1) {
    const character = text[i] ?? ''
    if (quoted && character === '"' && text[i + 1] === '"') { field += '"'; i += 1 }
    else if (character === '"') quoted = !quoted
    else if (!quoted && character === ',') { fields.push(field); field = '' }
    else if (!quoted && character === '\r' && text[i + 1] === '\n') { fields.push(field); records.push(fields); fields = []; field = ''; i += 1 }
    else field += character
  }
  return records
}

const formulaStart = /^[=+\-@\t\r]/

/** A CSV cell read back: the `'` that neutralised a formula (or a text starting with `'`) taken off. */
const unneutralised = (cell: string): string => (cell.startsWith("'") ? cell.slice(1) : cell)

const cellOf = (value: unknown): string =>
  value === null ? '' : Array.isArray(value) ? value.join(', ') : String(value)

/**
 * The License Change Log in every CLI format: JSON parses back to the very rows, no CSV text cell
 * starts a formula and each reads back as its value, the table holds no control character raw.
 */
export const expectLogOutputsSafe = (rows: ReadonlyArray<LicenseChangeRow>): void => {
  expect(JSON.parse(logRenderer({ format: 'json' })(rows))).toStrictEqual(JSON.parse(json(rows)))
  expect(JSON.parse(json(rows))).toStrictEqual(rows.map((row) => JSON.parse(JSON.stringify(row))))
  const [header, ...records] = parseCsv(logRenderer({ format: 'csv' })(rows))
  expect(header).toStrictEqual(logColumns)
  records.forEach((record, index) => logColumns.forEach((column, at) => {
    const value = rows[index]?.[column]
    const cell = record[at] ?? ''
    if (typeof value !== 'number') expect(formulaStart.test(cell)).toBe(false)
    expect(unneutralised(cell)).toBe(cellOf(value))
  }))
  const table = logRenderer({})(rows)
  expect(table.split('\n').some(holdsForbidden)).toBe(false)
}

/** Every header-bound field of a mail is header-safe by value, not only by type. */
export const expectHeaderSafe = (mail: Mail): void => {
  expect(isHeaderText(mail.subject)).toBe(true)
  for (const address of [...mail.to, ...mail.cc]) expect(Email.is(address) && !holdsForbidden(address)).toBe(true)
}

const addressesOf = (field: AddressObject | ReadonlyArray<AddressObject> | undefined): ReadonlyArray<string> =>
  (field === undefined ? [] : Array.isArray(field) ? field : [field]).flatMap((one: AddressObject) => one.value.map((a) => a.address ?? ''))

/**
 * The mail as the file mailer writes it: ASCII lines of at most 78 characters ended by CRLF, one
 * Subject and no Bcc header, and a parser reads back the subject, the recipients and the body.
 */
export const expectEmlFaithful = async (mail: Mail, folder: string): Promise<void> => {
  await createFileMailer(folder).send(mail)
  const eml = fs.readFileSync(path.join(folder, `${mail.id}.eml`), 'utf8')
  const lines = eml.split('\r\n')
  expect(lines.every((line) => line.length <= 78 && /^[\x20-\x7e]*$/.test(line))).toBe(true)
  const head = lines.slice(0, lines.indexOf(''))
  expect(head.filter((line) => /^subject:/i.test(line))).toHaveLength(1)
  expect(head.filter((line) => /^bcc:/i.test(line))).toHaveLength(0)
  const parsed = await simpleParser(eml)
  expect([parsed.subject, addressesOf(parsed.to), addressesOf(parsed.cc), parsed.text]).toStrictEqual([mail.subject, mail.to, mail.cc, `${mail.text}\n`])
}

/** The mail through the SMTP mailer: the loopback server receives its subject, recipients and both bodies intact. */
export const expectSmtpFaithful = async (mail: Mail, mailer: Mailer, smtp: LoopbackSmtp): Promise<void> => {
  await mailer.send(mail)
  const received = smtp.received().find((one) => one.messageId === `<${mail.id}@seatflow>`)
  const lower = (addresses: ReadonlyArray<string> | undefined) => addresses?.map((address) => address.toLowerCase())
  // nodemailer writes a domain in lower case (domains compare without regard to case).
  expect([received?.subject, lower(received?.to), lower(received?.cc)]).toStrictEqual([mail.subject, lower(mail.to), lower(mail.cc)])
  expect(received?.text.trimEnd()).toBe(mail.text.trimEnd())
  expect(received?.html.trimEnd()).toBe((mail.html ?? '').trimEnd())
}
