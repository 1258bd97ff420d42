// One seat change provisioned through the Partner Center gateway over HTTP.
// With PARTNER_CENTER_BASE_URL (and PARTNER_CENTER_TOKEN, PARTNER_CENTER_CUSTOMER_ID,
// PARTNER_CENTER_SUBSCRIPTION_ID; optionally PARTNER_CENTER_TARGET_QUANTITY) it talks to that
// Partner Center; otherwise to a loopback Partner Center it starts itself (the one the tests use),
// which behaves as Partner Center under load: it throttles the first PATCH of each request id
// (429, Retry-After: 1), so the gateway waits a second and repeats it with the same MS-RequestId,
// and then takes the change asynchronously (202 + Location), so the gateway polls.
// The change is processed until it is resolved: process() again whenever the next attempt is due,
// waiting for it on the system clock, for at most PARTNER_CENTER_BOUND_SECONDS (default 300).
// Prints the License Change Log as JSON (the rows of `seatflow log --json`) on stdout; exits 0
// only when the change ended Provisioned.
// Run: npm run build && node dist/examples/partner-center.js
import * as E from 'fp-ts/Either'
import { createPartnerCenterGateway, createSeatflow, defaultProviderIds, describeError } from '../src'
import { startPartnerCenter } from '../test/support/providers/partnerCenterServer'
import { processUntilSettled } from './support/processUntilSettled'

const must = <A>(result: E.Either<Parameters<typeof describeError>[0], A>): A => {
  if (E.isLeft(result)) throw new Error(describeError(result.left))
  return result.right
}

/** How long the change may take to settle (ms). */
const boundMs = (): number => {
  const text = process.env.PARTNER_CENTER_BOUND_SECONDS ?? '300'
  const seconds = Number(text)
  if (!(seconds > 0)) throw new Error(`PARTNER_CENTER_BOUND_SECONDS must be a number of seconds, not "${text}"`)
  return seconds * 1000
}

/** The Partner Center to talk to: the configured one, or a loopback one started here. */
const partnerCenter = async () => {
  const env = process.env
  if (env.PARTNER_CENTER_BASE_URL !== undefined && env.PARTNER_CENTER_BASE_URL !== '') {
    const missing = ['PARTNER_CENTER_TOKEN', 'PARTNER_CENTER_CUSTOMER_ID', 'PARTNER_CENTER_SUBSCRIPTION_ID'].filter((name) => (env[name] ?? '') === '')
    if (missing.length > 0) throw new Error(`PARTNER_CENTER_BASE_URL is set: set ${missing.join(', ')} too`)
    return {
      baseUrl: env.PARTNER_CENTER_BASE_URL, token: env.PARTNER_CENTER_TOKEN ?? '', customerId: env.PARTNER_CENTER_CUSTOMER_ID ?? '',
      subscriptionId: env.PARTNER_CENTER_SUBSCRIPTION_ID ?? '', target: env.PARTNER_CENTER_TARGET_QUANTITY, seen: () => [], close: async () => undefined,
    }
  }
  const server = await startPartnerCenter([{ customerId: 'tenant-contoso', id: 'pc-subscription-1', quantity: 25 }], 'loopback-token')
  server.throttleFirstPatch('1') // 429 + Retry-After: 1 for the first PATCH of each MS-RequestId
  server.acceptNext(1, 2) // then 202 + Location, done after two reads
  console.error(`no PARTNER_CENTER_BASE_URL: using a loopback Partner Center at ${server.baseUrl}`)
  return {
    baseUrl: server.baseUrl, token: 'loopback-token', customerId: 'tenant-contoso', subscriptionId: 'pc-subscription-1', target: undefined,
    seen: () => server.requests().map((request) => `${request.method} (MS-RequestId ${request.headers['ms-requestid']?.slice(0, 8) ?? '-'})`),
    close: server.close,
  }
}

const main = async (): Promise<void> => {
  const maxMs = boundMs()
  const pc = await partnerCenter()
  try {
    const gateway = createPartnerCenterGateway({
      baseUrl: pc.baseUrl, token: async () => pc.token,
      locate: () => ({ customerId: pc.customerId, subscriptionId: pc.subscriptionId }),
      timing: { poll: { firstDelayMs: 200, maxDelayMs: 2000, totalMs: 20_000 } },
    })
    const reference = { subscriptionId: pc.subscriptionId, providerId: defaultProviderIds.partnerCenter, system: 'Partner Center', product: 'Microsoft 365 E3' } as const
    const current = (await gateway.readSubscription?.(reference))?.quantity ?? 0
    const target = pc.target === undefined ? current + 1 : Number(pc.target)

    const seatflow = await createSeatflow({ store: 'memory:', gateways: { 'Partner Center': gateway } })
    const subscription = must(await seatflow.createSubscription({
      product: 'Microsoft 365 E3', providerId: defaultProviderIds.partnerCenter, quantity: current,
      billingContractId: 'BC-9', contractOwnerEmail: 'owner@customer.example',
    }))
    const change = must(await seatflow.changeQuantity({ subscriptionId: subscription.subscriptionId, quantity: target }))
    const settled = await processUntilSettled(seatflow, { _tag: 'SystemClock' }, { maxMs, maxRuns: 100 })
    if (E.isLeft(settled)) console.error(`not settled: ${settled.left}`)
    const log = await seatflow.licenseChangeLog()
    await seatflow.close()
    console.log(JSON.stringify(log, null, 2))
    const row = log.find((one) => one.licenseChangeId === change.licenseChangeId)
    if (pc.seen().length > 0) console.error(`the loopback Partner Center saw: ${pc.seen().join(', ')}`)
    console.error(`${current} -> ${target}: ${row?.status ?? 'not recorded'} (${row?.message ?? ''})`)
    process.exitCode = row?.status === 'Provisioned' ? 0 : 1
  } finally {
    await pc.close()
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error))
  process.exitCode = 1
})
