import * as E from 'fp-ts/Either'
import { Seatflow } from '../../src/app/seatflow'
import { describeError, SeatflowError } from '../../src/domain/errors'
import { defaultProviderIds } from '../../src/domain/ids'
import { right, storeKinds, subscription, useSeatflows, storageOf } from '../support/app'

const unknownId = '0f9c3b1e-7d2a-4c5b-8e6f-1a2b3c4d5e6f'

/** What a test store holds before each refusal. */
interface Fixture {
  readonly manual: { readonly subscriptionId: string; readonly licenseChangeId: string }
  readonly doNothing: { readonly subscriptionId: string; readonly licenseChangeId: string }
  readonly automatic: { readonly subscriptionId: string; readonly licenseChangeId: string }
  readonly unconfigured: { readonly subscriptionId: string; readonly licenseChangeId: string }
  readonly parentId: string
  readonly childId: string
  readonly retiredProviderId: string
  readonly retired: { readonly subscriptionId: string }
  readonly synnexId: string
}

const created = (result: { readonly subscriptionId: string; readonly licenseChangeId: string | null }) => {
  if (result.licenseChangeId === null) throw new Error('expected a License Change')
  return { subscriptionId: result.subscriptionId, licenseChangeId: result.licenseChangeId }
}

const arrange = async (app: Seatflow): Promise<Fixture> => {
  right(await app.setCopiedEmailAddresses({ addresses: ['ops@reseller.example'] }))
  const manual = created(right(await app.createSubscription(subscription('Exchange Online', defaultProviderIds.manual, 2))))
  const doNothing = created(right(await app.createSubscription(subscription('Onboarding', defaultProviderIds.doNothing, 1))))
  const automatic = created(right(await app.createSubscription(subscription('Teams Premium', defaultProviderIds.partnerCenter, 3))))
  const synnex = right(await app.registerProvider({ name: 'Synnex', kind: 'Automatic', system: 'Synnex' }))
  const unconfigured = created(right(await app.createSubscription(subscription('Acrobat', synnex.providerId, 4))))
  const parent = right(await app.createSubscription(subscription('M365 Bundle', defaultProviderIds.doNothing, 2)))
  const child = right(await app.createSubscription({ ...subscription('Defender', defaultProviderIds.manual), bundle: { parentId: parent.subscriptionId, multiplier: 3 } }))
  const retiredProvider = right(await app.registerProvider({ name: 'Old Distributor', kind: 'Manual', provisioningEmail: 'orders@old.example' }))
  const retired = right(await app.createSubscription(subscription('Visio', retiredProvider.providerId, 1)))
  right(await app.deactivateProvider({ providerId: retiredProvider.providerId }))
  return {
    manual, doNothing, automatic, unconfigured, parentId: parent.subscriptionId, childId: child.subscriptionId,
    retiredProviderId: retiredProvider.providerId, retired, synnexId: synnex.providerId,
  }
}

interface Refusal {
  readonly name: string
  readonly run: (app: Seatflow, f: Fixture) => Promise<E.Either<SeatflowError, unknown>>
  /** The exact error, or for InvalidCommand the command and one problem it must name. */
  readonly expected: (f: Fixture) => SeatflowError | { readonly invalid: string; readonly problem: string }
  /** What the sentence must say. */
  readonly says: (f: Fixture) => string
}

const invalid = (command: string, problem: string) => () => ({ invalid: command, problem })

const refusals: ReadonlyArray<Refusal> = [
  // registerProvider
  { name: 'registerProvider with a malformed provisioning email', run: (app) => app.registerProvider({ name: 'Ingram', kind: 'Manual', provisioningEmail: 'orders@' }), expected: invalid('RegisterProvider', 'provisioningEmail: expected Email, got "orders@"'), says: () => 'RegisterProvider is invalid: ' },
  { name: 'registerProvider of an unknown kind', run: (app) => app.registerProvider({ name: 'Robot', kind: 'Robot' }), expected: () => ({ _tag: 'InvalidCommand', command: 'RegisterProvider', problems: ['kind: expected ProviderKind, got "Robot"'] }), says: () => 'RegisterProvider is invalid: kind: expected ProviderKind, got "Robot"' },
  { name: 'registerProvider of an unknown automatic system', run: (app) => app.registerProvider({ name: 'Acme', kind: 'Automatic', system: 'Acme' }), expected: invalid('RegisterProvider', 'system: expected AutomaticSystem, got "Acme"'), says: () => 'Acme' },
  { name: 'registerProvider with a non-integer maxAttempts', run: (app) => app.registerProvider({ name: 'TechData', kind: 'Automatic', system: 'TechData', maxAttempts: 2.5 }), expected: invalid('RegisterProvider', 'maxAttempts: expected Attempts, got 2.5'), says: () => 'maxAttempts' },
  { name: 'registerProvider with no name', run: (app) => app.registerProvider({ name: '  ', kind: 'Do Nothing' }), expected: invalid('RegisterProvider', 'name: expected NonEmptyString, got "  "'), says: () => 'name' },
  { name: 'registerProvider of a provider id already registered', run: (app) => app.registerProvider({ providerId: defaultProviderIds.manual, name: 'Manual Provider', kind: 'Manual', provisioningEmail: 'x@y.example' }), expected: () => ({ _tag: 'ProviderAlreadyRegistered', providerId: defaultProviderIds.manual }), says: () => `provider ${defaultProviderIds.manual} is already registered; change its configuration instead` },
  // changeProviderConfiguration
  { name: 'changeProviderConfiguration of an unknown provider', run: (app) => app.changeProviderConfiguration({ providerId: unknownId, name: 'Ghost' }), expected: () => ({ _tag: 'ProviderNotFound', providerId: unknownId }), says: () => `provider ${unknownId} does not exist; register it first or pick an existing provider` },
  { name: 'changeProviderConfiguration with a malformed email', run: (app) => app.changeProviderConfiguration({ providerId: defaultProviderIds.manual, provisioningEmail: 'two words@x.example' }), expected: invalid('ChangeProviderConfiguration', 'provisioningEmail: expected Email, got "two words@x.example"'), says: () => 'ChangeProviderConfiguration is invalid' },
  { name: 'changeProviderConfiguration that changes nothing', run: (app) => app.changeProviderConfiguration({ providerId: defaultProviderIds.manual, provisioningEmail: 'provisioning@example.com' }), expected: () => ({ _tag: 'ProviderUnchanged', providerId: defaultProviderIds.manual }), says: () => 'already has this name and configuration; nothing was recorded' },
  { name: 'changeProviderConfiguration with a field of another kind', run: (app) => app.changeProviderConfiguration({ providerId: defaultProviderIds.manual, system: 'Synnex' }), expected: () => ({ _tag: 'InvalidCommand', command: 'ChangeProviderConfiguration', problems: ['system does not apply to a Manual provider'] }), says: () => 'ChangeProviderConfiguration is invalid: system does not apply to a Manual provider' },
  { name: 'changeProviderConfiguration with too many attempts', run: (app) => app.changeProviderConfiguration({ providerId: defaultProviderIds.partnerCenter, maxAttempts: 21 }), expected: invalid('ChangeProviderConfiguration', 'maxAttempts: expected Attempts, got 21'), says: () => '21' },
  // deactivateProvider
  { name: 'deactivateProvider of an unknown provider', run: (app) => app.deactivateProvider({ providerId: unknownId }), expected: () => ({ _tag: 'ProviderNotFound', providerId: unknownId }), says: () => `provider ${unknownId} does not exist` },
  { name: 'deactivateProvider with a malformed id', run: (app) => app.deactivateProvider({ providerId: 'partner-center' }), expected: invalid('DeactivateProvider', 'providerId: expected ProviderId, got "partner-center"'), says: () => 'DeactivateProvider is invalid' },
  // setCopiedEmailAddresses
  { name: 'setCopiedEmailAddresses with a malformed address', run: (app) => app.setCopiedEmailAddresses({ addresses: ['ok@reseller.example', 'Ops <ops@reseller.example>'] }), expected: invalid('ChangeSetting', 'expected Email, got "Ops <ops@reseller.example>"'), says: () => 'ChangeSetting is invalid' },
  { name: 'setCopiedEmailAddresses to the same list', run: (app) => app.setCopiedEmailAddresses({ addresses: ['ops@reseller.example'] }), expected: () => ({ _tag: 'SettingUnchanged', key: 'Work365.Providers.ManualProvider.ProvisioningCopiedEmailAddresses' }), says: () => 'setting Work365.Providers.ManualProvider.ProvisioningCopiedEmailAddresses already has this value; nothing was recorded' },
  // createSubscription
  { name: 'createSubscription with a negative quantity', run: (app) => app.createSubscription(subscription('Visio', defaultProviderIds.manual, -1)), expected: invalid('CreateSubscription', 'quantity: expected Quantity, got -1'), says: () => 'CreateSubscription is invalid' },
  { name: 'createSubscription with a non-integer quantity', run: (app) => app.createSubscription(subscription('Visio', defaultProviderIds.manual, 1.5)), expected: invalid('CreateSubscription', 'quantity: expected Quantity, got 1.5'), says: () => '1.5' },
  { name: 'createSubscription with a malformed owner email', run: (app) => app.createSubscription({ ...subscription('Visio', defaultProviderIds.manual, 1), contractOwnerEmail: 'owner.customer.example' }), expected: invalid('CreateSubscription', 'contractOwnerEmail: expected Email, got "owner.customer.example"'), says: () => 'contractOwnerEmail' },
  { name: 'createSubscription on an unknown provider', run: (app) => app.createSubscription(subscription('Visio', unknownId, 1)), expected: () => ({ _tag: 'ProviderNotFound', providerId: unknownId }), says: () => `provider ${unknownId} does not exist` },
  { name: 'createSubscription on a deactivated provider', run: (app, f) => app.createSubscription(subscription('Visio', f.retiredProviderId, 1)), expected: (f) => ({ _tag: 'ProviderDeactivated', providerId: f.retiredProviderId, name: 'Old Distributor' }), says: (f) => `provider "Old Distributor" (${f.retiredProviderId}) is deactivated and takes no new subscriptions or changes` },
  { name: 'createSubscription under an unknown bundle parent', run: (app) => app.createSubscription({ ...subscription('Defender', defaultProviderIds.manual, 2), bundle: { parentId: unknownId, multiplier: 1 } }), expected: () => ({ _tag: 'BundleParentNotFound', parentId: unknownId }), says: () => `bundle parent subscription ${unknownId} does not exist` },
  { name: 'createSubscription under a parent that is not virtual', run: (app, f) => app.createSubscription({ ...subscription('Defender', defaultProviderIds.manual), bundle: { parentId: f.manual.subscriptionId, multiplier: 1 } }), expected: (f) => ({ _tag: 'BundleParentNotVirtual', parentId: f.manual.subscriptionId, providerKind: 'Manual' }), says: () => 'a bundle parent must be on a Do Nothing provider' },
  { name: 'createSubscription of a bundle child with the wrong quantity', run: (app, f) => app.createSubscription({ ...subscription('Defender', defaultProviderIds.manual, 5), bundle: { parentId: f.parentId, multiplier: 3 } }), expected: () => ({ _tag: 'BundleQuantityMismatch', expected: 6, given: 5 }), says: () => "a bundle child's quantity must be the parent's quantity times the multiplier (6), not 5" },
  { name: 'createSubscription of a bundle child with multiplier 0', run: (app, f) => app.createSubscription({ ...subscription('Defender', defaultProviderIds.manual), bundle: { parentId: f.parentId, multiplier: 0 } }), expected: invalid('CreateSubscription', 'bundle.multiplier: expected Multiplier, got 0'), says: () => 'multiplier' },
  { name: 'createSubscription with the id of an existing one', run: (app, f) => app.createSubscription({ ...subscription('Visio', defaultProviderIds.manual, 1), subscriptionId: f.manual.subscriptionId }), expected: (f) => ({ _tag: 'SubscriptionAlreadyExists', subscriptionId: f.manual.subscriptionId }), says: () => 'already exists; change its quantity instead' },
  // changeQuantity
  { name: 'changeQuantity to a negative quantity', run: (app, f) => app.changeQuantity({ subscriptionId: f.manual.subscriptionId, quantity: -3 }), expected: invalid('ChangeQuantity', 'quantity: expected Quantity, got -3'), says: () => 'ChangeQuantity is invalid' },
  { name: 'changeQuantity to a non-integer quantity', run: (app, f) => app.changeQuantity({ subscriptionId: f.manual.subscriptionId, quantity: 2.25 }), expected: invalid('ChangeQuantity', 'quantity: expected Quantity, got 2.25'), says: () => '2.25' },
  { name: 'changeQuantity of a quantity given as text', run: (app, f) => app.changeQuantity({ subscriptionId: f.manual.subscriptionId, quantity: '4' }), expected: invalid('ChangeQuantity', 'quantity: expected Quantity, got "4"'), says: () => 'quantity' },
  { name: 'changeQuantity of an unknown subscription', run: (app) => app.changeQuantity({ subscriptionId: unknownId, quantity: 4 }), expected: () => ({ _tag: 'SubscriptionNotFound', subscriptionId: unknownId }), says: () => `subscription ${unknownId} does not exist` },
  { name: 'changeQuantity to the same quantity', run: (app, f) => app.changeQuantity({ subscriptionId: f.manual.subscriptionId, quantity: 2 }), expected: (f) => ({ _tag: 'QuantityUnchanged', subscriptionId: f.manual.subscriptionId, quantity: 2 }), says: (f) => `subscription ${f.manual.subscriptionId} already has quantity 2; nothing was recorded` },
  { name: 'changeQuantity on a deactivated provider', run: (app, f) => app.changeQuantity({ subscriptionId: f.retired.subscriptionId, quantity: 2 }), expected: (f) => ({ _tag: 'ProviderDeactivated', providerId: f.retiredProviderId, name: 'Old Distributor' }), says: () => 'is deactivated' },
  { name: 'changeQuantity of a bundle child', run: (app, f) => app.changeQuantity({ subscriptionId: f.childId, quantity: 9 }), expected: (f) => ({ _tag: 'BundleChildFollowsParent', subscriptionId: f.childId, parentId: f.parentId }), says: (f) => `subscription ${f.childId} is a bundle child of ${f.parentId}; change the parent's quantity instead` },
  // recordProviderQuantity
  { name: 'recordProviderQuantity of a negative quantity', run: (app, f) => app.recordProviderQuantity({ subscriptionId: f.automatic.subscriptionId, quantity: -1 }), expected: invalid('RecordProviderQuantity', 'quantity: expected Quantity, got -1'), says: () => 'RecordProviderQuantity is invalid' },
  { name: 'recordProviderQuantity of an unknown subscription', run: (app) => app.recordProviderQuantity({ subscriptionId: unknownId, quantity: 1 }), expected: () => ({ _tag: 'SubscriptionNotFound', subscriptionId: unknownId }), says: () => 'does not exist' },
  { name: 'recordProviderQuantity of the same quantity', run: (app, f) => app.recordProviderQuantity({ subscriptionId: f.automatic.subscriptionId, quantity: 3 }), expected: (f) => ({ _tag: 'QuantityUnchanged', subscriptionId: f.automatic.subscriptionId, quantity: 3 }), says: () => 'already has quantity 3' },
  // markProvisioned
  { name: 'markProvisioned of an unknown License Change', run: (app) => app.markProvisioned({ licenseChangeId: unknownId, by: 'Dana' }), expected: () => ({ _tag: 'LicenseChangeNotFound', licenseChangeId: unknownId }), says: () => `License Change ${unknownId} does not exist` },
  { name: 'markProvisioned with a malformed id', run: (app) => app.markProvisioned({ licenseChangeId: 'LC-1', by: 'Dana' }), expected: invalid('MarkProvisioned', 'licenseChangeId: expected LicenseChangeId, got "LC-1"'), says: () => 'MarkProvisioned is invalid' },
  { name: 'markProvisioned by nobody', run: (app, f) => app.markProvisioned({ licenseChangeId: f.manual.licenseChangeId, by: '' }), expected: invalid('MarkProvisioned', 'by: expected NonEmptyString, got ""'), says: () => 'by' },
  { name: 'markProvisioned of a Not Applicable change', run: (app, f) => app.markProvisioned({ licenseChangeId: f.doNothing.licenseChangeId, by: 'Dana' }), expected: (f) => ({ _tag: 'NotAwaitingProvisioning', licenseChangeId: f.doNothing.licenseChangeId, status: 'Not Applicable' }), says: (f) => `License Change ${f.doNothing.licenseChangeId} is Not Applicable, not Awaiting Provisioning; nothing was recorded` },
  { name: 'markProvisioned of a change already provisioned', run: (app, f) => app.markProvisioned({ licenseChangeId: f.automatic.licenseChangeId, by: 'Dana' }), expected: (f) => ({ _tag: 'NotAwaitingProvisioning', licenseChangeId: f.automatic.licenseChangeId, status: 'Provisioned' }), says: () => 'is Provisioned, not Awaiting Provisioning' },
  { name: 'markProvisioned of an automatic change', run: (app, f) => app.markProvisioned({ licenseChangeId: f.unconfigured.licenseChangeId, by: 'Dana' }), expected: (f) => ({ _tag: 'NotManualProvisioning', licenseChangeId: f.unconfigured.licenseChangeId, providerKind: 'Automatic' }), says: (f) => `License Change ${f.unconfigured.licenseChangeId} is provisioned by` },
  // requeue
  { name: 'requeue of an unknown License Change', run: (app) => app.requeue({ licenseChangeId: unknownId, by: 'Dana', reason: 'retry' }), expected: () => ({ _tag: 'LicenseChangeNotFound', licenseChangeId: unknownId }), says: () => 'does not exist' },
  { name: 'requeue of a change that has not failed', run: (app, f) => app.requeue({ licenseChangeId: f.manual.licenseChangeId, by: 'Dana', reason: 'retry' }), expected: (f) => ({ _tag: 'NotFailedProvisioning', licenseChangeId: f.manual.licenseChangeId, status: 'Awaiting Provisioning' }), says: (f) => `License Change ${f.manual.licenseChangeId} is Awaiting Provisioning; only a Failed Provisioning change can be re-queued` },
  { name: 'requeue with no reason', run: (app, f) => app.requeue({ licenseChangeId: f.manual.licenseChangeId, by: 'Dana' }), expected: invalid('Requeue', 'reason: expected NonEmptyString, got nothing'), says: () => 'Requeue is invalid' },
]

describe.each(storeKinds)('refused commands on the %s store', (kind) => {
  const seatflows = useSeatflows(kind)

  it.each(refusals.map((refusal) => [refusal.name, refusal] as const))('refuses %s, says why, and writes nothing', async (_name, refusal) => {
    const { app, mailer, gateway } = await seatflows.start()
    const fixture = await arrange(app)
    const position = await storageOf(app).events.lastPosition()
    const mails = mailer.sent().length
    const calls = gateway.calls().length

    const result = await refusal.run(app, fixture)
    if (E.isRight(result)) throw new Error(`expected a refusal, got ${JSON.stringify(result.right)}`)
    const error = result.left
    const expected = refusal.expected(fixture)
    if ('invalid' in expected) {
      expect(error._tag).toBe('InvalidCommand')
      if (error._tag !== 'InvalidCommand') return
      expect(error.command).toBe(expected.invalid)
      expect(error.problems).toHaveLength(1)
      expect(error.problems[0]).toContain(expected.problem)
    } else {
      expect(error).toEqual(expected)
    }
    const sentence = describeError(error)
    expect(sentence).toContain(refusal.says(fixture))
    expect(sentence).toMatch(/^[A-Za-z"]/)
    expect(sentence).not.toMatch(/undefined|\[object|null/)

    expect(await storageOf(app).events.lastPosition()).toBe(position)
    expect(mailer.sent()).toHaveLength(mails)
    expect(gateway.calls()).toHaveLength(calls)
  })

  it('covers every command', () => {
    const commands = new Set(refusals.map((refusal) => refusal.name.split(' ')[0]))
    expect([...commands].sort()).toEqual([
      'changeProviderConfiguration', 'changeQuantity', 'createSubscription', 'deactivateProvider', 'markProvisioned',
      'recordProviderQuantity', 'registerProvider', 'requeue', 'setCopiedEmailAddresses',
    ])
  })
})
