// An automatic provider: seatflow calls its gateway with the absolute target quantity and an
// idempotency key per attempt. Here a simulated Partner Center accepts one change at once,
// takes a second one asynchronously (202 + poll), and refuses a third; a person re-queues it.
// Each change is processed until it is resolved (process() again whenever the next attempt is due).
// Exits non-zero unless every change ends Provisioned and the provider holds the last quantity.
// Run: npm run build && node dist/examples/automatic-provider.js
import * as E from 'fp-ts/Either'
import { createSeatflow, createSimulatedGateway, defaultProviderIds, describeError } from '../src'
import { processUntilSettled } from './support/processUntilSettled'

const must = <A>(result: E.Either<Parameters<typeof describeError>[0] | string, A>): A => {
  if (E.isLeft(result)) throw new Error(typeof result.left === 'string' ? result.left : describeError(result.left))
  return result.right
}

const main = async (): Promise<void> => {
  let refuseOnce = true
  const partnerCenter = createSimulatedGateway({
    answer: (request) => {
      if (request.targetQuantity === 30) return { _tag: 'Accepted', reference: `operation-${request.idempotencyKey.slice(0, 8)}` }
      if (request.targetQuantity === 5 && refuseOnce) {
        refuseOnce = false
        return { _tag: 'PermanentFailure', code: '800002', reason: 'Seats can only be removed within 7 days of purchase' }
      }
      return undefined
    },
  })
  const seatflow = await createSeatflow({ store: 'memory:', gateways: { 'Partner Center': partnerCenter } })
  const subscription = must(await seatflow.createSubscription({
    product: 'Microsoft 365 E3', providerId: defaultProviderIds.partnerCenter, quantity: 25,
    billingContractId: 'BC-9', contractOwnerEmail: 'owner@customer.example',
  }))
  const settle = async () => must(await processUntilSettled(seatflow, { _tag: 'SystemClock' }, { maxMs: 60_000, maxRuns: 20 }))
  must(await seatflow.changeQuantity({ subscriptionId: subscription.subscriptionId, quantity: 30 }))
  await settle() // the accepted change is checked again until it is confirmed
  const reduction = must(await seatflow.changeQuantity({ subscriptionId: subscription.subscriptionId, quantity: 5 }))
  await settle() // refused for good: Failed Provisioning, until a person re-queues it
  must(await seatflow.requeue({ licenseChangeId: reduction.licenseChangeId, by: 'Alex', reason: 'approved as an exception' }))
  await settle()

  const log = await seatflow.licenseChangeLog()
  for (const row of log) console.log(`${row.previousQuantity} -> ${row.newQuantity}  ${row.status.padEnd(22)} ${row.message}`)
  console.log('gateway calls:', partnerCenter.calls().map((call) => `${call.operation}(${call.request.targetQuantity}, attempt ${call.request.attempt})`))
  console.log('Partner Center now holds', partnerCenter.quantityOf(subscription.subscriptionId), 'seats')
  await seatflow.close()
  if (log.some((row) => row.status !== 'Provisioned') || partnerCenter.quantityOf(subscription.subscriptionId) !== 5) process.exitCode = 1
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error))
  process.exitCode = 1
})
