import { defaultProviderIds } from '../../src/domain/ids'
import { allEvents, countOf, createScriptedGateway, leftOf, right, rowOf, rowsOf, startedAt, storeKinds, subscription, useSeatflows } from '../support/app'

const hours = (n: number): string => new Date(Date.parse(startedAt) + n * 3_600_000).toISOString()

describe.each(storeKinds)('the life of a subscription on the %s store', (kind) => {
  const seatflows = useSeatflows(kind)

  describe('moving to another provider', () => {
    it('is refused while a change is unresolved, naming it; with withdrawal the change is never sent and the next change goes to the new provider', async () => {
      const { app, gateway, mailer } = await seatflows.start()
      const visio = right(await app.createSubscription(subscription('Visio', defaultProviderIds.manual, 5)))
      const first = (await rowsOf(app, visio.subscriptionId))[0]
      const refused = leftOf(await app.moveSubscription({ subscriptionId: visio.subscriptionId, providerId: defaultProviderIds.partnerCenter }))
      expect(refused).toEqual({ _tag: 'UnresolvedChangesBlockMove', subscriptionId: visio.subscriptionId, licenseChangeIds: [first?.licenseChangeId] })
      const eventsBefore = (await allEvents(app)).length

      const moved = right(await app.moveSubscription({ subscriptionId: visio.subscriptionId, providerId: defaultProviderIds.partnerCenter, withdrawUnresolved: true }))
      expect(moved).toMatchObject({ fromProviderId: defaultProviderIds.manual, toProviderId: defaultProviderIds.partnerCenter, withdrawn: [first?.licenseChangeId], drift: null, providerRead: 'not asked' })
      expect((await allEvents(app)).length).toBe(eventsBefore + 2)
      expect(await rowOf(app, first?.licenseChangeId ?? null)).toMatchObject({ status: 'Failed Provisioning', withdrawnTo: defaultProviderIds.partnerCenter })
      expect((await app.subscription(visio.subscriptionId))?.providerId).toBe(defaultProviderIds.partnerCenter)
      expect(leftOf(await app.requeue({ licenseChangeId: first?.licenseChangeId, by: 'Dana', reason: 'try' }))._tag).toBe('LicenseChangeWithdrawn')

      const next = right(await app.changeQuantity({ subscriptionId: visio.subscriptionId, quantity: 7 }))
      expect(await rowOf(app, next.licenseChangeId)).toMatchObject({ providerKind: 'Automatic', status: 'Provisioned', previousQuantity: 5, newQuantity: 7 })
      expect(gateway.calls().map((call) => [call.request.subscriptionId, call.request.targetQuantity])).toEqual([[visio.subscriptionId, 7]])
      expect(mailer.sent().filter((mail) => mail.subject.startsWith('Provisioning request'))).toHaveLength(1)
      expect((await app.audit()).violations).toEqual([])
    })

    it('to an automatic provider shows the provider’s quantity right after, without writing it', async () => {
      const { app, gateway } = await seatflows.start()
      const teams = right(await app.createSubscription(subscription('Teams', defaultProviderIds.doNothing, 5)))
      gateway.changeAtProvider(teams.subscriptionId, 8, { changedBy: 'admin@tenant.example' })
      const moved = right(await app.moveSubscription({ subscriptionId: teams.subscriptionId, providerId: defaultProviderIds.partnerCenter }, { readProvider: true }))
      expect(moved.providerRead).toBe('read')
      expect(moved.drift).toMatchObject({ seatflowQuantity: 5, providerQuantity: 8, changedBy: 'admin@tenant.example', wouldRecord: { previousQuantity: 5, newQuantity: 8 } })
      expect((await app.subscription(teams.subscriptionId))?.quantity).toBe(5)
    })

    it('to the same, a missing or a deactivated provider is refused and writes nothing', async () => {
      const { app } = await seatflows.start()
      const techData = right(await app.registerProvider({ name: 'TechData', kind: 'Automatic', system: 'TechData' }))
      right(await app.deactivateProvider({ providerId: techData.providerId }))
      const teams = right(await app.createSubscription(subscription('Teams', defaultProviderIds.doNothing, 5)))
      const before = (await allEvents(app)).length
      expect(leftOf(await app.moveSubscription({ subscriptionId: teams.subscriptionId, providerId: defaultProviderIds.doNothing }))._tag).toBe('SubscriptionAlreadyOnProvider')
      expect(leftOf(await app.moveSubscription({ subscriptionId: teams.subscriptionId, providerId: techData.providerId }))._tag).toBe('ProviderDeactivated')
      expect(leftOf(await app.moveSubscription({ subscriptionId: teams.subscriptionId, providerId: '01a234c0-b0c0-7034-a7e1-000000000000' }))._tag).toBe('ProviderNotFound')
      expect(leftOf(await app.moveSubscription({ subscriptionId: teams.subscriptionId }))._tag).toBe('InvalidCommand')
      expect((await allEvents(app)).length).toBe(before)
    })
  })

  describe('suspension', () => {
    it('makes quantity changes Not Applicable with the reason, stops the reminders, and reactivation asks the provider for today’s quantity', async () => {
      const { app, clock, mailer } = await seatflows.start()
      const visio = right(await app.createSubscription(subscription('Visio', defaultProviderIds.manual, 5)))
      right(await app.suspendSubscription({ subscriptionId: visio.subscriptionId, reason: 'unpaid invoice INV-7' }))
      const during = right(await app.changeQuantity({ subscriptionId: visio.subscriptionId, quantity: 9 }))
      expect(await rowOf(app, during.licenseChangeId)).toMatchObject({
        status: 'Not Applicable', message: 'The subscription is suspended (unpaid invoice INV-7): nothing to provision until it is reactivated',
      })
      clock.advanceHours(25)
      expect(await app.dueReminders()).toEqual([])
      expect((await app.sendDueReminders()).sent).toEqual([])
      expect((await app.nextDue()).reminderAt).toBeNull()

      const reactivated = right(await app.reactivateSubscription({ subscriptionId: visio.subscriptionId }))
      expect(await rowOf(app, reactivated.licenseChangeId)).toMatchObject({ kind: 'reactivation', previousQuantity: 5, newQuantity: 9, status: 'Awaiting Provisioning' })
      expect(mailer.sent().map((mail) => mail.subject)).toEqual([
        'Provisioning request: Visio to 5 seats', 'Reactivation request: Visio at 9 seats',
      ])
      expect((await app.sendDueReminders()).sent.map((mail) => mail.subject)).toEqual(['Reminder 1: Visio still awaits provisioning (5 seats)'])
      const audit = await app.audit()
      expect(audit.violations).toEqual([])
      expect(leftOf(await app.reactivateSubscription({ subscriptionId: visio.subscriptionId }))._tag).toBe('SubscriptionNotSuspended')
    })
  })

  describe('cancellation', () => {
    it('records the change to zero, asks a Manual provider to cancel, cancels through the gateway, and takes no further change', async () => {
      const { app, gateway, mailer } = await seatflows.start()
      const visio = right(await app.createSubscription(subscription('Visio', defaultProviderIds.manual, 5)))
      const cancelled = right(await app.cancelSubscription({ subscriptionId: visio.subscriptionId }))
      expect(await rowOf(app, cancelled.licenseChangeId)).toMatchObject({ kind: 'cancellation', previousQuantity: 5, newQuantity: 0, delta: -5, status: 'Awaiting Provisioning' })
      expect(mailer.sent().map((mail) => mail.subject)).toContain('Cancellation request: Visio (5 seats)')
      expect(await app.subscription(visio.subscriptionId)).toMatchObject({ status: 'Cancelled', quantity: 0 })
      expect(leftOf(await app.changeQuantity({ subscriptionId: visio.subscriptionId, quantity: 3 }))._tag).toBe('SubscriptionCancelled')

      const power = right(await app.createSubscription(subscription('Power BI', defaultProviderIds.partnerCenter, 4)))
      const gone = right(await app.cancelSubscription({ subscriptionId: power.subscriptionId }))
      expect(await rowOf(app, gone.licenseChangeId)).toMatchObject({ status: 'Provisioned', kind: 'cancellation' })
      expect(gateway.calls().map((call) => call.request.action)).toEqual(['set quantity', 'cancel'])
      expect(gateway.quantityOf(power.subscriptionId)).toBe(0)
      expect((await app.audit()).violations).toEqual([])
    })
  })

  describe('invoicing', () => {
    it('archives the Active changes of a period per billing run, once; another run is refused and writes nothing', async () => {
      const { app, clock } = await seatflows.start()
      const teams = right(await app.createSubscription(subscription('Teams', defaultProviderIds.doNothing, 5)))
      clock.advanceHours(24)
      right(await app.changeQuantity({ subscriptionId: teams.subscriptionId, quantity: 8 }))
      const inJanuaryFifth = await app.activeLicenseChanges({ to: new Date(hours(24)) })
      expect(inJanuaryFifth.map((line) => [line.newQuantity, line.billableDelta])).toEqual([[5, 5]])

      const run = right(await app.invoicePeriod('run-2026-01-05', { to: new Date(hours(24)) }))
      expect(run.marked).toHaveLength(1)
      expect(right(await app.invoicePeriod('run-2026-01-05', { to: new Date(hours(24)) })).marked).toEqual([])
      const archived = (await app.licenseChanges({ statusReason: 'Archived' })).rows
      expect(archived.map((row) => [row.newQuantity, row.billingRunId])).toEqual([[5, 'run-2026-01-05']])
      expect((await app.licenseChanges({ statusReason: 'Active' })).rows.map((row) => row.newQuantity)).toEqual([8])

      const before = await countOf(app, 'LicenseChangeInvoiced')
      const active = (await app.activeLicenseChanges())[0]?.licenseChangeId
      const both = [active, archived[0]?.licenseChangeId]
      expect(leftOf(await app.markInvoiced({ billingRunId: 'run-other', licenseChangeIds: both }))).toMatchObject({ _tag: 'AlreadyInvoiced', billingRunId: 'run-2026-01-05' })
      expect(await countOf(app, 'LicenseChangeInvoiced')).toBe(before)
      expect(right(await app.markInvoiced({ billingRunId: 'run-2026-01-05', licenseChangeIds: both }))).toMatchObject({ marked: [active], alreadyInRun: [archived[0]?.licenseChangeId] })
    })
  })

  describe('reminder digests', () => {
    it('send one mail per owner and due time listing every change, while each change counts its own reminders', async () => {
      const { app, clock, mailer } = await seatflows.start({ reminderDigest: true })
      const products = ['Visio', 'Project', 'Planner']
      for (const product of products) right(await app.createSubscription(subscription(product, defaultProviderIds.manual, 2)))
      right(await app.createSubscription({ ...subscription('Teams', defaultProviderIds.manual, 1), contractOwnerEmail: 'other@customer.example' }))
      clock.advanceHours(24)
      const first = await app.sendDueReminders()
      const byOwner = [...first.sent].sort((a, b) => b.subject.localeCompare(a.subject))
      expect(byOwner.map((mail) => [mail.to, mail.subject])).toEqual([
        [['owner@customer.example'], 'Reminder: 3 License Changes await provisioning'],
        [['other@customer.example'], 'Reminder 1: Teams still awaits provisioning (1 seats)'],
      ])
      expect(byOwner[0]?.text.split('\n').filter((line) => line.startsWith('- ')).map((line) => line.split(' (')[0])).toEqual(expect.arrayContaining(products.map((p) => `- ${p}`)))
      expect((await app.sendDueReminders()).sent).toEqual([])
      clock.advanceHours(24)
      expect((await app.sendDueReminders()).sent).toHaveLength(2)
      expect((await app.licenseChangeLog()).map((row) => row.remindersSent)).toEqual([2, 2, 2, 2])
      expect(await countOf(app, 'ProvisioningReminderSent')).toBe(8)
      expect(mailer.sent()).toHaveLength(4 + 4)
      expect((await app.audit()).violations).toEqual([])
    })
  })

  describe('an accepted attempt the provider never confirms', () => {
    it('ends Failed Provisioning after confirmWithinHours, saying since when, and can be re-queued', async () => {
      const gateway = createScriptedGateway(1000)
      const { app, clock } = await seatflows.start({ confirmWithinHours: 2, gateways: { 'Partner Center': gateway } })
      gateway.queue({ _tag: 'Accepted', reference: 'op-1', retryAfterSeconds: 1800 })
      const power = right(await app.createSubscription(subscription('Power BI', defaultProviderIds.partnerCenter, 4)))
      const change = (await rowsOf(app, power.subscriptionId))[0]?.licenseChangeId ?? null
      expect(await rowOf(app, change)).toMatchObject({ status: 'Awaiting Provisioning', pendingReference: 'op-1' })
      for (let step = 0; step < 5; step += 1) {
        clock.advanceHours(0.5)
        await app.process()
      }
      expect(await rowOf(app, change)).toMatchObject({
        status: 'Failed Provisioning', message: `not confirmed by the provider since ${startedAt} (reference op-1); re-queue it to send it again`,
      })
      right(await app.requeue({ licenseChangeId: change, by: 'Dana', reason: 'asked Microsoft' }))
      expect(await rowOf(app, change)).toMatchObject({ status: 'Provisioned' })
      expect(gateway.calls().filter((call) => call.operation === 'changeQuantity').map((call) => call.request.attempt)).toEqual([1, 2])
    })
  })
})
