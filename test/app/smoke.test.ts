import * as E from 'fp-ts/Either'
import { createSeatflow } from '../../src/app/seatflow'
import { createSimulatedClock } from '../../src/app/clock'
import { createMemoryMailer } from '../../src/providers/mail'
import { createSimulatedGateway } from '../../src/providers/simulated'
import { defaultProviderIds } from '../../src/domain/ids'

const right = <A>(e: E.Either<unknown, A>): A => { if (E.isLeft(e)) throw new Error(JSON.stringify(e.left)); return e.right }

test('smoke', async () => {
  const clock = createSimulatedClock('2026-01-05T09:00:00.000Z')
  const mailer = createMemoryMailer()
  const gateway = createSimulatedGateway()
  const app = await createSeatflow({ store: 'memory:', clock, mailer, gateways: { 'Partner Center': gateway } })
  right(await app.setCopiedEmailAddresses({ addresses: ['ops@reseller.example'] }))
  const parent = right(await app.createSubscription({ product: 'M365 Bundle', providerId: defaultProviderIds.doNothing, quantity: 2, billingContractId: 'BC-1', contractOwnerEmail: 'owner@customer.example' }))
  const manualChild = right(await app.createSubscription({ product: 'Exchange', providerId: defaultProviderIds.manual, billingContractId: 'BC-1', contractOwnerEmail: 'owner@customer.example', bundle: { parentId: parent.subscriptionId, multiplier: 1 } }))
  right(await app.createSubscription({ product: 'Teams', providerId: defaultProviderIds.partnerCenter, billingContractId: 'BC-1', contractOwnerEmail: 'owner@customer.example', bundle: { parentId: parent.subscriptionId, multiplier: 5 } }))
  right(await app.changeQuantity({ subscriptionId: parent.subscriptionId, quantity: 3 }))
  const log = await app.licenseChangeLog()
  console.log(log.map((r) => `${r.product} ${r.previousQuantity}->${r.newQuantity} ${r.status} ${r.message}`).join('\n'))
  console.log(mailer.sent().map((m) => `${m.to} cc ${m.cc} ${m.subject}`).join('\n'))
  clock.advanceHours(25)
  console.log(await app.dueReminders())
  const sent = await app.sendDueReminders()
  expect(sent.sent).toHaveLength(2)
  const open = log.filter((r) => r.providerKind === 'Manual')
  for (const r of open) if (r.status === 'Awaiting Provisioning') right(await app.markProvisioned({ licenseChangeId: r.licenseChangeId, by: 'Dana' }))
  clock.advanceHours(25)
  expect(await app.dueReminders()).toHaveLength(0)
  const audit = await app.audit()
  console.log(audit)
  expect(audit.violations).toEqual([])
  expect(audit.digest).toBe(await app.digest())
  expect(manualChild).toBeDefined()
  await app.close()
})
