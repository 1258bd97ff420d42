// An automatic provider: seatflow calls its gateway with the absolute target quantity and an
// idempotency key per attempt. Here a simulated Partner Center accepts one change at once,
// takes a second one asynchronously (202 + poll), and refuses a third; a person re-queues it.
// Run: npm run build && node dist/examples/automatic-provider.js
import * as E from 'fp-ts/Either'
import { createSeatflow, createSimulatedGateway, defaultProviderIds, describeError } from '../src'

const must = <A>(result: E.Either<Parameters<typeof describeError>[0], A>): A => {
  if (E.isLeft(result)) throw new Error(describeError(result.left))
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
  must(await seatflow.changeQuantity({ subscriptionId: subscription.subscriptionId, quantity: 30 }))
  await seatflow.process() // the accepted change is checked again and confirmed
  const reduction = must(await seatflow.changeQuantity({ subscriptionId: subscription.subscriptionId, quantity: 5 }))
  must(await seatflow.requeue({ licenseChangeId: reduction.licenseChangeId, by: 'Alex', reason: 'approved as an exception' }))

  const log = await seatflow.licenseChangeLog()
  for (const row of log) console.log(`${row.previousQuantity} -> ${row.newQuantity}  ${row.status.padEnd(22)} ${row.message}`)
  console.log('gateway calls:', partnerCenter.calls().map((call) => `${call.operation}(${call.request.targetQuantity}, attempt ${call.request.attempt})`))
  console.log('Partner Center now holds', partnerCenter.quantityOf(subscription.subscriptionId), 'seats')
  await seatflow.close()
  if (log.some((row) => row.status !== 'Provisioned') || partnerCenter.quantityOf(subscription.subscriptionId) !== 5) process.exitCode = 1
}

void main()
