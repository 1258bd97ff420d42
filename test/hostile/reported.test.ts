import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { simpleParser } from 'mailparser'
import { defaultProviderIds } from '../../src/domain/ids'
import { createFileMailer } from '../../src/providers/mail'
import { allEvents, leftOf, right, subscription, useSeatflows } from '../support/app'
import { storeOldSubscription } from './support'

/** The findings of issue 9, each as the user reported it. */
describe('what a user found (issue 9)', () => {
  const seatflows = useSeatflows('memory')
  let folder = ''
  beforeEach(() => { folder = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-eml-')) })
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }))

  const emlFiles = (): ReadonlyArray<string> =>
    fs.readdirSync(folder).filter((name) => name.endsWith('.eml')).map((name) => fs.readFileSync(path.join(folder, name), 'utf8'))

  test('a product with CR/LF is refused, naming the field and the character, and nothing is written', async () => {
    const { app } = await seatflows.start({ mailer: createFileMailer(folder) })
    const before = (await allEvents(app)).length
    const refused = leftOf(await app.createSubscription(subscription('Widget\r\nBcc: evil@x.example', defaultProviderIds.manual, 1)))
    expect(refused).toStrictEqual({ _tag: 'InvalidCommand', command: 'CreateSubscription', problems: ['product: must not contain control characters (U+000D at 7)'] })
    expect((await allEvents(app)).length).toBe(before)
    expect(emlFiles()).toStrictEqual([])
  })

  test('a product with CR/LF stored before the fix never makes a header line of its own in the .eml', async () => {
    const { app, mailer } = await seatflows.start()
    const fileMailer = createFileMailer(folder)
    const subscriptionId = await storeOldSubscription(app, { product: 'Widget\r\nBcc: evil@x.example\r\nSubject: x' })
    right(await app.changeQuantity({ subscriptionId, quantity: 1 }))
    const [mail] = mailer.sent()
    expect(mail?.subject).toBe('Provisioning request: Widget  Bcc: evil@x.example  Subject: x to 1 seats')
    if (mail !== undefined) await fileMailer.send(mail)
    const [eml] = emlFiles()
    const head = (eml ?? '').split('\r\n\r\n')[0] ?? ''
    expect(head.split('\r\n').filter((line) => /^(bcc|subject):/i.test(line))).toStrictEqual([expect.stringMatching(/^Subject: /)])
    const parsed = await simpleParser(eml ?? '')
    expect(parsed.bcc).toBeUndefined()
    expect(parsed.subject).toBe('Provisioning request: Widget  Bcc: evil@x.example  Subject: x to 1 seats')
  })

  test('an id in upper case is the same id: a second subscription with it is refused', async () => {
    const { app } = await seatflows.start()
    const id = '3f2b6c1e-8a4d-4e5f-9b7c-1d2e3f4a5b6c'
    right(await app.createSubscription({ ...subscription('Visio', defaultProviderIds.doNothing, 1), subscriptionId: id }))
    const again = leftOf(await app.createSubscription({ ...subscription('Visio', defaultProviderIds.doNothing, 1), subscriptionId: id.toUpperCase() }))
    expect(again).toStrictEqual({ _tag: 'SubscriptionAlreadyExists', subscriptionId: id })
    expect((await app.subscriptions()).filter((row) => row.subscriptionId.toLowerCase() === id)).toHaveLength(1)
  })

  test('a command finds a License Change by its id in any case, and every id stays lower case', async () => {
    const { app } = await seatflows.start()
    const { licenseChangeId } = right(await app.createSubscription(subscription('Visio', defaultProviderIds.manual, 2)))
    right(await app.markProvisioned({ licenseChangeId: (licenseChangeId ?? '').toUpperCase(), by: 'Dana' }))
    expect((await app.licenseChangeLog()).map((row) => [row.licenseChangeId, row.status])).toStrictEqual([[licenseChangeId, 'Provisioned']])
    expect((await allEvents(app)).every((event) => event.streamId === event.streamId.toLowerCase())).toBe(true)
  })

  test('1,000 copied addresses are refused; so is an address given twice in another case', async () => {
    const { app } = await seatflows.start()
    const before = (await allEvents(app)).length
    const many = Array.from({ length: 1000 }, (_, i) => `copy${i}@reseller.example`)
    expect(leftOf(await app.setCopiedEmailAddresses({ addresses: many }))).toStrictEqual({
      _tag: 'InvalidCommand', command: 'ChangeSetting', problems: ['value: must hold at most 50 addresses (got 1000)'],
    })
    expect(leftOf(await app.setCopiedEmailAddresses({ addresses: ['ops@reseller.example', 'OPS@Reseller.example'] }))).toStrictEqual({
      _tag: 'InvalidCommand', command: 'ChangeSetting', problems: ['value: OPS@Reseller.example is given twice (addresses compare without regard to case)'],
    })
    expect((await allEvents(app)).length).toBe(before)
  })

  test('NaN, Infinity and -Infinity quantities are reported as themselves, not as null', async () => {
    const { app } = await seatflows.start()
    for (const [quantity, shown] of [[Number.NaN, 'NaN'], [Number.POSITIVE_INFINITY, 'Infinity'], [Number.NEGATIVE_INFINITY, '-Infinity']] as const) {
      expect(leftOf(await app.createSubscription(subscription('Visio', defaultProviderIds.manual, quantity)))).toStrictEqual({
        _tag: 'InvalidCommand', command: 'CreateSubscription', problems: [`quantity: expected Quantity, got ${shown}`],
      })
    }
  })
})
