import { defaultProviderIds } from '../../src/domain/ids'
import { createPartnerCenterGateway } from '../../src/providers/partnerCenter'
import { createTechDataGateway } from '../../src/providers/techData'
import { right, rowOf, rowsOf, storeKinds, subscription, useSeatflows } from '../support/app'
import { startIon } from '../support/providers/ionServer'
import { LoopbackPartnerCenter, startPartnerCenter } from '../support/providers/partnerCenterServer'
import { fastTiming } from '../support/providers/requests'

const tenant = 'tenant-contoso'
const closedAt = new Date(Date.now() - 3_600_000).toISOString()
const inDays = (n: number): string => new Date(Date.now() + n * 86_400_000).toISOString()

describe.each(storeKinds)('cancelling and reactivating Partner Center subscriptions on the %s store', (kind) => {
  const seatflows = useSeatflows(kind)
  let server: LoopbackPartnerCenter
  beforeEach(async () => {
    // Partner Center's ids are the products' names here: `locate` maps one to the other.
    server = await startPartnerCenter([
      { customerId: tenant, id: 'Power BI', quantity: 4, cancellationAllowedUntil: inDays(3) },
      { customerId: tenant, id: 'Visio', quantity: 6, cancellationAllowedUntil: closedAt },
      { customerId: tenant, id: 'Teams', quantity: 5, cancellationAllowedUntil: inDays(300) },
    ])
  })
  afterEach(async () => { await server.close() })

  const start = () => seatflows.start({
    gateways: {
      'Partner Center': createPartnerCenterGateway({
        baseUrl: server.baseUrl, token: async () => 'test-token', timing: fastTiming(), locate: (s) => ({ customerId: tenant, subscriptionId: s.product }),
      }),
    },
  })

  it('a cancellation within the window ends Provisioned with the subscription deleted at Partner Center', async () => {
    const { app } = await start()
    const power = right(await app.createSubscription(subscription('Power BI', defaultProviderIds.partnerCenter, 4)))
    const cancelled = right(await app.cancelSubscription({ subscriptionId: power.subscriptionId }))
    expect(await rowOf(app, cancelled.licenseChangeId)).toMatchObject({ kind: 'cancellation', status: 'Provisioned', newQuantity: 0 })
    expect(server.statusOf('Power BI')).toBe('deleted')
    expect(JSON.parse(server.patches()[0]?.body ?? '')).toMatchObject({ status: 'deleted', quantity: 4 })
    expect((await app.audit()).violations).toEqual([])
  })

  it('a cancellation past cancellationAllowedUntilDate ends Failed Provisioning with the window reason, and nothing is sent', async () => {
    const { app } = await start()
    const visio = right(await app.createSubscription(subscription('Visio', defaultProviderIds.partnerCenter, 6)))
    const cancelled = right(await app.cancelSubscription({ subscriptionId: visio.subscriptionId }))
    expect(await rowOf(app, cancelled.licenseChangeId)).toMatchObject({
      kind: 'cancellation', status: 'Failed Provisioning', message: expect.stringContaining(`Partner Center cannot cancel: the cancellation window closed at ${closedAt}`),
    })
    expect(await app.subscription(visio.subscriptionId)).toMatchObject({ status: 'Cancelled', quantity: 0 })
    expect(server.patches()).toHaveLength(0)
    expect(server.statusOf('Visio')).toBe('active')
    expect((await app.audit()).violations).toEqual([])
  })

  it('a reactivation ends Provisioned: Partner Center is active again at the quantity recorded during the suspension', async () => {
    const { app } = await start()
    const teams = right(await app.createSubscription(subscription('Teams', defaultProviderIds.partnerCenter, 5)))
    right(await app.suspendSubscription({ subscriptionId: teams.subscriptionId, reason: 'unpaid invoice INV-9' }))
    server.setStatusInPortal('Teams', 'suspended')
    right(await app.changeQuantity({ subscriptionId: teams.subscriptionId, quantity: 7 }))
    expect(server.patches()).toHaveLength(0)
    const reactivated = right(await app.reactivateSubscription({ subscriptionId: teams.subscriptionId }))
    expect(await rowOf(app, reactivated.licenseChangeId)).toMatchObject({ kind: 'reactivation', previousQuantity: 5, newQuantity: 7, status: 'Provisioned' })
    expect([server.statusOf('Teams'), server.quantityOf('Teams')]).toEqual(['active', 7])
    expect(JSON.parse(server.patches()[0]?.body ?? '')).toMatchObject({ status: 'active', quantity: 7 })
    expect((await rowsOf(app, teams.subscriptionId)).map((row) => row.status)).toEqual(['Provisioned', 'Not Applicable', 'Provisioned'])
    expect((await app.audit()).violations).toEqual([])
  })
})

describe.each(storeKinds)('cancelling a TechData subscription on the %s store', (kind) => {
  const seatflows = useSeatflows(kind)

  it('fails saying to cancel in the TechData portal; re-queued once Ion shows it cancelled, it ends Provisioned with no order', async () => {
    const ion = await startIon([{ customerId: 'cust-1', id: 'Acrobat', quantity: 3 }])
    try {
      let refreshToken = 'refresh-0'
      const gateway = createTechDataGateway({
        baseUrl: ion.baseUrl, accountId: 'acct-1', timing: fastTiming(), locate: (s) => ({ customerId: 'cust-1', subscriptionId: s.product }),
        refreshToken: () => refreshToken, onRefreshToken: (next) => { refreshToken = next },
      })
      const { app } = await seatflows.start({ gateways: { TechData: gateway } })
      const techData = right(await app.registerProvider({ name: 'TechData', kind: 'Automatic', system: 'TechData' }))
      const acrobat = right(await app.createSubscription(subscription('Acrobat', techData.providerId, 3)))
      const cancelled = right(await app.cancelSubscription({ subscriptionId: acrobat.subscriptionId }))
      expect(await rowOf(app, cancelled.licenseChangeId)).toMatchObject({
        kind: 'cancellation', status: 'Failed Provisioning', message: expect.stringContaining('TechData cannot cancel through its API here: cancel subscription Acrobat in the TechData (StreamOne Ion) portal'),
      })
      ion.setStatusInPortal('Acrobat', 'CANCELLED')
      right(await app.requeue({ licenseChangeId: cancelled.licenseChangeId, by: 'Dana', reason: 'cancelled in the TechData portal' }))
      await app.process()
      expect(await rowOf(app, cancelled.licenseChangeId)).toMatchObject({ kind: 'cancellation', status: 'Provisioned' })
      expect(ion.orders()).toHaveLength(0)
      expect((await app.audit()).violations).toEqual([])
    } finally {
      await ion.close()
    }
  })
})
