import * as E from 'fp-ts/Either'
import { createSimulatedClock } from '../providers/clock'
import { createSeatflow, Seatflow } from '../app/seatflow'
import { describeError, SeatflowError } from '../domain/errors'
import { defaultProviderIds } from '../domain/ids'
import { ProviderId, SubscriptionId } from '../domain/values'
import { describeViolation } from '../projections/audit'
import { Mail, Mailer } from '../providers/mail'
import { createSimulatedGateway } from '../providers/simulated'
import { localFilesOf } from '../store/open'
import { Storage } from '../store/storage'
import { Flags, Io } from './io'
import { freshStore, mailOf, openStore, storeOf } from './store'
import { licenseChangeTable, reminderTable } from './table'

const must = <A>(result: E.Either<SeatflowError, A>): A => {
  if (E.isLeft(result)) throw new Error(`demo step refused: ${describeError(result.left)}`)
  return result.right
}

const owner = 'it-admin@fabrikam.example'
const contract = 'BC-1001 Fabrikam'

type DemoIds = { readonly visio: SubscriptionId; readonly powerBi: SubscriptionId; readonly contoso: ProviderId }

/** The lifecycle: Visio suspended (its change Not Applicable, its reminders stopped) and reactivated; Power BI moved. */
const lifecycleChapter = async (app: Seatflow, clock: ReturnType<typeof createSimulatedClock>, ids: DemoIds, step: (text: string) => void): Promise<void> => {
  must(await app.suspendSubscription({ subscriptionId: ids.visio, reason: 'invoice INV-2026-001 unpaid' }))
  must(await app.changeQuantity({ subscriptionId: ids.visio, quantity: 9 }))
  step('Fabrikam has not paid: Visio suspended; its change 7 -> 9 is Not Applicable and its reminders stop')
  clock.advanceHours(24)
  step(`A day later, reminders due (none for the suspended Visio):\n${reminderTable(await app.dueReminders())}`)
  must(await app.reactivateSubscription({ subscriptionId: ids.visio }))
  step('Paid: Visio reactivated; a reactivation asks the Manual Provider for 9 seats (it was suspended at 7)')
  const blocked = await app.moveSubscription({ subscriptionId: ids.powerBi, providerId: ids.contoso })
  step(`Power BI moves to Contoso Distribution: ${E.isLeft(blocked) ? `refused, ${describeError(blocked.left)}` : 'moved'}`)
  must(await app.moveSubscription({ subscriptionId: ids.powerBi, providerId: ids.contoso, withdrawUnresolved: true }))
  must(await app.changeQuantity({ subscriptionId: ids.powerBi, quantity: 25 }))
  step('Moved with its failed change withdrawn (never sent); Power BI 2000 -> 25 now goes to Contoso by email')
}

/**
 * The story of a seat change on all three providers, on the embedded store with a simulated
 * clock: Not Applicable, Awaiting Provisioning, Provisioned and Failed Provisioning, the
 * request emails and the reminders (one digest per owner) that stop once a person marks the
 * change provisioned; a suspension and reactivation, and a move to another provider.
 */
export const runDemo = async (store: string | Storage, mail: { readonly mailer: Mailer; readonly where: string }, print: (line: string) => void): Promise<number> => {
  const clock = createSimulatedClock('2026-01-05T09:00:00.000Z')
  const sent: Mail[] = []
  const mailer: Mailer = { send: async (one) => { await mail.mailer.send(one); sent.push(one) } }
  const gateway = createSimulatedGateway({
    answer: (request) => request.targetQuantity > 1000
      ? { _tag: 'PermanentFailure', code: '800002', reason: `${request.product} allows at most 1000 seats on this tenant` }
      : undefined,
  })
  const app = await createSeatflow({ store, clock, mailer, gateways: { 'Partner Center': gateway }, actor: 'demo', reminderDigest: true }).catch(async (error: unknown) => {
    if (typeof store !== 'string') await store.close()
    throw error
  })
  const step = (text: string): void => print(`\n[${clock.now().toISOString().slice(0, 16).replace('T', ' ')}] ${text}`)
  try {
    step(`Default providers: ${(await app.providers()).map((p) => `${p.name} (${p.kind})`).join(', ')}`)
    const contoso = must(await app.registerProvider({ name: 'Contoso Distribution', kind: 'Manual', provisioningEmail: 'provisioning@contoso-distribution.example' }))
    step('Registered a second Manual provider: Contoso Distribution (provisioning@contoso-distribution.example)')
    must(await app.setCopiedEmailAddresses({ addresses: ['licensing@reseller.example', 'finance@reseller.example'], actor: 'admin@reseller.example' }))
    step('Setting ProvisioningCopiedEmailAddresses = licensing@reseller.example, finance@reseller.example')

    const base = { billingContractId: contract, contractOwnerEmail: owner }
    const bundle = must(await app.createSubscription({ ...base, product: 'Microsoft 365 E3 Bundle', providerId: defaultProviderIds.doNothing, quantity: 10 }))
    must(await app.createSubscription({ ...base, product: 'Exchange Online (Plan 2)', providerId: contoso.providerId, bundle: { parentId: bundle.subscriptionId, multiplier: 1 } }))
    must(await app.createSubscription({ ...base, product: 'Microsoft Teams Phone', providerId: defaultProviderIds.partnerCenter, bundle: { parentId: bundle.subscriptionId, multiplier: 2 } }))
    step('Created a bundle parent (Do Nothing, 10 seats) with a Manual child x1 and a Partner Center child x2')
    const visio = must(await app.createSubscription({ ...base, product: 'Visio Plan 2', providerId: defaultProviderIds.manual, quantity: 5 }))
    const powerBi = must(await app.createSubscription({ ...base, product: 'Power BI Pro', providerId: defaultProviderIds.partnerCenter, quantity: 20 }))
    step('Created Visio Plan 2 on the Manual Provider (5) and Power BI Pro on Partner Center (20)')

    clock.advanceHours(2)
    must(await app.changeQuantity({ subscriptionId: bundle.subscriptionId, quantity: 12, actor: 'sales@reseller.example' }))
    step('Bundle 10 -> 12: each child follows (Exchange 12, Teams Phone 24) and its own provider acts')
    must(await app.changeQuantity({ subscriptionId: visio.subscriptionId, quantity: 7 }))
    must(await app.changeQuantity({ subscriptionId: powerBi.subscriptionId, quantity: 2000 }))
    step('Visio 5 -> 7 (Manual); Power BI 20 -> 2000 (Partner Center refuses: seat limit)')

    clock.advanceHours(24)
    step(`A day later, reminders due:\n${reminderTable(await app.dueReminders())}`)
    const reminded = await app.sendDueReminders()
    print(`Sent ${reminded.sent.length} reminder(s) to ${owner}`)

    const awaitingContoso = (await app.licenseChangeLog()).filter((row) => row.providerId === contoso.providerId && row.status === 'Awaiting Provisioning')
    for (const row of awaitingContoso) must(await app.markProvisioned({ licenseChangeId: row.licenseChangeId, by: 'Dana at Contoso Distribution', note: 'done in the distributor portal' }))
    step(`Dana marked ${awaitingContoso.length} Contoso change(s) provisioned`)

    clock.advanceHours(24)
    const due = await app.dueReminders()
    step(`Another day later, reminders due (Contoso's stopped; Visio's go on):\n${reminderTable(due)}`)
    await app.sendDueReminders()

    await lifecycleChapter(app, clock, { visio: visio.subscriptionId, powerBi: powerBi.subscriptionId, contoso: contoso.providerId }, step)

    step(`License Change Log:\n${licenseChangeTable(await app.licenseChangeLog())}`)
    print(`\nEmails sent (${sent.length}, ${mail.where}):`)
    for (const one of sent) print(`  to ${one.to.join(', ')}${one.cc.length > 0 ? ` cc ${one.cc.join(', ')}` : ''}: ${one.subject}`)
    const audit = await app.audit()
    print(`\nAudit: ${audit.events} events replayed, digest ${audit.digest.slice(0, 16)}…, ${audit.violations.length} violation(s)`)
    audit.violations.forEach((v) => print(`  ${describeViolation(v)}`))
    print(`Store: ${typeof store === 'string' ? store : store.describe}`)
    return audit.violations.length === 0 ? 0 : 1
  } finally {
    await app.close()
  }
}

/** `seatflow demo`: the story on the store named, or on a fresh temp file; an existing file must be a store. */
export const demoCommand = async (flags: Flags, io: Io): Promise<number> => {
  const named = flags.db !== undefined || flags.store !== undefined
  const store = named ? storeOf(flags) : freshStore()
  if (!named) io.out(`Using a fresh store at ${localFilesOf(store.address).join(', ')}`)
  const mail = mailOf(store)
  return runDemo(openStore(store, 'make'), mail, io.out)
}
