import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { AddressObject, simpleParser } from 'mailparser'
import { HeaderText } from '../../src/domain/text'
import { Email } from '../../src/domain/values'
import { evolveLicenseChange, initialLicenseChangeState } from '../../src/domain/licenseChange'
import { createFileMailer, Mail } from '../../src/providers/mail'
import { provisioningRequestMail, reminderMail } from '../../src/providers/manual'
import { createSmtpMailer } from '../../src/providers/smtp'
import { aMail } from '../support/mail'
import { ids, licenseChangeRecorded, recorded, snapshot, text } from '../support/given'

const at = new Date('2026-01-05T09:00:00.000Z')
let folder = ''
beforeEach(() => { folder = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-mail-')) })
afterEach(() => fs.rmSync(folder, { recursive: true, force: true }))

/** The .eml the file mailer writes for `mail`, as bytes read back. */
const written = async (mail: Mail): Promise<string> => {
  await createFileMailer(folder, 'seatflow@reseller.example', () => at).send(mail)
  return fs.readFileSync(path.join(folder, `${mail.id}.eml`), 'utf8')
}
const headOf = (eml: string): ReadonlyArray<string> => (eml.split('\r\n\r\n')[0] ?? '').split('\r\n')
const addressesOf = (field: AddressObject | ReadonlyArray<AddressObject> | undefined): ReadonlyArray<string> =>
  (field === undefined ? [] : Array.isArray(field) ? field : [field]).flatMap((one: AddressObject) => one.value.map((a) => a.address ?? ''))
const longestLine = (eml: string): number => Math.max(...eml.split('\r\n').map((line) => Buffer.byteLength(line)))
const list = (n: number): ReadonlyArray<string> => Array.from({ length: n }, (_, i) => `copied.address.${i}@reseller.example`)

describe('the file mailer writes RFC 5322', () => {
  test('Message-ID, Date, From, To, Cc, Subject, MIME-Version and a UTF-8 text body, each line ended by CRLF', async () => {
    const mail = aMail({ cc: ['ops@reseller.example'], text: 'Please set Visio to 7.\nThank you, Zoë.' })
    const eml = await written(mail)
    expect(headOf(eml)).toStrictEqual([
      `Message-ID: <${mail.id}@seatflow>`, 'Date: Mon, 05 Jan 2026 09:00:00 +0000', 'From: seatflow@reseller.example',
      'To: team@distributor.example', 'Cc: ops@reseller.example', 'Subject: Provisioning request: Visio to 7 seats',
      'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable',
    ])
    expect(eml.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
    const parsed = await simpleParser(eml)
    expect([parsed.messageId, parsed.date?.toISOString(), parsed.subject, parsed.text?.trimEnd()])
      .toStrictEqual([`<${mail.id}@seatflow>`, at.toISOString(), mail.subject, 'Please set Visio to 7.\nThank you, Zoë.'])
    expect([addressesOf(parsed.to), addressesOf(parsed.cc)]).toStrictEqual([['team@distributor.example'], ['ops@reseller.example']])
  })

  test('a non-ASCII subject is RFC 2047 encoded-words of whole characters, and reads back intact', async () => {
    const subject = `Provisioning request: ${'Zoë 👩‍💻 微软 '.repeat(20)}to 7 seats`
    const eml = await written(aMail({ subject }))
    const lines = headOf(eml)
    const start = lines.findIndex((line) => line.startsWith('Subject:'))
    expect(lines[start]).toMatch(/^Subject: =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/)
    expect(lines.slice(start).every((line) => /^[\x20-\x7e]*$/.test(line))).toBe(true)
    expect(longestLine(eml)).toBeLessThanOrEqual(78)
    expect((await simpleParser(eml)).subject).toBe(subject)
  })

  test('a long ASCII subject is folded before a space within 78 characters, and unfolds to itself', async () => {
    const subject = `Provisioning request: ${'Microsoft 365 E5 (no Teams)  '.repeat(12)}to 7 seats`
    const eml = await written(aMail({ subject }))
    expect(headOf(eml).filter((line) => line.startsWith(' ')).length).toBeGreaterThan(3)
    expect(longestLine(eml)).toBeLessThanOrEqual(78)
    expect((await simpleParser(eml)).subject).toBe(subject)
  })

  test('an ASCII word too long for a line, or text that looks like an encoded-word, is encoded so it reads back as it is', async () => {
    for (const subject of [`Provisioning request: ${'X'.repeat(600)} to 7 seats`, 'Provisioning request: =?UTF-8?B?ZXZpbA==?= to 7 seats']) {
      const eml = await written(aMail({ subject }))
      expect(longestLine(eml)).toBeLessThanOrEqual(78)
      expect((await simpleParser(eml)).subject).toBe(subject)
    }
  })

  test('50 copied addresses fold into Cc lines of at most 78 characters; 1,000 stored before the limit still fit within 998', async () => {
    for (const cc of [list(50), list(1000)]) {
      const eml = await written(aMail({ cc }))
      expect(longestLine(eml)).toBeLessThanOrEqual(78)
      expect(addressesOf((await simpleParser(eml)).cc)).toStrictEqual(cc)
    }
  })

  test('a long body line is soft-broken (quoted-printable) and reads back as it was', async () => {
    const body = `${'Zoë 👩‍💻 = 3 '.repeat(400)}\n\nend  `
    const eml = await written(aMail({ text: body }))
    expect(longestLine(eml)).toBeLessThanOrEqual(78)
    expect((await simpleParser(eml)).text).toBe(`${body}\n`)
  })
})

describe('the file mailer holds the line for hosts that bypass the types', () => {
  test('a subject with CR/LF from a JavaScript host still makes no header of its own', async () => {
    const mail = { ...aMail(), subject: 'Visio\r\nBcc: evil@x.example' as HeaderText }
    const eml = await written(mail)
    expect(headOf(eml).filter((line) => /^bcc:/i.test(line))).toStrictEqual([])
    expect((await simpleParser(eml)).subject).toBe('Visio  Bcc: evil@x.example')
  })

  test('an address that is not an email, or an id that is not a uuid, is refused and nothing is written', async () => {
    const mailer = createFileMailer(folder)
    await expect(mailer.send({ ...aMail(), to: ['a@x.example\r\nBcc: evil@x.example' as Email] })).rejects.toThrow('is not an email address; the mail is refused')
    await expect(mailer.send({ ...aMail(), id: '../escape' as Mail['id'] })).rejects.toThrow('has no uuid id; the mail is refused')
    expect(fs.readdirSync(folder)).toStrictEqual([])
  })

  test('a sender with a line break is refused when the mailer is made, by the file and the SMTP mailer', () => {
    expect(() => createFileMailer(folder, 'seatflow@x.example\r\nBcc: evil@x.example')).toThrow('the sender "seatflow@x.example\\u000d\\u000aBcc: evil@x.example" must be one address')
    expect(() => createSmtpMailer('smtp://127.0.0.1:2525', { from: 'seatflow@x.example\nBcc: evil@x.example' })).toThrow('must be one address')
  })
})

describe('mails made from text stored before control characters were refused', () => {
  const id = ids.licenseChange('lc-1')
  const storedRow = () => {
    const event = licenseChangeRecorded({
      product: text('Widget\r\nBcc: evil@x.example'), billingContractId: text('BC\u001b[2J-1'),
      provider: { ...snapshot.manual(['ops@reseller.example', 'OPS@reseller.example', 'provisioning@distributor.example']), name: text('Dist\u202eributor') },
    })
    const change = evolveLicenseChange(initialLicenseChangeState, recorded(event, { position: 1 }) as Parameters<typeof evolveLicenseChange>[1])
    if (change.status === 'None' || change.licenseChangeId !== id) throw new Error('no License Change')
    return change
  }

  test('the subject and the body facts keep to one line each', () => {
    const request = provisioningRequestMail(storedRow())
    expect(request.subject).toBe('Provisioning request: Widget  Bcc: evil@x.example to 12 seats')
    expect(request.text.split('\n')).toContain('Product:           Widget  Bcc: evil@x.example')
    expect(request.text.split('\n')).toContain('Billing contract:  BC [2J-1')
    expect(request.text).toContain('at Dist ributor to 12.')
    expect(reminderMail(storedRow(), 1).subject).toBe('Reminder 1: Widget  Bcc: evil@x.example still awaits provisioning (12 seats)')
  })

  test('each address goes once, compared without regard to case; the provisioning team is not copied on its own mail', () => {
    const request = provisioningRequestMail(storedRow())
    expect([request.to, request.cc]).toStrictEqual([['provisioning@distributor.example'], ['ops@reseller.example']])
  })
})
