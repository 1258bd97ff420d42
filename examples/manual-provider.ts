// A Manual provider's lifecycle: a seat change emails the distributor's provisioning team,
// the contract owner is reminded daily, and reminders stop once a person marks it provisioned.
// Run: npm run build && node dist/examples/manual-provider.js
import * as E from 'fp-ts/Either'
import { createMemoryMailer, createSeatflow, createSimulatedClock, describeError } from '../src'

const must = <A>(result: E.Either<Parameters<typeof describeError>[0], A>): A => {
  if (E.isLeft(result)) throw new Error(describeError(result.left))
  return result.right
}

const main = async (): Promise<void> => {
  const clock = createSimulatedClock('2026-03-02T08:00:00Z')
  const mailer = createMemoryMailer()
  const seatflow = await createSeatflow({ store: 'memory:', clock, mailer })

  const distributor = must(await seatflow.registerProvider({
    name: 'Northwind Distribution', kind: 'Manual', provisioningEmail: 'orders@northwind.example',
  }))
  must(await seatflow.setCopiedEmailAddresses({ addresses: ['licensing@reseller.example'] }))
  const subscription = must(await seatflow.createSubscription({
    product: 'Adobe Acrobat Pro', providerId: distributor.providerId, quantity: 10,
    billingContractId: 'BC-7', contractOwnerEmail: 'owner@customer.example',
  }))
  must(await seatflow.markProvisioned({ licenseChangeId: subscription.licenseChangeId, by: 'Sam at Northwind' }))

  const change = must(await seatflow.changeQuantity({ subscriptionId: subscription.subscriptionId, quantity: 12 }))
  console.log('request email:', mailer.sent().at(-1)?.subject, '→', mailer.sent().at(-1)?.to, 'cc', mailer.sent().at(-1)?.cc)

  clock.advanceHours(24)
  const first = await seatflow.sendDueReminders()
  console.log('after a day:', first.sent.map((mail) => `${mail.subject} → ${mail.to.join(', ')}`))

  must(await seatflow.markProvisioned({ licenseChangeId: change.licenseChangeId, by: 'Sam at Northwind', note: 'portal order 4711' }))
  clock.advanceHours(48)
  const later = await seatflow.dueReminders()
  console.log('after provisioning, reminders due:', later.length)

  const row = (await seatflow.licenseChangeLog()).find((r) => r.licenseChangeId === change.licenseChangeId)
  console.log(`${row?.product}: ${row?.previousQuantity} -> ${row?.newQuantity} ${row?.status} by ${row?.provisionedBy}`)
  await seatflow.close()
  if (row?.status !== 'Provisioned' || first.sent.length !== 1 || later.length !== 0) process.exitCode = 1
}

void main()
