// A bundle: the parent is a virtual product on the Do Nothing provider; changing it sets each
// child to parent quantity × multiplier, and each child's own provider acts on its change.
// Run: npm run build && node dist/examples/bundle.js
import * as E from 'fp-ts/Either'
import { createSeatflow, createSimulatedGateway, defaultProviderIds, describeError } from '../src'

const must = <A>(result: E.Either<Parameters<typeof describeError>[0], A>): A => {
  if (E.isLeft(result)) throw new Error(describeError(result.left))
  return result.right
}

const main = async (): Promise<void> => {
  const seatflow = await createSeatflow({ store: 'memory:', gateways: { 'Partner Center': createSimulatedGateway() } })
  const owner = { billingContractId: 'BC-42', contractOwnerEmail: 'owner@customer.example' }

  const parent = must(await seatflow.createSubscription({ ...owner, product: 'Modern Workplace Bundle', providerId: defaultProviderIds.doNothing, quantity: 4 }))
  must(await seatflow.createSubscription({ ...owner, product: 'Microsoft 365 Business Premium', providerId: defaultProviderIds.partnerCenter, bundle: { parentId: parent.subscriptionId, multiplier: 1 } }))
  must(await seatflow.createSubscription({ ...owner, product: 'Backup storage (10 GB units)', providerId: defaultProviderIds.manual, bundle: { parentId: parent.subscriptionId, multiplier: 5 } }))

  must(await seatflow.changeQuantity({ subscriptionId: parent.subscriptionId, quantity: 6 }))

  const log = await seatflow.licenseChangeLog()
  for (const row of log) console.log(`${row.product.padEnd(32)} ${row.previousQuantity} -> ${row.newQuantity}  ${row.origin.padEnd(6)} ${row.status}`)
  const children = (await seatflow.subscriptions()).filter((s) => s.bundle !== null).map((s) => `${s.product}: ${s.quantity}`)
  console.log('children now:', children)
  await seatflow.close()
  const backup = log.filter((row) => row.product.startsWith('Backup')).at(-1)
  if (backup?.newQuantity !== 30 || backup.status !== 'Awaiting Provisioning') process.exitCode = 1
}

void main()
