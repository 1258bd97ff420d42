import { hostname } from 'node:os'
import { defaultProviderIds } from '../../src/domain/ids'
import { derivedId } from '../../src/domain/ids'
import { createSimulatedClock } from '../../src/providers/clock'
import { ProvisioningGateway, ProvisioningResult } from '../../src/providers/gateway'
import { openStorage } from '../../src/store/open'
import { countOf, right, rowOf, startedAt, storageOf, subscription, useSeatflows } from '../support/app'

const pc = defaultProviderIds.partnerCenter

/** A gateway that holds each change until the test lets it answer, and counts the calls. */
const heldGateway = () => {
  const calls: string[] = []
  let release: (() => void) | null = null
  let entered: (() => void) | null = null
  const inCall = new Promise<void>((resolve) => { entered = resolve })
  const gateway: ProvisioningGateway = {
    changeQuantity: async (request): Promise<ProvisioningResult> => {
      calls.push(request.idempotencyKey)
      entered?.()
      await new Promise<void>((resolve) => { release = resolve })
      return { _tag: 'Provisioned' }
    },
    checkPending: async () => ({ _tag: 'Provisioned' }),
  }
  return { gateway, calls: () => [...calls], inCall, answer: () => release?.() }
}

/** A counting gateway that answers at once. */
const countingGateway = () => {
  const calls: number[] = []
  const gateway: ProvisioningGateway = {
    changeQuantity: async (request) => { calls.push(request.attempt); return { _tag: 'Provisioned' } },
    checkPending: async () => ({ _tag: 'Provisioned' }),
  }
  return { gateway, calls: () => [...calls] }
}

describe('each scheduled gateway call runs once across processes sharing a SQLite store', () => {
  const seatflows = useSeatflows('sqlite')

  it('a second instance leaves a call another is making alone, and says so; the change is provisioned once', async () => {
    const url = seatflows.freshUrl()
    const held = heldGateway()
    const clock = createSimulatedClock(startedAt)
    const first = await seatflows.open({ store: url, clock, gateways: { 'Partner Center': held.gateway }, autoProcess: false })
    const second = await seatflows.open({ store: openStorage(url), clock, gateways: { 'Partner Center': held.gateway }, autoProcess: false })
    const teams = right(await first.createSubscription(subscription('Teams Premium', pc, 10)))

    const firstRun = first.process()
    await held.inCall
    const secondRun = await second.process()
    expect(secondRun.claimedElsewhere).toEqual([teams.licenseChangeId])
    expect(secondRun.attempts).toEqual([])
    held.answer()
    expect((await firstRun).attempts).toEqual([{ licenseChangeId: teams.licenseChangeId, attempt: 1, call: 'change', outcome: 'Provisioned' }])

    const after = await second.process()
    expect(after).toMatchObject({ claimedElsewhere: [], attempts: [], changesTried: 0 })
    expect(held.calls()).toHaveLength(1)
    expect(await rowOf(second, teams.licenseChangeId)).toMatchObject({ status: 'Provisioned' })
    expect(await countOf(second, 'LicenseChangeProvisioned')).toBe(1)
  })

  it('takes over at once the call of a process of this host that died holding its claim', async () => {
    const url = seatflows.freshUrl()
    const counting = countingGateway()
    const app = await seatflows.open({ store: url, clock: createSimulatedClock(startedAt), gateways: { 'Partner Center': counting.gateway }, autoProcess: false })
    const teams = right(await app.createSubscription(subscription('Teams Premium', pc, 10)))
    const key = `provisioning-attempt:${String(teams.licenseChangeId)}:1`
    expect(await storageOf(app).claims.claim(key, `${hostname()}/2147483646/${derivedId('dead')}`, Date.now(), 3_600_000)).toBe(true)

    expect((await app.process()).attempts).toEqual([{ licenseChangeId: teams.licenseChangeId, attempt: 1, call: 'change', outcome: 'Provisioned' }])
    expect(counting.calls()).toEqual([1])
  })

  it('waits out the lease of a claimer it cannot see (another host), then makes the call', async () => {
    const url = seatflows.freshUrl()
    const counting = countingGateway()
    const app = await seatflows.open({
      store: url, clock: createSimulatedClock(startedAt), gateways: { 'Partner Center': counting.gateway }, autoProcess: false, attemptLeaseSeconds: 1,
    })
    const teams = right(await app.createSubscription(subscription('Teams Premium', pc, 10)))
    const key = `provisioning-attempt:${String(teams.licenseChangeId)}:1`
    expect(await storageOf(app).claims.claim(key, 'elsewhere.example/42/x', Date.now(), 300)).toBe(true)

    expect((await app.process()).claimedElsewhere).toEqual([teams.licenseChangeId])
    expect(counting.calls()).toEqual([])
    await new Promise((resolve) => setTimeout(resolve, 350))
    // The run that found the claim held left the processor awake: the next run looks again.
    expect((await app.process()).attempts).toMatchObject([{ licenseChangeId: teams.licenseChangeId, outcome: 'Provisioned' }])
    expect(counting.calls()).toEqual([1])
  })

  it('gives back the claim of a check that recorded nothing, so the next check is made', async () => {
    const url = seatflows.freshUrl()
    const answers: ProvisioningResult[] = [{ _tag: 'Accepted', reference: 'op-1' }, { _tag: 'Accepted', reference: 'op-1' }, { _tag: 'Provisioned' }]
    const operations: string[] = []
    const gateway: ProvisioningGateway = {
      changeQuantity: async () => { operations.push('change'); return answers.shift() ?? { _tag: 'Provisioned' } },
      checkPending: async () => { operations.push('check'); return answers.shift() ?? { _tag: 'Provisioned' } },
    }
    const app = await seatflows.open({ store: url, clock: createSimulatedClock(startedAt), gateways: { 'Partner Center': gateway }, autoProcess: false })
    const teams = right(await app.createSubscription(subscription('Teams Premium', pc, 10)))
    expect((await app.process()).attempts).toMatchObject([{ call: 'change', outcome: 'Pending' }])
    expect((await app.process()).attempts).toMatchObject([{ call: 'check', outcome: 'Pending' }])
    expect((await app.process()).attempts).toMatchObject([{ call: 'check', outcome: 'Provisioned' }])
    expect(operations).toEqual(['change', 'check', 'check'])
    expect(await rowOf(app, teams.licenseChangeId)).toMatchObject({ status: 'Provisioned' })
  })
})
