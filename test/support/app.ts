import * as E from 'fp-ts/Either'
import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import { createSimulatedClock } from '../../src/providers/clock'
import { createSeatflow, Seatflow, SeatflowOptions } from '../../src/app/seatflow'
import { describeError, SeatflowError } from '../../src/domain/errors'
import { defaultProviderIds } from '../../src/domain/ids'
import { LicenseChangeRow } from '../../src/projections/licenseChangeLog'
import { ProvisioningRequest, ProvisioningResult } from '../../src/providers/gateway'
import { createMemoryMailer, Mail, Mailer } from '../../src/providers/mail'
import { createSimulatedGateway } from '../../src/providers/simulated'
import { openStorage } from '../../src/store/open'
import { StoredEvent } from '../../src/store/port'
import { Storage } from '../../src/store/storage'

/** The storage behind each seatflow a test opened through `openSeatflow`: tests read and break the log through it. */
const storages = new WeakMap<Seatflow, Storage>()

/**
 * The storage as a store without multi-stream appends sees it (EventStoreDB's case): a command and
 * its reactions commit apart, so a log can stand between them (as after a crash, or with
 * autoProcess off).
 */
export const withoutAtomicAppends = (storage: Storage): Storage => {
  const { appendMany: _atomic, ...events } = storage.events
  return { ...storage, events }
}

/** Open a seatflow on a storage the test keeps hold of (a store URL is opened here first). */
export const openSeatflow = async (options: SeatflowOptions): Promise<Seatflow> => {
  const storage = typeof options.store === 'object' ? options.store : openStorage(options.store)
  const app = await createSeatflow({ ...options, store: storage })
  storages.set(app, storage)
  return app
}

/** The storage of a seatflow opened through `openSeatflow` (or `useSeatflows`). */
export const storageOf = (app: Seatflow): Storage => {
  const storage = storages.get(app)
  if (storage === undefined) throw new Error('this seatflow was not opened through openSeatflow')
  return storage
}

/** The stores every application flow runs on. */
export type StoreKind = 'memory' | 'sqlite'
export const storeKinds: ReadonlyArray<StoreKind> = ['memory', 'sqlite']

/** The instant every test starts at: a Monday morning. */
export const startedAt = '2026-01-05T09:00:00.000Z'

/** The value of a Right, or a failure that names the refusal. */
export const right = <A>(result: E.Either<SeatflowError, A>): A => {
  if (E.isLeft(result)) throw new Error(`expected Right, got ${result.left._tag}: ${describeError(result.left)}`)
  return result.right
}

/** The error of a Left, or a failure that says the command was accepted. */
export const leftOf = <A>(result: E.Either<SeatflowError, A>): SeatflowError => {
  if (E.isRight(result)) throw new Error(`expected Left, got Right ${JSON.stringify(result.right)}`)
  return result.left
}

/** A mailer that fails while `failing` is true and keeps what it sent once it works. */
export const createFlakyMailer = () => {
  const inner = createMemoryMailer()
  let failing = true
  let refused = 0
  const mailer: Mailer = {
    send: async (mail: Mail) => {
      if (failing) {
        refused += 1
        throw new Error('SMTP server unreachable')
      }
      await inner.send(mail)
    },
  }
  return {
    ...mailer,
    sent: inner.sent,
    refused: (): number => refused,
    works: (): void => { failing = false },
  }
}

/** A simulated gateway whose next answers a test queues; an empty queue answers Provisioned. */
export const createScriptedGateway = (checksUntilDone = 1) => {
  const queue: ProvisioningResult[] = []
  const gateway = createSimulatedGateway({ answer: (_request: ProvisioningRequest) => queue.shift(), checksUntilDone })
  return { ...gateway, queue: (...answers: ReadonlyArray<ProvisioningResult>): void => { queue.push(...answers) } }
}

export type SimulatedClock = ReturnType<typeof createSimulatedClock>
export type MemoryMailer = ReturnType<typeof createMemoryMailer>
export type ScriptedGateway = ReturnType<typeof createScriptedGateway>

/** An app with the ports a test drives. */
export interface Harness {
  readonly app: Seatflow
  readonly clock: SimulatedClock
  readonly mailer: MemoryMailer
  readonly gateway: ScriptedGateway
  readonly url: string
}

/**
 * Apps on one kind of store for the tests of a describe block: `start` opens one on a fresh
 * store (a SQLite file in a temp folder, or memory), every app is closed and the folder
 * removed after each test.
 */
export const useSeatflows = (kind: StoreKind) => {
  let dir: string | null = null
  let files = 0
  const opened: Seatflow[] = []

  beforeEach(() => {
    if (kind === 'sqlite') dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-app-'))
  })
  afterEach(async () => {
    for (const app of opened.splice(0)) await app.close()
    if (dir !== null) fs.rmSync(dir, { recursive: true, force: true })
    dir = null
  })

  const freshUrl = (): string => {
    if (kind === 'memory') return 'memory:'
    if (dir === null) throw new Error('no temp folder: call freshUrl inside a test')
    files += 1
    return `sqlite:${path.join(dir, `seatflow-${files}.db`)}`
  }

  /** Open an app and close it after the test. */
  const open = async (options: SeatflowOptions): Promise<Seatflow> => {
    const app = await openSeatflow(options)
    opened.push(app)
    return app
  }

  /** An app on a fresh store with a simulated clock, a memory mailer and a scripted Partner Center gateway. */
  const start = async (options: Partial<SeatflowOptions> = {}): Promise<Harness> => {
    const clock = createSimulatedClock(startedAt)
    const mailer = createMemoryMailer()
    const gateway = createScriptedGateway()
    const url = typeof options.store === 'string' ? options.store : freshUrl()
    const app = await open({ clock, mailer, gateways: { 'Partner Center': gateway }, ...options, store: options.store ?? url })
    return { app, clock, mailer, gateway, url }
  }

  /** The path of the SQLite file behind a `sqlite:` URL. */
  const fileOf = (url: string): string => url.slice('sqlite:'.length)

  return { freshUrl, open, start, fileOf }
}

/** Every stored event, in order. */
export const allEvents = async (app: Seatflow): Promise<ReadonlyArray<StoredEvent>> => {
  const events: StoredEvent[] = []
  for await (const batch of storageOf(app).events.readAll({ after: 0 })) events.push(...batch)
  return events
}

/** How many stored events have this type. */
export const countOf = async (app: Seatflow, type: string): Promise<number> =>
  (await allEvents(app)).filter((event) => event.type === type).length

/** The License Change Log rows of one subscription, oldest first. */
export const rowsOf = async (app: Seatflow, subscriptionId: string): Promise<ReadonlyArray<LicenseChangeRow>> =>
  (await app.licenseChangeLog()).filter((row) => row.subscriptionId === subscriptionId)

/** The one License Change Log row with this id. */
export const rowOf = async (app: Seatflow, licenseChangeId: string | null): Promise<LicenseChangeRow> => {
  const row = (await app.licenseChangeLog()).find((candidate) => candidate.licenseChangeId === licenseChangeId)
  if (row === undefined) throw new Error(`no License Change ${String(licenseChangeId)} in the log`)
  return row
}

/** A subscription's fields besides its provider and quantity. */
export const subscription = (product: string, providerId: string, quantity?: number) => ({
  product, providerId, billingContractId: 'BC-1001', contractOwnerEmail: 'owner@customer.example',
  ...(quantity === undefined ? {} : { quantity }),
})

/** What a rich history holds: ids to look at afterwards. */
export interface RichHistory {
  readonly parentId: string
  readonly manualChildId: string
  readonly automaticChildId: string
  readonly lateChildId: string
  readonly manualId: string
  readonly automaticId: string
  readonly failedId: string
  readonly techDataProviderId: string
}

/**
 * A history with every kind of provider and event: settings, a second Manual provider, a
 * bundle (with a child added after a parent change), reminders, manual and gateway
 * provisioning, an accepted attempt, transient failure with a scheduled retry, a change held
 * back by an earlier one, a permanent failure, a re-queue, two-way sync superseding a failed change, a deactivated provider,
 * a suspension and reactivation, a move that withdraws a change, a cancellation and a billing run.
 */
export const buildRichHistory = async ({ app, clock, gateway }: Harness): Promise<RichHistory> => {
  right(await app.setCopiedEmailAddresses({ addresses: ['ops@reseller.example'], actor: 'Alice' }))
  const distributor = right(await app.registerProvider({ name: 'Distributor Manual', kind: 'Manual', provisioningEmail: 'orders@distributor.example' }))
  const techData = right(await app.registerProvider({ name: 'TechData', kind: 'Automatic', system: 'TechData', maxAttempts: 2 }))
  right(await app.changeProviderConfiguration({ providerId: distributor.providerId, name: 'Distributor Manual Desk' }))

  const parent = right(await app.createSubscription(subscription('M365 Bundle', defaultProviderIds.doNothing, 2)))
  const manualChild = right(await app.createSubscription({ ...subscription('Exchange Online', defaultProviderIds.manual), bundle: { parentId: parent.subscriptionId, multiplier: 1 } }))
  const automaticChild = right(await app.createSubscription({ ...subscription('Teams Phone', defaultProviderIds.partnerCenter), bundle: { parentId: parent.subscriptionId, multiplier: 5 } }))
  right(await app.changeQuantity({ subscriptionId: parent.subscriptionId, quantity: 3 }))
  const lateChild = right(await app.createSubscription({ ...subscription('Defender', distributor.providerId), bundle: { parentId: parent.subscriptionId, multiplier: 2 } }))
  clock.advanceHours(24)
  await app.sendDueReminders()
  right(await app.changeQuantity({ subscriptionId: parent.subscriptionId, quantity: 4 }))

  const manual = right(await app.createSubscription(subscription('Visio', distributor.providerId, 3)))
  right(await app.setCopiedEmailAddresses({ addresses: ['ops@reseller.example', 'finance@reseller.example'], actor: 'Bob' }))
  const manualChange = right(await app.changeQuantity({ subscriptionId: manual.subscriptionId, quantity: 5 }))
  clock.advanceHours(25)
  await app.sendDueReminders()
  right(await app.markProvisioned({ licenseChangeId: manualChange.licenseChangeId, by: 'Dana', note: 'done in the portal' }))

  gateway.queue({ _tag: 'Accepted', reference: 'PC-REF-1' })
  const automatic = right(await app.createSubscription(subscription('Power BI Pro', defaultProviderIds.partnerCenter, 10)))
  await app.process()
  // 12 fails once (its retry is scheduled), 14 waits for it; the retry fails for good, 14 still waits; a re-queue lets both go.
  gateway.queue({ _tag: 'TransientFailure', reason: 'Partner Center timed out', retryAfterSeconds: 90 })
  const failed = right(await app.changeQuantity({ subscriptionId: automatic.subscriptionId, quantity: 12 }))
  gateway.queue({ _tag: 'PermanentFailure', reason: 'offer not found', code: 'OfferNotFound' })
  clock.advanceHours(0.05)
  right(await app.changeQuantity({ subscriptionId: automatic.subscriptionId, quantity: 14 }))
  right(await app.requeue({ licenseChangeId: failed.licenseChangeId, by: 'Dana', reason: 'offer fixed' }))
  // 16 fails for good, then a quantity set at the provider supersedes it.
  gateway.queue({ _tag: 'PermanentFailure', reason: 'offer not found', code: 'OfferNotFound' })
  right(await app.changeQuantity({ subscriptionId: automatic.subscriptionId, quantity: 16 }))
  right(await app.recordProviderQuantity({ subscriptionId: automatic.subscriptionId, quantity: 15 }))

  // A suspended subscription's change is Not Applicable, its reactivation brings the provider in line; a move
  // withdraws an unresolved change; a cancellation asks the new provider to cancel; a billing run archives.
  const project = right(await app.createSubscription(subscription('Project', distributor.providerId, 2)))
  right(await app.suspendSubscription({ subscriptionId: project.subscriptionId, reason: 'unpaid invoice INV-7' }))
  right(await app.changeQuantity({ subscriptionId: project.subscriptionId, quantity: 4 }))
  right(await app.reactivateSubscription({ subscriptionId: project.subscriptionId }))
  const acrobat = right(await app.createSubscription(subscription('Acrobat', techData.providerId, 1)))
  right(await app.deactivateProvider({ providerId: techData.providerId }))
  right(await app.moveSubscription({ subscriptionId: acrobat.subscriptionId, providerId: distributor.providerId, withdrawUnresolved: true }))
  right(await app.cancelSubscription({ subscriptionId: acrobat.subscriptionId }))
  right(await app.invoicePeriod('billing-run-1', { to: clock.now() }))
  clock.advanceHours(30)
  await app.sendDueReminders()
  await app.process()

  return {
    parentId: parent.subscriptionId, manualChildId: manualChild.subscriptionId, automaticChildId: automaticChild.subscriptionId,
    lateChildId: lateChild.subscriptionId, manualId: manual.subscriptionId, automaticId: automatic.subscriptionId,
    failedId: failed.licenseChangeId, techDataProviderId: techData.providerId,
  }
}
