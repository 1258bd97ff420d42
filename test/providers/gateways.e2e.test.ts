import { defaultProviderIds } from '../../src/domain/ids'
import { ProvisioningGateway } from '../../src/providers/gateway'
import { createPartnerCenterGateway } from '../../src/providers/partnerCenter'
import { createRestGateway } from '../../src/providers/restGateway'
import { createTechDataGateway } from '../../src/providers/techData'
import { Harness, right, rowOf, subscription, useSeatflows } from '../support/app'
import { startIon } from '../support/providers/ionServer'
import { startPartnerCenter } from '../support/providers/partnerCenterServer'
import { restHookConfig, startRestHook } from '../support/providers/restHookServer'
import { fastTiming } from '../support/providers/requests'

/** One automatic provider on its loopback server: its gateway, where its quantity is, and how to make the next change fail. */
interface Provider {
  readonly system: 'Partner Center' | 'TechData' | 'Synnex'
  readonly gateway: ProvisioningGateway
  readonly quantity: () => number | undefined
  /** Make the next change fail at the provider; answers the reason it will give. */
  readonly refuseNext: () => string
  /** The next calls fail with a 5xx, more than the gateway repeats a call. */
  readonly outage: () => void
  /** Someone changes the quantity at the provider. */
  readonly changeAtProvider: (quantity: number) => void
  readonly close: () => Promise<void>
}

const partnerCenter = async (): Promise<Provider> => {
  const server = await startPartnerCenter([{ customerId: 'tenant-1', id: 'pc-sub', quantity: 10 }])
  return {
    system: 'Partner Center',
    gateway: createPartnerCenterGateway({ baseUrl: server.baseUrl, token: async () => 'test-token', timing: fastTiming(), locate: () => ({ customerId: 'tenant-1', subscriptionId: 'pc-sub' }) }),
    quantity: () => server.quantityOf('pc-sub'),
    refuseNext: () => {
      server.fault({ kind: 'answer', on: 'PATCH', answer: { status: 400, json: { code: 800002, description: 'The quantity exceeds the offer maximum' } } })
      return '800002: The quantity exceeds the offer maximum'
    },
    outage: () => server.fault(...Array.from({ length: 3 }, () => ({ kind: 'answer', on: 'GET', answer: { status: 503, text: 'Service Unavailable' } }) as const)),
    changeAtProvider: (quantity) => server.changeInPortal('pc-sub', quantity),
    close: server.close,
  }
}

const techData = async (): Promise<Provider> => {
  const server = await startIon([{ customerId: 'cust-1', id: 'ion-sub', quantity: 10 }])
  let refreshToken = 'refresh-0'
  return {
    system: 'TechData',
    gateway: createTechDataGateway({
      baseUrl: server.baseUrl, accountId: 'acct-1', timing: fastTiming(), locate: () => ({ customerId: 'cust-1', subscriptionId: 'ion-sub' }),
      refreshToken: () => refreshToken, onRefreshToken: (next) => { refreshToken = next },
    }),
    quantity: () => server.quantityOf('ion-sub'),
    refuseNext: () => {
      server.failNextOrder('Seat count not allowed for this plan')
      return 'Seat count not allowed for this plan'
    },
    outage: () => server.fault(...Array.from({ length: 3 }, () => ({ kind: 'answer', on: 'GET /api', answer: { status: 503, text: 'Service Unavailable' } }) as const)),
    changeAtProvider: (quantity) => server.changeInPortal('ion-sub', quantity, 'jane@reseller.example', new Date().toISOString()),
    close: server.close,
  }
}

const synnex = async (): Promise<Provider> => {
  const server = await startRestHook({ 'SX-1': 10 })
  return {
    system: 'Synnex',
    gateway: createRestGateway(restHookConfig(server.baseUrl), { authorize: async () => ({ 'x-api-key': 'hook-key' }), timing: fastTiming(), locate: () => 'SX-1' }),
    quantity: () => server.seatsOf('SX-1'),
    refuseNext: () => {
      server.rejectNext('QTY', 'Quantity refused by the distributor')
      return 'QTY: Quantity refused by the distributor'
    },
    outage: () => server.fault(...Array.from({ length: 3 }, () => ({ kind: 'answer', on: 'POST', answer: { status: 503, text: 'Service Unavailable' } }) as const)),
    changeAtProvider: (quantity) => server.changeAtProvider('SX-1', quantity, 'kim', new Date().toISOString()),
    close: server.close,
  }
}

describe.each([['Partner Center', partnerCenter], ['TechData', techData], ['Synnex (REST)', synnex]] as const)('a seatflow provisioning through the %s gateway on loopback', (_name, startProvider) => {
  const seatflows = useSeatflows('sqlite')
  let provider: Provider
  beforeEach(async () => { provider = await startProvider() })
  afterEach(async () => { await provider.close() })

  /** An app whose automatic provider of this system tries once (retry scheduling is the engine's business, not the gateway's). */
  const start = async (): Promise<{ readonly harness: Harness; readonly providerId: string }> => {
    const harness = await seatflows.start({ gateways: { [provider.system]: provider.gateway } })
    const providerId = provider.system === 'Partner Center' ? defaultProviderIds.partnerCenter
      : right(await harness.app.registerProvider({ name: provider.system, kind: 'Automatic', system: provider.system, maxAttempts: 1 })).providerId
    if (provider.system === 'Partner Center') right(await harness.app.changeProviderConfiguration({ providerId, maxAttempts: 1 }))
    return { harness, providerId }
  }

  it('a change ends Provisioned, and the provider holds the new quantity', async () => {
    const { harness: { app }, providerId } = await start()
    const created = right(await app.createSubscription(subscription('Microsoft 365 E3', providerId, 10)))
    expect((await rowOf(app, created.licenseChangeId)).status).toBe('Provisioned')
    const change = right(await app.changeQuantity({ subscriptionId: created.subscriptionId, quantity: 14 }))
    expect(await rowOf(app, change.licenseChangeId)).toMatchObject({ status: 'Provisioned', previousQuantity: 10, newQuantity: 14 })
    expect(provider.quantity()).toBe(14)
  })

  /** A change that fails at the provider (`breakIt` says why) ends Failed Provisioning with that reason; re-queued, it ends Provisioned. */
  const failThenRequeue = async (breakIt: () => string, quantity: number): Promise<void> => {
    const { harness: { app }, providerId } = await start()
    const created = right(await app.createSubscription(subscription('Microsoft 365 E3', providerId, 10)))
    const reason = breakIt()
    const change = right(await app.changeQuantity({ subscriptionId: created.subscriptionId, quantity }))
    expect(await rowOf(app, change.licenseChangeId)).toMatchObject({ status: 'Failed Provisioning', message: expect.stringContaining(reason) })
    expect(provider.quantity()).toBe(10)
    right(await app.requeue({ licenseChangeId: change.licenseChangeId, by: 'Dana', reason: 'fixed with the provider' }))
    await app.process()
    expect((await rowOf(app, change.licenseChangeId)).status).toBe('Provisioned')
    expect(provider.quantity()).toBe(quantity)
  }

  it('a change the provider refuses ends Failed Provisioning with its reason, and after a re-queue it ends Provisioned', async () => {
    await failThenRequeue(() => provider.refuseNext(), 30)
  })

  it('a provider outage past the last attempt ends Failed Provisioning with the provider\'s answer; a re-queue provisions it', async () => {
    await failThenRequeue(() => {
      provider.outage()
      return 'answered 503 (Service Unavailable)'
    }, 9)
  })

  it('a change made at the provider, read through the gateway, is recorded Not Applicable', async () => {
    const { harness: { app }, providerId } = await start()
    const created = right(await app.createSubscription(subscription('Microsoft 365 E3', providerId, 10)))
    provider.changeAtProvider(17)
    const read = await provider.gateway.readSubscription?.({ subscriptionId: created.subscriptionId, providerId, system: provider.system, product: 'Microsoft 365 E3' })
    expect(read?.quantity).toBe(17)
    const synced = right(await app.recordProviderQuantity({ subscriptionId: created.subscriptionId, quantity: read?.quantity }))
    expect(await rowOf(app, synced.licenseChangeId)).toMatchObject({ status: 'Not Applicable', origin: 'provider', previousQuantity: 10, newQuantity: 17 })
    expect(provider.quantity()).toBe(17)
  })
})
