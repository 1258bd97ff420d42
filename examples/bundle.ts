// A bundle: the parent is a virtual product on the Do Nothing provider; changing it sets each
// child to parent quantity × multiplier, and each child's own provider acts on its change: the
// Partner Center child is provisioned through its gateway, the Manual child waits until a person
// at the distributor marks it provisioned. Exits non-zero unless every change ends resolved.
// Run: npm run build && node dist/examples/bundle.js
import * as E from 'fp-ts/Either'
import { createSeatflow, createSimulatedClock, createSimulatedGateway, defaultProviderIds, describeError } from '../src'
import { processUntilSettled } from './support/processUntilSettled'

const must = <A>(result: E.Either<Parameters<typeof describeError>[0] | string, A>): A => {
  if (E.isLeft(result)) throw new Error(typeof result.left === 'string' ? result.left : describeError(result.left))
  return result.right
}

const main = async (): Promise<void> => {
  const clock = createSimulatedClock('2026-03-02T08:00:00Z')
  const seatflow = await createSeatflow({ store: 'memory:', clock, gateways: { 'Partner Center': createSimulatedGateway() } })
  const owner = { billingContractId: 'BC-42', contractOwnerEmail: 'owner@customer.example' }

  const parent = must(await seatflow.createSubscription({ ...owner, product: 'Modern Workplace Bundle', providerId: defaultProviderIds.doNothing, quantity: 4 }))
  must(await seatflow.createSubscription({ ...owner, product: 'Microsoft 365 Business Premium', providerId: defaultProviderIds.partnerCenter, bundle: { parentId: parent.subscriptionId, multiplier: 1 } }))
  must(await seatflow.createSubscription({ ...owner, product: 'Backup storage (10 GB units)', providerId: defaultProviderIds.manual, bundle: { parentId: parent.subscriptionId, multiplier: 5 } }))

  must(await seatflow.changeQuantity({ subscriptionId: parent.subscriptionId, quantity: 6 }))
  must(await processUntilSettled(seatflow, { _tag: 'SimulatedClock', clock }, { maxMs: 24 * 3_600_000, maxRuns: 20 }))
  // What is left waits for a person: the distributor changes the Manual child in its portal.
  for (const row of (await seatflow.licenseChangeLog()).filter((r) => r.status === 'Awaiting Provisioning' && r.providerKind === 'Manual')) {
    must(await seatflow.markProvisioned({ licenseChangeId: row.licenseChangeId, by: 'Sam at the distributor' }))
  }

  const log = await seatflow.licenseChangeLog()
  for (const row of log) console.log(`${row.product.padEnd(32)} ${row.previousQuantity} -> ${row.newQuantity}  ${row.origin.padEnd(6)} ${row.status}`)
  const children = (await seatflow.subscriptions()).filter((s) => s.bundle !== null).map((s) => `${s.product}: ${s.quantity}`)
  console.log('children now:', children)
  await seatflow.close()
  const backup = log.filter((row) => row.product.startsWith('Backup')).at(-1)
  const unresolved = log.filter((row) => row.status !== 'Provisioned' && row.status !== 'Not Applicable')
  if (backup?.newQuantity !== 30 || backup.status !== 'Provisioned' || unresolved.length > 0) process.exitCode = 1
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error))
  process.exitCode = 1
})
