import { defaultProviderIds } from '../../src/domain/ids'
import { HeaderText } from '../../src/domain/text'
import { createSmtpMailer } from '../../src/providers/smtp'
import { countOf, right, subscription, useSeatflows } from '../support/app'
import { aMail } from '../support/mail'
import { LoopbackSmtp, startSmtp } from '../support/providers/smtpServer'

describe('the SMTP mailer against a real SMTP server on loopback', () => {
  let smtp: LoopbackSmtp
  const mailers: Array<{ close: () => void }> = []
  const mailer = (url = smtp.url) => {
    const created = createSmtpMailer(url, { from: 'seatflow@reseller.example', timeoutMs: 2000 })
    mailers.push(created)
    return created
  }
  beforeEach(async () => { smtp = await startSmtp() })
  afterEach(async () => {
    mailers.splice(0).forEach((one) => one.close())
    await smtp.close()
  })
  const seatflows = useSeatflows('sqlite')

  it('sends recipients, copies, subject, Message-ID and both bodies', async () => {
    const sent = aMail({
      to: ['team@distributor.example'], cc: ['ops@reseller.example', 'finance@reseller.example'],
      subject: 'Provisioning request: Visio to 7 seats', text: 'Please set Visio to 7.', html: '<p>Please set <b>Visio</b> to 7.</p>',
    })
    await mailer().send(sent)
    expect(smtp.received()).toEqual([{
      envelopeTo: ['team@distributor.example', 'ops@reseller.example', 'finance@reseller.example'],
      to: ['team@distributor.example'], cc: ['ops@reseller.example', 'finance@reseller.example'], from: 'seatflow@reseller.example',
      subject: 'Provisioning request: Visio to 7 seats', messageId: `<${sent.id}@seatflow>`,
      text: 'Please set Visio to 7.', html: '<p>Please set <b>Visio</b> to 7.</p>',
    }])
  })

  it('a seatflow on SMTP mails the Manual provider\'s request and the owner\'s reminder, naming what the reader must do', async () => {
    const { app, clock } = await seatflows.start({ mailer: mailer() })
    right(await app.setCopiedEmailAddresses({ addresses: ['ops@reseller.example'] }))
    const visio = right(await app.createSubscription(subscription('Visio Plan 2', defaultProviderIds.manual, 5)))
    const change = right(await app.changeQuantity({ subscriptionId: visio.subscriptionId, quantity: 7 }))
    const request = smtp.received().find((mail) => mail.subject === 'Provisioning request: Visio Plan 2 to 7 seats')
    expect(request).toMatchObject({ to: ['provisioning@example.com'], cc: ['ops@reseller.example'] })
    for (const fact of [visio.subscriptionId, 'Visio Plan 2', 'Manual Provider', '5 -> 7 (+2)', `seatflow provision --change ${change.licenseChangeId}`]) expect(request?.text).toContain(fact)
    for (const fact of ['<td>5</td>', '<td>7</td>', '<td>Manual Provider</td>', 'What to do:']) expect(request?.html).toContain(fact)

    clock.advanceHours(24)
    const reminders = await app.sendDueReminders()
    expect(reminders.failed).toEqual([])
    expect(smtp.received().filter((mail) => mail.subject === 'Reminder 1: Visio Plan 2 still awaits provisioning (7 seats)').map((mail) => [mail.to, mail.cc])).toEqual([[['owner@customer.example'], []]])
  })

  it('a mail the server refuses is not recorded as sent and goes out on a later run', async () => {
    const { app } = await seatflows.start({ mailer: mailer() })
    smtp.refuseNext(1000)
    right(await app.createSubscription(subscription('Visio Plan 2', defaultProviderIds.manual, 5)))
    expect((await app.process()).mailFailures).toEqual([expect.objectContaining({ subject: 'Provisioning request: Visio Plan 2 to 5 seats', reason: expect.stringContaining('451') })])
    expect(smtp.received()).toHaveLength(0)
    expect(await countOf(app, 'ProvisioningRequested')).toBe(0)
    smtp.refuseNext(0)
    const report = await app.process()
    expect(report.mailFailures).toEqual([])
    expect(report.requestsSent).toBe(1)
    expect(smtp.received()).toHaveLength(1)
    expect(await countOf(app, 'ProvisioningRequested')).toBe(1)
  })

  it('a subject with CR/LF from a JavaScript host goes out on one line and adds no recipient', async () => {
    await mailer().send({ ...aMail({ to: ['team@distributor.example'] }), subject: 'Visio\r\nBcc: evil@x.example' as HeaderText })
    expect(smtp.received().map((mail) => [mail.subject, mail.envelopeTo])).toEqual([['Visio  Bcc: evil@x.example', ['team@distributor.example']]])
  })

  it('rejects when no server answers, and refuses a URL that is not SMTP', async () => {
    const closed = await startSmtp()
    await closed.close()
    await expect(mailer(closed.url).send(aMail({ to: ['a@b.example'], subject: 's', text: 't' }))).rejects.toThrow(/ECONNREFUSED|connect/)
    expect(() => createSmtpMailer('http://127.0.0.1:25')).toThrow('the SMTP URL "http://127.0.0.1:25" must start with smtp:// or smtps:// and name a host (e.g. smtp://127.0.0.1:2525)')
    expect(() => createSmtpMailer('127.0.0.1:2525')).toThrow(/must start with smtp:\/\/|is not a URL/)
  })
})
