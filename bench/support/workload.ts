import * as E from 'fp-ts/Either'
import { createSimulatedClock } from '../../src/providers/clock'
import { createSeatflow, Seatflow } from '../../src/app/seatflow'
import { describeError, SeatflowError } from '../../src/domain/errors'
import { defaultProviderIds } from '../../src/domain/ids'
import { automaticQueueView, licenseChangeLog, openLicenseChangesView } from '../../src/projections/licenseChangeLog'
import { viewRows } from '../../src/projections/projection'
import { ProvisioningResult } from '../../src/providers/gateway'
import { createMemoryMailer } from '../../src/providers/mail'
import { createSimulatedGateway } from '../../src/providers/simulated'
import { Storage } from '../../src/store/storage'
import { ViewStore } from '../../src/store/views'

/** A small seeded generator (mulberry32): the same seed, the same workload. */
export const seededRandom = (seed: number) => {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    below: (n: number): number => Math.floor(next() * n),
    chance: (p: number): boolean => next() < p,
  }
}
type Random = ReturnType<typeof seededRandom>

const must = <A>(result: E.Either<SeatflowError, A>): A => {
  if (E.isLeft(result)) throw new Error(describeError(result.left))
  return result.right
}

/** What the gateways of the workload answer: mostly done at once, some later, some refused. */
const providerAnswers = (random: Random) => (): ProvisioningResult | undefined => {
  const roll = random.next()
  if (roll < 0.08) return { _tag: 'TransientFailure', reason: 'Subscription is not ready to be updated' }
  if (roll < 0.14) return { _tag: 'Accepted', reference: `operation-${random.below(1e9)}` }
  if (roll < 0.17) return { _tag: 'PermanentFailure', code: '800002', reason: 'Seats can only be removed within the cancellation window' }
  return undefined
}

interface Fleet {
  readonly seatflow: Seatflow
  readonly subscriptions: ReadonlyArray<string>
}

const providersOf = async (seatflow: Seatflow): Promise<ReadonlyArray<string>> => {
  const distributor = must(await seatflow.registerProvider({ name: 'Distributor Manual', kind: 'Manual', provisioningEmail: 'orders@distributor.example' }))
  const techData = must(await seatflow.registerProvider({ name: 'TechData', kind: 'Automatic', system: 'TechData', maxAttempts: 3 }))
  must(await seatflow.setCopiedEmailAddresses({ addresses: ['ops@reseller.example'] }))
  return [defaultProviderIds.manual, distributor.providerId, defaultProviderIds.partnerCenter, techData.providerId, defaultProviderIds.doNothing]
}

/** Subscriptions on every provider, a bundle (virtual parent, two children) every tenth customer. */
const subscriptionsOf = async (seatflow: Seatflow, providers: ReadonlyArray<string>, customers: number, random: Random): Promise<string[]> => {
  const ids: string[] = []
  for (let customer = 0; customer < customers; customer += 1) {
    const contract = { billingContractId: `BC-${customer}`, contractOwnerEmail: `owner${customer}@customer.example` }
    const providerId = providers[customer % providers.length] ?? defaultProviderIds.manual
    const created = must(await seatflow.createSubscription({ product: `Product ${customer % 17}`, providerId, quantity: 1 + random.below(50), ...contract }))
    ids.push(created.subscriptionId)
    if (customer % 10 !== 0) continue
    const parent = must(await seatflow.createSubscription({ product: 'Bundle', providerId: defaultProviderIds.doNothing, quantity: 2, ...contract }))
    for (const [child, multiplier] of [[defaultProviderIds.partnerCenter, 1], [defaultProviderIds.manual, 5]] as const) {
      must(await seatflow.createSubscription({
        product: `Bundle child ${multiplier}`, providerId: child, quantity: 2 * multiplier, ...contract,
        bundle: { parentId: parent.subscriptionId, multiplier },
      }))
    }
    ids.push(parent.subscriptionId)
  }
  return ids
}

/** A person marks about half of the Manual changes that wait provisioned. */
const provisionManualChanges = async (seatflow: Seatflow, views: ViewStore, random: Random): Promise<void> => {
  await seatflow.refreshViews()
  const open = viewRows(views, licenseChangeLog, openLicenseChangesView)
  for (const row of open) {
    if (row.providerKind === 'Manual' && row.requestedAt !== null && random.chance(0.5)) {
      must(await seatflow.markProvisioned({ licenseChangeId: row.licenseChangeId, by: 'Dana' }))
    }
  }
}

/** A person re-queues most failed changes (each blocks its subscription's later changes until then). */
const requeueFailedChanges = async (seatflow: Seatflow, views: ViewStore, random: Random): Promise<void> => {
  await seatflow.refreshViews()
  for (const row of viewRows(views, licenseChangeLog, automaticQueueView)) {
    if (row.status === 'Failed Provisioning' && row.supersededBy === null && random.chance(0.8)) {
      const requeued = await seatflow.requeue({ licenseChangeId: row.licenseChangeId, by: 'Alex', reason: 'approved as an exception' })
      // A later change may have set the provider's quantity since: the old target is stale, and seatflow says so.
      if (E.isLeft(requeued) && requeued.left._tag !== 'LicenseChangeSuperseded') throw new Error(describeError(requeued.left))
    }
  }
}

/** How big a workload is. */
export interface WorkloadSize {
  /** Stop once the log holds this many events. */
  readonly events: number
  readonly customers?: number
  readonly seed?: number
}

/**
 * Drive the real engine (commands, reactions, mail, gateways, people) until the log holds
 * `events` events: a realistic log of every provider kind with reminders, failures and re-queues.
 */
export const runWorkload = async (storage: Storage, size: WorkloadSize): Promise<void> => {
  const random = seededRandom(size.seed ?? 42)
  const clock = createSimulatedClock('2026-01-05T09:00:00.000Z')
  const gateway = createSimulatedGateway({ answer: providerAnswers(random), checksUntilDone: 2 })
  const seatflow = await createSeatflow({
    store: storage, clock, mailer: createMemoryMailer(), gateways: { 'Partner Center': gateway, TechData: gateway },
    autoProcess: false,
  })
  const providers = await providersOf(seatflow)
  const fleet: Fleet = { seatflow, subscriptions: await subscriptionsOf(seatflow, providers, size.customers ?? 2000, random) }
  await seatflow.process()
  for (let tick = 0; await storage.events.lastPosition() < size.events; tick += 1) {
    clock.advanceHours(0.05 + random.next() * 0.3)
    const subscriptionId = fleet.subscriptions[random.below(fleet.subscriptions.length)]
    const quantity = 1 + random.below(60)
    const result = await seatflow.changeQuantity({ subscriptionId, quantity })
    if (E.isLeft(result) && result.left._tag !== 'QuantityUnchanged') throw new Error(describeError(result.left))
    if (tick % 20 === 0) await seatflow.process()
    if (tick % 50 === 0) await seatflow.sendDueReminders()
    if (tick % 200 === 0) await provisionManualChanges(seatflow, storage.views, random)
    if (tick % 1000 === 0) await requeueFailedChanges(seatflow, storage.views, random)
    if (tick % 500 === 0) must(await seatflow.recordProviderQuantity({ subscriptionId, quantity: quantity + 1 }))
  }
  await seatflow.process() // the last changes get their License Changes: the log ends consistent
}
