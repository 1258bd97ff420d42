import * as fc from 'fast-check'
import * as E from 'fp-ts/Either'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { defaultProviderIds } from '../../src/domain/ids'
import { Mail } from '../../src/providers/mail'
import { createSmtpMailer } from '../../src/providers/smtp'
import { Harness, leftOf, right, storageOf, subscription, useSeatflows } from '../support/app'
import { LoopbackSmtp, startSmtp } from '../support/providers/smtpServer'
import { acceptable, holdsForbidden, hostileAddress, hostileRuns, hostileText } from './arbitraries'
import { expectEmlFaithful, expectHeaderSafe, expectLogOutputsSafe, expectSmtpFaithful } from './outputs'
import { storeOldSubscription } from './support'

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

/** A stored-event name: what the stored codec takes (trimmed, non-empty, at most 500 UTF-16 units). */
const storable = (text: string): boolean => text.trim() !== '' && text.trim() === text && text.length <= 500

describe('hostile text into every mail output: memory mailer, .eml files, SMTP (SEATFLOW_HOSTILE_RUNS runs)', () => {
  // A long hunt (SEATFLOW_HOSTILE_RUNS=300) gets the time it needs: about half a second a run at most.
  jest.setTimeout(Math.max(30_000, hostileRuns() * 500))
  const seatflows = useSeatflows('memory')
  let smtp: LoopbackSmtp
  let smtpMailer: ReturnType<typeof createSmtpMailer>
  let folder = ''
  beforeAll(async () => {
    smtp = await startSmtp()
    smtpMailer = createSmtpMailer(smtp.url, { timeoutMs: 5000 })
  })
  afterAll(async () => {
    smtpMailer.close()
    await smtp.close()
  })
  beforeEach(() => { folder = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-hostile-')) })
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }))

  const lastMail = (harness: Harness): Mail => {
    const mail = harness.mailer.sent().at(-1)
    if (mail === undefined) throw new Error('no mail was sent')
    return mail
  }

  /** Every output of a mail: header-safe in the headers, faithful in the .eml and through SMTP. */
  const expectEveryMailOutput = async (mail: Mail): Promise<void> => {
    expectHeaderSafe(mail)
    await expectEmlFaithful(mail, folder)
    await expectSmtpFaithful(mail, smtpMailer, smtp)
  }

  test('provider name, product, billing contract and copied addresses: refused text sends nothing; accepted text is intact in the bodies and header-safe in the headers', async () => {
    const harness = await seatflows.start()
    const texts = fc.record({ provider: hostileText, product: hostileText, contract: hostileText, copied: fc.array(hostileAddress, { maxLength: 8 }) })
    await fc.assert(fc.asyncProperty(texts, async ({ provider, product, contract, copied }) => {
      const mailsBefore = harness.mailer.sent().length
      await harness.app.setCopiedEmailAddresses({ addresses: copied })
      const registered = await harness.app.registerProvider({ name: provider, kind: 'Manual', provisioningEmail: 'orders@distributor.example' })
      const providerId = E.isRight(registered) ? registered.right.providerId : defaultProviderIds.manual
      const before = await storageOf(harness.app).events.lastPosition()
      const created = await harness.app.createSubscription({ ...subscription(product, providerId, 3), billingContractId: contract })
      if (!acceptable('name', product) || !acceptable('name', contract)) {
        expect(leftOf(created)._tag).toBe('InvalidCommand')
        expect(await storageOf(harness.app).events.lastPosition()).toBe(before)
        expect(harness.mailer.sent()).toHaveLength(mailsBefore)
        return
      }
      right(created)
      const mail = lastMail(harness)
      const shownProvider = E.isRight(registered) ? provider : 'Manual Provider'
      for (const text of [product, contract, shownProvider]) {
        expect(mail.text).toContain(text)
        expect(mail.html).toContain(escapeHtml(text))
      }
      expect(mail.subject).toBe(`Provisioning request: ${product} to 3 seats`)
      await expectEveryMailOutput(mail)
    }), {
      numRuns: hostileRuns(),
      // Found on a seed: an encoded-word look-alike in the subject reached the SMTP reader decoded.
      examples: [[{ provider: 'a\ra', product: '=?UTF-8?B?ZXZpbA==?= a', contract: 'a', copied: [] }]],
    })
  })

  test('text stored before the checks (any control character) still makes header-safe mail and safe CLI output', async () => {
    const harness = await seatflows.start()
    await fc.assert(fc.asyncProperty(hostileText.filter(storable), hostileText.filter(storable), async (product, contract) => {
      const subscriptionId = await storeOldSubscription(harness.app, { product, billingContractId: contract })
      right(await harness.app.changeQuantity({ subscriptionId, quantity: 2 }))
      const mail = lastMail(harness)
      expect(mail.text.split('\n').some(holdsForbidden)).toBe(false)
      await expectEveryMailOutput(mail)
      const rows = (await harness.app.licenseChangeLog()).filter((row) => row.subscriptionId === subscriptionId)
      expect(rows.map((row) => [row.product, row.billingContractId])).toStrictEqual([[product, contract]])
      expectLogOutputsSafe(rows)
    }), {
      numRuns: hostileRuns(),
      // Found on seeds: a CSV cell starting with an apostrophe, and an encoded-word look-alike in the subject.
      examples: [["'=?UTF-8?B?ZXZpbA==?=a", 'a\ra'], ['=?UTF-8?B?ZXZpbA==?= a', 'a']],
    })
  })
})
