import { CopiedEmailAddressesKey } from '../../src/domain/events'
import { derivedId, defaultProviderIds } from '../../src/domain/ids'
import { openStorage } from '../../src/store/open'
import {
  allEvents, buildRichHistory, countOf, createFlakyMailer, createScriptedGateway, leftOf, right, rowOf, rowsOf,
  startedAt, storageOf, storeKinds, subscription, useSeatflows,
} from '../support/app'

const hours = (n: number): string => new Date(Date.parse(startedAt) + n * 3_600_000).toISOString()
const attemptKey = (licenseChangeId: string, attempt: number): string => derivedId(`provisioning-attempt:${licenseChangeId}:${attempt}`)

describe.each(storeKinds)('application flows on the %s store', (kind) => {
  const seatflows = useSeatflows(kind)

  describe('providers', () => {
    it('has the three default providers after start, and a second start on the same store adds none', async () => {
      const { app, url } = await seatflows.start()
      const expected = [
        { providerId: defaultProviderIds.doNothing, name: 'Do Nothing Provider', kind: 'Do Nothing', active: true, configuration: { kind: 'Do Nothing' } },
        { providerId: defaultProviderIds.manual, name: 'Manual Provider', kind: 'Manual', active: true, configuration: { kind: 'Manual', provisioningEmail: 'provisioning@example.com' } },
        { providerId: defaultProviderIds.partnerCenter, name: 'Partner Center', kind: 'Automatic', active: true, configuration: { kind: 'Automatic', system: 'Partner Center', maxAttempts: 3 } },
      ]
      const byName = (a: { readonly name: string }, b: { readonly name: string }): number => a.name.localeCompare(b.name)
      expect([...await app.providers()].sort(byName)).toEqual(expected.map((provider) => ({ ...provider, registeredAt: startedAt })))
      expect(await countOf(app, 'ProviderRegistered')).toBe(3)
      const position = await storageOf(app).events.lastPosition()

      let again
      if (kind === 'sqlite') {
        await app.close()
        again = await seatflows.open({ store: url })
      } else {
        const storage = openStorage('memory:')
        const first = await seatflows.open({ store: storage })
        expect(await countOf(first, 'ProviderRegistered')).toBe(3)
        again = await seatflows.open({ store: storage })
      }
      expect(await countOf(again, 'ProviderRegistered')).toBe(3)
      expect((await again.providers()).map((provider) => provider.name).sort()).toEqual(['Do Nothing Provider', 'Manual Provider', 'Partner Center'])
      if (kind === 'sqlite') expect(await storageOf(again).events.lastPosition()).toBe(position)
    })

    it('registers a second Manual and an Automatic TechData provider, changes a configuration, and a deactivated provider takes nothing new', async () => {
      const techDataGateway = createScriptedGateway()
      const { app, mailer } = await seatflows.start({ gateways: { TechData: techDataGateway } })
      const distributor = right(await app.registerProvider({ name: 'Distributor Manual', kind: 'Manual', provisioningEmail: 'orders@distributor.example' }))
      const techData = right(await app.registerProvider({ name: 'TechData', kind: 'Automatic', system: 'TechData' }))
      const providers = await app.providers()
      expect(providers).toHaveLength(5)
      expect(providers.find((p) => p.providerId === distributor.providerId)).toEqual({
        providerId: distributor.providerId, name: 'Distributor Manual', kind: 'Manual', active: true,
        configuration: { kind: 'Manual', provisioningEmail: 'orders@distributor.example' }, registeredAt: startedAt,
      })
      expect(providers.find((p) => p.providerId === techData.providerId)?.configuration).toEqual({ kind: 'Automatic', system: 'TechData', maxAttempts: 3 })

      right(await app.changeProviderConfiguration({ providerId: distributor.providerId, provisioningEmail: 'seats@distributor.example' }))
      right(await app.changeProviderConfiguration({ providerId: techData.providerId, name: 'TechData StreamOne', maxAttempts: 5 }))
      const changed = await app.providers()
      expect(changed.find((p) => p.providerId === distributor.providerId)).toMatchObject({ name: 'Distributor Manual', configuration: { kind: 'Manual', provisioningEmail: 'seats@distributor.example' } })
      expect(changed.find((p) => p.providerId === techData.providerId)).toMatchObject({ name: 'TechData StreamOne', configuration: { kind: 'Automatic', system: 'TechData', maxAttempts: 5 } })

      // The second Manual provider mails its own, changed address.
      const visio = right(await app.createSubscription(subscription('Visio', distributor.providerId, 2)))
      expect(mailer.sent().map((mail) => mail.to)).toEqual([['seats@distributor.example']])
      expect((await rowOf(app, visio.licenseChangeId)).provisioningEmail).toBe('seats@distributor.example')
      // The TechData provider goes through the TechData gateway.
      const acrobat = right(await app.createSubscription(subscription('Acrobat', techData.providerId, 4)))
      expect(techDataGateway.calls().map((call) => call.request.system)).toEqual(['TechData'])
      expect(await rowOf(app, acrobat.licenseChangeId)).toMatchObject({ status: 'Provisioned', provisionedBy: 'TechData', provider: 'TechData StreamOne' })

      right(await app.deactivateProvider({ providerId: techData.providerId }))
      expect((await app.providers()).find((p) => p.providerId === techData.providerId)?.active).toBe(false)
      const before = await storageOf(app).events.lastPosition()
      expect(leftOf(await app.createSubscription(subscription('Acrobat Pro', techData.providerId, 1))))
        .toEqual({ _tag: 'ProviderDeactivated', providerId: techData.providerId, name: 'TechData StreamOne' })
      expect(leftOf(await app.changeQuantity({ subscriptionId: acrobat.subscriptionId, quantity: 6 })))
        .toEqual({ _tag: 'ProviderDeactivated', providerId: techData.providerId, name: 'TechData StreamOne' })
      expect(await storageOf(app).events.lastPosition()).toBe(before)
      expect(techDataGateway.calls()).toHaveLength(1)
    })
  })

  describe('the copied-addresses setting', () => {
    it('shows who changed it, and each request copies the addresses in force when its change was recorded', async () => {
      const { app, clock, mailer } = await seatflows.start()
      right(await app.setCopiedEmailAddresses({ addresses: ['ops@reseller.example', 'finance@reseller.example'], actor: 'Alice' }))
      expect(await app.settings()).toEqual([{ key: CopiedEmailAddressesKey, value: ['ops@reseller.example', 'finance@reseller.example'], changedAt: startedAt, changedBy: 'Alice' }])

      const exchange = right(await app.createSubscription(subscription('Exchange Online', defaultProviderIds.manual, 3)))
      expect(mailer.sent()).toHaveLength(1)
      expect(mailer.sent()[0]).toMatchObject({ to: ['provisioning@example.com'], cc: ['ops@reseller.example', 'finance@reseller.example'] })

      clock.advanceHours(2)
      right(await app.setCopiedEmailAddresses({ addresses: ['licensing@reseller.example'], actor: 'Bob' }))
      expect(await app.settings()).toEqual([{ key: CopiedEmailAddressesKey, value: ['licensing@reseller.example'], changedAt: hours(2), changedBy: 'Bob' }])
      right(await app.changeQuantity({ subscriptionId: exchange.subscriptionId, quantity: 4 }))
      expect(mailer.sent().map((mail) => mail.cc)).toEqual([['ops@reseller.example', 'finance@reseller.example'], ['licensing@reseller.example']])
      expect((await rowsOf(app, exchange.subscriptionId)).map((row) => row.copiedEmails))
        .toEqual([['ops@reseller.example', 'finance@reseller.example'], ['licensing@reseller.example']])
    })

    it('copies the addresses as they stood when the change was recorded, even when the mail goes out after the setting changed', async () => {
      const { app, mailer } = await seatflows.start({ autoProcess: false })
      right(await app.setCopiedEmailAddresses({ addresses: ['ops@reseller.example'] }))
      const exchange = right(await app.createSubscription(subscription('Exchange Online', defaultProviderIds.manual, 3)))
      right(await app.setCopiedEmailAddresses({ addresses: ['licensing@reseller.example'] }))
      expect(mailer.sent()).toEqual([])
      await app.process()
      expect(mailer.sent().map((mail) => [mail.to, mail.cc])).toEqual([[['provisioning@example.com'], ['ops@reseller.example']]])
      expect((await app.settings())[0]).toMatchObject({ changedBy: 'host', value: ['licensing@reseller.example'] })
      const later = right(await app.changeQuantity({ subscriptionId: exchange.subscriptionId, quantity: 4 }))
      await app.process()
      expect(mailer.sent().map((mail) => mail.cc)).toEqual([['ops@reseller.example'], ['licensing@reseller.example']])
      expect((await rowOf(app, later.licenseChangeId)).copiedEmails).toEqual(['licensing@reseller.example'])
    })
  })

  describe('Do Nothing and Manual providers', () => {
    it('records a Do Nothing change as Not Applicable and sends no mail', async () => {
      const { app, mailer } = await seatflows.start()
      const service = right(await app.createSubscription(subscription('Onboarding service', defaultProviderIds.doNothing, 5)))
      right(await app.changeQuantity({ subscriptionId: service.subscriptionId, quantity: 2 }))
      expect((await rowsOf(app, service.subscriptionId)).map((row) => [row.status, row.previousQuantity, row.newQuantity, row.message])).toEqual([
        ['Not Applicable', 0, 5, 'Do Nothing Provider is a Do Nothing provider: nothing to provision'],
        ['Not Applicable', 5, 2, 'Do Nothing Provider is a Do Nothing provider: nothing to provision'],
      ])
      expect(mailer.sent()).toEqual([])
      expect(await app.dueReminders(new Date(hours(100)))).toEqual([])
    })

    it('a manual change waits for provisioning, mails the provider once and reminds the contract owner daily until provisioned', async () => {
      const { app, clock, mailer } = await seatflows.start({ manualProvisioningEmail: 'team@distributor.example' })
      right(await app.setCopiedEmailAddresses({ addresses: ['ops@reseller.example'] }))
      const exchange = right(await app.createSubscription(subscription('Exchange Online', defaultProviderIds.manual, 3)))
      const change = await rowOf(app, exchange.licenseChangeId)
      expect(change).toMatchObject({ status: 'Awaiting Provisioning', providerKind: 'Manual', requestedAt: startedAt, remindersSent: 0 })
      expect(mailer.sent()).toEqual([{
        id: derivedId(`provisioning-request:${change.licenseChangeId}`),
        to: ['team@distributor.example'], cc: ['ops@reseller.example'],
        subject: 'Provisioning request: Exchange Online to 3 seats', text: expect.stringContaining('to 3'),
        html: expect.stringContaining('<th align="left">New quantity</th><td>3</td>'),
      }])

      clock.advanceHours(23.99)
      expect(await app.dueReminders()).toEqual([])
      expect((await app.sendDueReminders()).sent).toEqual([])
      clock.set(hours(24))
      expect(await app.dueReminders()).toEqual([{
        licenseChangeId: change.licenseChangeId, subscriptionId: exchange.subscriptionId, product: 'Exchange Online',
        to: 'owner@customer.example', sequence: 1, dueAt: hours(24),
      }])
      const first = await app.sendDueReminders()
      expect(first.sent.map((mail) => [mail.to, mail.subject])).toEqual([[['owner@customer.example'], 'Reminder 1: Exchange Online still awaits provisioning (3 seats)']])
      expect((await app.sendDueReminders()).sent).toEqual([])
      clock.set(hours(47.9))
      expect((await app.sendDueReminders()).sent).toEqual([])
      clock.set(hours(48))
      expect((await app.sendDueReminders()).sent.map((mail) => mail.subject)).toEqual(['Reminder 2: Exchange Online still awaits provisioning (3 seats)'])
      expect(await rowOf(app, change.licenseChangeId)).toMatchObject({ remindersSent: 2, lastNotifiedAt: hours(48) })
      expect(mailer.sent()).toHaveLength(3)

      clock.set(hours(50))
      right(await app.markProvisioned({ licenseChangeId: change.licenseChangeId, by: 'Dana' }))
      expect(await rowOf(app, change.licenseChangeId)).toMatchObject({ status: 'Provisioned', provisionedBy: 'Dana', provisionedAt: hours(50) })
      for (const at of [72, 96, 500]) {
        clock.set(hours(at))
        expect(await app.dueReminders()).toEqual([])
        expect((await app.sendDueReminders()).sent).toEqual([])
      }
      expect(await countOf(app, 'ProvisioningReminderSent')).toBe(2)
      expect(mailer.sent()).toHaveLength(3)

      const before = await storageOf(app).events.lastPosition()
      expect(leftOf(await app.markProvisioned({ licenseChangeId: change.licenseChangeId, by: 'Dana' })))
        .toEqual({ _tag: 'NotAwaitingProvisioning', licenseChangeId: change.licenseChangeId, status: 'Provisioned' })
      expect(await storageOf(app).events.lastPosition()).toBe(before)
      expect((await app.audit()).violations).toEqual([])
    })

    it('honours the reminderIntervalHours option', async () => {
      const { app, clock, mailer } = await seatflows.start({ reminderIntervalHours: 4 })
      right(await app.createSubscription(subscription('Exchange Online', defaultProviderIds.manual, 3)))
      clock.set(hours(3.9))
      expect((await app.sendDueReminders()).sent).toEqual([])
      clock.set(hours(4))
      expect((await app.sendDueReminders()).sent.map((mail) => mail.subject)).toEqual(['Reminder 1: Exchange Online still awaits provisioning (3 seats)'])
      clock.set(hours(7.9))
      expect(await app.dueReminders()).toEqual([])
      clock.set(hours(8))
      expect((await app.dueReminders()).map((due) => [due.sequence, due.dueAt])).toEqual([[2, hours(8)]])
      // However late the check, one reminder at a time.
      clock.set(hours(30))
      expect((await app.sendDueReminders()).sent.map((mail) => mail.subject)).toEqual(['Reminder 2: Exchange Online still awaits provisioning (3 seats)'])
      expect(mailer.sent()).toHaveLength(3)
    })
  })

  describe('automatic providers', () => {
    it('provisions through the gateway with the absolute target quantity and a stable key per attempt', async () => {
      const { app, gateway } = await seatflows.start()
      const teams = right(await app.createSubscription(subscription('Teams Premium', defaultProviderIds.partnerCenter, 10)))
      const first = await rowOf(app, teams.licenseChangeId)
      expect(first).toMatchObject({ status: 'Provisioned', provisionedBy: 'Partner Center', provisionedAt: startedAt, attempts: 0, message: 'Provisioned by Partner Center' })
      const lower = right(await app.changeQuantity({ subscriptionId: teams.subscriptionId, quantity: 7 }))
      expect(gateway.calls()).toEqual([
        { operation: 'changeQuantity', request: {
          licenseChangeId: teams.licenseChangeId, subscriptionId: teams.subscriptionId, providerId: defaultProviderIds.partnerCenter,
          system: 'Partner Center', action: 'set quantity', product: 'Teams Premium', targetQuantity: 10, previousQuantity: 0, attempt: 1,
          idempotencyKey: attemptKey(first.licenseChangeId, 1),
        } },
        { operation: 'changeQuantity', request: expect.objectContaining({
          licenseChangeId: lower.licenseChangeId, targetQuantity: 7, previousQuantity: 10, attempt: 1, idempotencyKey: attemptKey(lower.licenseChangeId, 1),
        }) },
      ])
      expect(gateway.quantityOf(teams.subscriptionId)).toBe(7)
      expect((await rowOf(app, lower.licenseChangeId)).status).toBe('Provisioned')
    })

    it('waits on an accepted attempt and records it provisioned on a later process()', async () => {
      const { app, gateway } = await seatflows.start()
      gateway.queue({ _tag: 'Accepted', reference: 'PC-42' })
      const teams = right(await app.createSubscription(subscription('Teams Premium', defaultProviderIds.partnerCenter, 10)))
      expect(await rowOf(app, teams.licenseChangeId)).toMatchObject({ status: 'Awaiting Provisioning', attempts: 1, pendingReference: 'PC-42', provisionedAt: null })
      expect(gateway.calls().map((call) => call.operation)).toEqual(['changeQuantity'])
      const report = await app.process()
      expect(report.changesTried).toBe(1)
      const key = attemptKey(String(teams.licenseChangeId), 1)
      expect(gateway.calls().map((call) => [call.operation, call.request.idempotencyKey])).toEqual([['changeQuantity', key], ['checkPending', key]])
      expect(await rowOf(app, teams.licenseChangeId)).toMatchObject({ status: 'Provisioned', pendingReference: null, provisionedBy: 'Partner Center' })
      expect((await app.process()).changesTried).toBe(0)
      expect(gateway.calls()).toHaveLength(2)
    })

    it('tries a transient failure again until maxAttempts, then fails with the reason', async () => {
      const { app, gateway, clock } = await seatflows.start()
      gateway.queue(...Array.from({ length: 5 }, () => ({ _tag: 'TransientFailure' as const, reason: 'Partner Center timed out' })))
      const teams = right(await app.createSubscription(subscription('Teams Premium', defaultProviderIds.partnerCenter, 10)))
      expect(await rowOf(app, teams.licenseChangeId)).toMatchObject({ status: 'Awaiting Provisioning', attempts: 1, message: expect.stringMatching(/^Attempt 1 failed: Partner Center timed out; attempt 2 not before /) })
      expect((await app.process()).changesTried).toBe(0)
      clock.advanceHours(1)
      await app.process()
      expect(await rowOf(app, teams.licenseChangeId)).toMatchObject({ status: 'Awaiting Provisioning', attempts: 2 })
      clock.advanceHours(1)
      await app.process()
      expect(await rowOf(app, teams.licenseChangeId)).toMatchObject({
        status: 'Failed Provisioning', attempts: 3, message: 'Partner Center timed out (gave up after 3 attempts)', provisionedAt: null,
      })
      expect((await app.process()).changesTried).toBe(0)
      expect(gateway.calls().map((call) => call.request.attempt)).toEqual([1, 2, 3])
      expect(new Set(gateway.calls().map((call) => call.request.idempotencyKey)).size).toBe(3)
      expect(await countOf(app, 'ProvisioningAttemptFailed')).toBe(3)
      expect(await countOf(app, 'ProvisioningFailed')).toBe(1)
    })

    it('fails at once on a permanent failure, and a re-queued change is provisioned afterwards', async () => {
      const { app, gateway } = await seatflows.start()
      gateway.queue({ _tag: 'PermanentFailure', reason: 'offer not found', code: 'OfferNotFound' })
      const teams = right(await app.createSubscription(subscription('Teams Premium', defaultProviderIds.partnerCenter, 10)))
      expect(await rowOf(app, teams.licenseChangeId)).toMatchObject({ status: 'Failed Provisioning', attempts: 1, message: 'OfferNotFound: offer not found' })
      expect((await app.process()).changesTried).toBe(0)

      gateway.queue({ _tag: 'Accepted', reference: 'PC-7' })
      right(await app.requeue({ licenseChangeId: teams.licenseChangeId, by: 'Dana', reason: 'offer fixed' }))
      expect(await rowOf(app, teams.licenseChangeId)).toMatchObject({ status: 'Awaiting Provisioning', attempts: 2, pendingReference: 'PC-7' })
      await app.process()
      expect(await rowOf(app, teams.licenseChangeId)).toMatchObject({ status: 'Provisioned', provisionedBy: 'Partner Center' })
      const changeEvents = (await allEvents(app)).filter((event) => event.streamId === `licensechange-${teams.licenseChangeId}`)
      expect(changeEvents.map((event) => event.type)).toEqual([
        'LicenseChangeRecorded', 'ProvisioningAttemptFailed', 'ProvisioningFailed', 'ProvisioningRequeued', 'ProvisioningAccepted', 'LicenseChangeProvisioned',
      ])
      expect(changeEvents[3]?.metadata).toMatchObject({ actor: 'Dana' })
      expect(gateway.quantityOf(teams.subscriptionId)).toBe(10)
      expect((await app.audit()).violations).toEqual([])
    })

    it('holds a later change of a subscription back until the earlier one is resolved, so the provider ends at the latest quantity', async () => {
      const { app, gateway, clock } = await seatflows.start()
      const teams = right(await app.createSubscription(subscription('Teams Premium', defaultProviderIds.partnerCenter, 10)))
      gateway.queue({ _tag: 'TransientFailure', reason: 'Partner Center timed out' }, { _tag: 'TransientFailure', reason: 'Partner Center timed out' })
      const earlier = right(await app.changeQuantity({ subscriptionId: teams.subscriptionId, quantity: 12 }))
      const later = right(await app.changeQuantity({ subscriptionId: teams.subscriptionId, quantity: 14 }))
      clock.advanceHours(1)
      await app.process()
      expect(await rowOf(app, earlier.licenseChangeId)).toMatchObject({ status: 'Awaiting Provisioning', attempts: 2 })
      expect(await rowOf(app, later.licenseChangeId)).toMatchObject({
        status: 'Awaiting Provisioning', attempts: 0, waitingFor: earlier.licenseChangeId,
        message: `Waiting for License Change ${earlier.licenseChangeId} (Awaiting Provisioning) of this subscription`,
      })
      expect(gateway.calls().map((call) => call.request.targetQuantity)).toEqual([10, 12, 12])
      clock.advanceHours(1)
      await app.process()
      expect(gateway.calls().map((call) => [call.request.targetQuantity, call.request.attempt])).toEqual([[10, 1], [12, 1], [12, 2], [12, 3], [14, 1]])
      expect((await rowsOf(app, teams.subscriptionId)).map((row) => row.status)).toEqual(['Provisioned', 'Provisioned', 'Provisioned'])
      expect(gateway.quantityOf(teams.subscriptionId)).toBe(14)
    })

    it('leaves an automatic change Awaiting Provisioning when its provider has no gateway', async () => {
      const { app } = await seatflows.start()
      const synnex = right(await app.registerProvider({ name: 'Synnex', kind: 'Automatic', system: 'Synnex' }))
      const acrobat = right(await app.createSubscription(subscription('Acrobat', synnex.providerId, 2)))
      const report = await app.process()
      expect(report).toMatchObject({ changesTried: 0, unconfigured: [acrobat.licenseChangeId] })
      expect(await rowOf(app, acrobat.licenseChangeId)).toMatchObject({ status: 'Awaiting Provisioning', attempts: 0, system: 'Synnex' })
    })
  })

  describe('bundles', () => {
    it('a parent change sets each child to parent × multiplier and each child provider acts; a child cannot change on its own', async () => {
      const { app, mailer, gateway } = await seatflows.start()
      const parent = right(await app.createSubscription(subscription('M365 Bundle', defaultProviderIds.doNothing, 2)))
      const exchange = right(await app.createSubscription({ ...subscription('Exchange Online', defaultProviderIds.manual), bundle: { parentId: parent.subscriptionId, multiplier: 1 } }))
      const teams = right(await app.createSubscription({ ...subscription('Teams Phone', defaultProviderIds.partnerCenter), bundle: { parentId: parent.subscriptionId, multiplier: 5 } }))
      expect(mailer.sent().map((mail) => mail.subject)).toEqual(['Provisioning request: Exchange Online to 2 seats'])
      expect(gateway.quantityOf(teams.subscriptionId)).toBe(10)

      right(await app.changeQuantity({ subscriptionId: parent.subscriptionId, quantity: 3 }))
      const quantities = new Map((await app.subscriptions()).map((row) => [row.subscriptionId, row.quantity]))
      expect([quantities.get(parent.subscriptionId), quantities.get(exchange.subscriptionId), quantities.get(teams.subscriptionId)]).toEqual([3, 3, 15])
      expect((await rowsOf(app, exchange.subscriptionId)).map((row) => [row.origin, row.previousQuantity, row.newQuantity, row.status]))
        .toEqual([['host', 0, 2, 'Awaiting Provisioning'], ['bundle', 2, 3, 'Awaiting Provisioning']])
      expect((await rowsOf(app, teams.subscriptionId)).map((row) => [row.origin, row.previousQuantity, row.newQuantity, row.status]))
        .toEqual([['host', 0, 10, 'Provisioned'], ['bundle', 10, 15, 'Provisioned']])
      expect((await rowsOf(app, parent.subscriptionId)).map((row) => row.status)).toEqual(['Not Applicable', 'Not Applicable'])
      expect(mailer.sent().map((mail) => mail.subject)).toEqual(['Provisioning request: Exchange Online to 2 seats', 'Provisioning request: Exchange Online to 3 seats'])
      expect(gateway.calls().map((call) => call.request.targetQuantity)).toEqual([10, 15])
      expect(gateway.quantityOf(teams.subscriptionId)).toBe(15)

      const before = await storageOf(app).events.lastPosition()
      expect(leftOf(await app.changeQuantity({ subscriptionId: teams.subscriptionId, quantity: 20 })))
        .toEqual({ _tag: 'BundleChildFollowsParent', subscriptionId: teams.subscriptionId, parentId: parent.subscriptionId })
      expect(await storageOf(app).events.lastPosition()).toBe(before)
      expect((await app.audit()).violations).toEqual([])
    })
  })

  describe('two-way sync', () => {
    it('records a quantity the provider reports as a Not Applicable change from the provider; the same quantity writes nothing', async () => {
      const { app, gateway, mailer } = await seatflows.start()
      const teams = right(await app.createSubscription(subscription('Teams Premium', defaultProviderIds.partnerCenter, 10)))
      const exchange = right(await app.createSubscription(subscription('Exchange Online', defaultProviderIds.manual, 3)))
      const synced = right(await app.recordProviderQuantity({ subscriptionId: teams.subscriptionId, quantity: 12 }))
      right(await app.recordProviderQuantity({ subscriptionId: exchange.subscriptionId, quantity: 1 }))
      expect(await rowOf(app, synced.licenseChangeId)).toMatchObject({
        origin: 'provider', status: 'Not Applicable', previousQuantity: 10, newQuantity: 12, delta: 2,
        message: 'Changed at Partner Center (two-way sync): nothing to provision',
      })
      expect((await rowsOf(app, exchange.subscriptionId)).map((row) => [row.origin, row.status])).toEqual([['host', 'Awaiting Provisioning'], ['provider', 'Not Applicable']])
      expect(gateway.calls()).toHaveLength(1)
      expect(mailer.sent()).toHaveLength(1)
      expect((await app.subscriptions()).find((row) => row.subscriptionId === teams.subscriptionId)?.quantity).toBe(12)

      const before = await storageOf(app).events.lastPosition()
      expect(leftOf(await app.recordProviderQuantity({ subscriptionId: teams.subscriptionId, quantity: 12 })))
        .toEqual({ _tag: 'QuantityUnchanged', subscriptionId: teams.subscriptionId, quantity: 12 })
      expect(await storageOf(app).events.lastPosition()).toBe(before)
    })
  })

  describe('the License Change Log', () => {
    it('carries each change with its provider, quantities, status, times and who provisioned it', async () => {
      const { app, clock } = await seatflows.start()
      const exchange = right(await app.createSubscription(subscription('Exchange Online', defaultProviderIds.manual, 3)))
      clock.advanceHours(1)
      const more = right(await app.changeQuantity({ subscriptionId: exchange.subscriptionId, quantity: 8 }))
      clock.advanceHours(24)
      await app.sendDueReminders()
      const teams = right(await app.createSubscription(subscription('Teams Premium', defaultProviderIds.partnerCenter, 4)))
      const pick = (row: Awaited<ReturnType<typeof rowOf>>) => ({
        licenseChangeId: row.licenseChangeId, subscriptionId: row.subscriptionId, provider: row.provider, providerKind: row.providerKind,
        previousQuantity: row.previousQuantity, newQuantity: row.newQuantity, delta: row.delta, status: row.status,
        recordedAt: row.recordedAt, provisionedAt: row.provisionedAt, provisionedBy: row.provisionedBy, remindersSent: row.remindersSent,
      })
      expect((await app.licenseChangeLog()).map(pick)).toEqual([
        { licenseChangeId: exchange.licenseChangeId, subscriptionId: exchange.subscriptionId, provider: 'Manual Provider', providerKind: 'Manual', previousQuantity: 0, newQuantity: 3, delta: 3, status: 'Awaiting Provisioning', recordedAt: startedAt, provisionedAt: null, provisionedBy: null, remindersSent: 1 },
        { licenseChangeId: more.licenseChangeId, subscriptionId: exchange.subscriptionId, provider: 'Manual Provider', providerKind: 'Manual', previousQuantity: 3, newQuantity: 8, delta: 5, status: 'Awaiting Provisioning', recordedAt: hours(1), provisionedAt: null, provisionedBy: null, remindersSent: 1 },
        { licenseChangeId: teams.licenseChangeId, subscriptionId: teams.subscriptionId, provider: 'Partner Center', providerKind: 'Automatic', previousQuantity: 0, newQuantity: 4, delta: 4, status: 'Provisioned', recordedAt: hours(25), provisionedAt: hours(25), provisionedBy: 'Partner Center', remindersSent: 0 },
      ])
      clock.advanceHours(1)
      right(await app.markProvisioned({ licenseChangeId: more.licenseChangeId, by: 'Dana' }))
      expect(pick(await rowOf(app, more.licenseChangeId))).toMatchObject({ status: 'Provisioned', provisionedAt: hours(26), provisionedBy: 'Dana', remindersSent: 1 })
      expect(pick(await rowOf(app, exchange.licenseChangeId))).toMatchObject({ status: 'Awaiting Provisioning', provisionedAt: null, provisionedBy: null })
    })
  })

  describe('idempotence', () => {
    it('processing again, even from a reset reactions checkpoint, appends nothing and sends no mail twice', async () => {
      const harness = await seatflows.start()
      const { app, mailer, gateway } = harness
      const history = await buildRichHistory(harness)
      const position = await storageOf(app).events.lastPosition()
      const mails = mailer.sent().length
      const calls = gateway.calls().length
      const digest = await app.digest()
      const quantities = await app.subscriptions()
      expect(quantities.find((row) => row.subscriptionId === history.lateChildId)?.quantity).toBe(8)

      await app.process()
      expect(await storageOf(app).events.lastPosition()).toBe(position)
      storageOf(app).views.update('reactions', () => 0)
      const report = await app.process()
      expect(report.reacted).toBe(position)
      expect(report.requestsSent).toBe(0)
      expect(await storageOf(app).events.lastPosition()).toBe(position)
      expect(mailer.sent()).toHaveLength(mails)
      expect(gateway.calls()).toHaveLength(calls)
      expect(await app.subscriptions()).toEqual(quantities)
      expect(await app.digest()).toBe(digest)
      expect((await app.audit()).violations).toEqual([])
    })
  })

  describe('a mailer that fails', () => {
    it('records no request until the mail goes out on a later process(); the audit is clean then', async () => {
      const mailer = createFlakyMailer()
      const { app } = await seatflows.start({ mailer })
      right(await app.setCopiedEmailAddresses({ addresses: ['ops@reseller.example'] }))
      const exchange = right(await app.createSubscription(subscription('Exchange Online', defaultProviderIds.manual, 3)))
      const licenseChangeId = exchange.licenseChangeId as string
      expect(await countOf(app, 'ProvisioningRequested')).toBe(0)
      expect(await rowOf(app, licenseChangeId)).toMatchObject({ status: 'Awaiting Provisioning', requestedAt: null, lastNotifiedAt: null })
      const failing = await app.process()
      expect(failing.requestsSent).toBe(0)
      expect(failing.mailFailures).toEqual([{ licenseChangeId, subject: 'Provisioning request: Exchange Online to 3 seats', reason: 'SMTP server unreachable' }])
      expect((await app.audit()).violations).toEqual([{ _tag: 'MissingProvisioningRequest', licenseChangeId, subscriptionId: exchange.subscriptionId }])
      expect(await app.dueReminders(new Date(hours(100)))).toEqual([])
      const before = await storageOf(app).events.lastPosition()
      expect(leftOf(await app.markProvisioned({ licenseChangeId, by: 'Dana' }))).toEqual({ _tag: 'ProvisioningRequestNotSent', licenseChangeId })
      expect(await storageOf(app).events.lastPosition()).toBe(before)

      mailer.works()
      const working = await app.process()
      expect(working.requestsSent).toBe(1)
      expect(working.mailFailures).toEqual([])
      expect(mailer.sent().map((mail) => [mail.to, mail.cc])).toEqual([[['provisioning@example.com'], ['ops@reseller.example']]])
      expect(await countOf(app, 'ProvisioningRequested')).toBe(1)
      expect((await app.audit()).violations).toEqual([])
      await app.process()
      expect(mailer.sent()).toHaveLength(1)
      right(await app.markProvisioned({ licenseChangeId, by: 'Dana' }))
    })
  })
})

