import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cli } from '../support/cli'
import { LoopbackSmtp, startSmtp } from '../support/providers/smtpServer'


describe('SEATFLOW_SMTP_URL switches the CLI from .eml files to SMTP', () => {
  let smtp: LoopbackSmtp
  let folder: string
  beforeEach(async () => {
    smtp = await startSmtp()
    folder = mkdtempSync(join(tmpdir(), 'seatflow-cli-smtp-'))
  })
  afterEach(async () => {
    delete process.env.SEATFLOW_SMTP_URL
    await smtp.close()
    rmSync(folder, { recursive: true, force: true })
  })

  it('the demo sends its mails to the SMTP server and writes no mail folder; reminders --send goes there too', async () => {
    process.env.SEATFLOW_SMTP_URL = smtp.url
    const db = join(folder, 'demo.db')
    const demo = await cli('demo', '--db', db)
    expect(demo.code).toBe(0)
    expect(demo.out).toContain(`Emails sent (8, sent through ${smtp.url})`)
    expect(existsSync(`${db}-mail`)).toBe(false)
    const received = smtp.received()
    expect(received).toHaveLength(8)
    expect(received.filter((mail) => mail.subject.startsWith('Provisioning request: ')).every((mail) => mail.html.includes('What to do:'))).toBe(true)
    expect(received.find((mail) => mail.subject === 'Reminder: 2 License Changes await provisioning')?.to).toEqual(['it-admin@fabrikam.example'])

    const reminders = await cli('reminders', '--db', db, '--now', '2026-01-20T09:00:00Z', '--send')
    expect(reminders).toMatchObject({ code: 0, out: 'sent 4 reminder(s)' })
    expect(smtp.received()).toHaveLength(12)
  })

  it('an SMTP URL that is not one is a one-line error', async () => {
    process.env.SEATFLOW_SMTP_URL = 'mail.example:25'
    const result = await cli('demo', '--db', join(folder, 'x.db'))
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/^seatflow: the SMTP URL "mail.example:25" (must start with smtp:\/\/|is not a URL)/)
  })
})
