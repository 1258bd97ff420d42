import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import { createSimulatedClock } from '../../src/providers/clock'
import { Seatflow } from '../../src/app/seatflow'
import { defaultProviderIds } from '../../src/domain/ids'
import { allProjections, allViews, viewsCheckpoint } from '../../src/projections/all'
import { digestMainViews } from '../../src/projections/digest'
import { LicenseChangeRow, licenseChangesView } from '../../src/projections/licenseChangeLog'
import { createMemoryMailer } from '../../src/providers/mail'
import { openStorage } from '../../src/store/open'
import { SubscribeOptions } from '../../src/store/port'
import { Storage } from '../../src/store/storage'
import { startStandIn, StandIn } from '../support/eventstoredb/server'
import { openSeatflow, right, startedAt, storageOf, subscription } from '../support/app'

/** Wait until the live views have caught up with the whole log (reactions write more as they go). */
const settled = async (app: Seatflow, check: (rows: ReadonlyArray<LicenseChangeRow>) => boolean): Promise<void> => {
  for (let i = 0; i < 300; i += 1) {
    const rows = storageOf(app).views.rows(licenseChangesView) as ReadonlyArray<LicenseChangeRow>
    if (storageOf(app).views.checkpoint(viewsCheckpoint) === await storageOf(app).events.lastPosition() && check(rows)) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error('the followed views did not catch up')
}

/** A storage whose subscriptions say where they started. */
const recording = (storage: Storage, starts: number[]): Storage => ({
  ...storage,
  events: { ...storage.events, subscribe: (options: SubscribeOptions, onBatch) => { starts.push(options.after); return storage.events.subscribe(options, onBatch) } },
})

const requested = (rows: ReadonlyArray<LicenseChangeRow>, count: number): boolean =>
  rows.length === count && rows.every((row) => row.requestedAt !== null)

describe.each(['memory', 'sqlite', 'eventstoredb'] as const)('follow() on %s', (kind) => {
  let dir: string
  let standIn: StandIn | undefined
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-follow-'))
    standIn = kind === 'eventstoredb' ? await startStandIn() : undefined
  })
  afterEach(async () => {
    await standIn?.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  })
  const url = (): string => kind === 'memory' ? 'memory:'
    : kind === 'sqlite' ? `sqlite:${path.join(dir, 'seatflow.db')}` : `${standIn?.url ?? ''}&views=${path.join(dir, 'views.db')}`

  const openApp = async (store: Storage) => {
    const mailer = createMemoryMailer()
    const app = await openSeatflow({ store, clock: createSimulatedClock(startedAt), mailer, autoProcess: false })
    return { app, mailer }
  }

  it('feeds views, reactions and mail as commands append, and resumes after restart exactly where the views stopped', async () => {
    const store = openStorage(url())
    const first = await openApp(store)
    const following = first.app.follow()
    const visio = right(await first.app.createSubscription(subscription('Visio', defaultProviderIds.manual, 3)))
    await settled(first.app, (rows) => requested(rows, 1))
    expect(first.mailer.sent().map((mail) => mail.subject)).toEqual([expect.stringContaining('Visio')])
    await following.stop()
    await following.done
    if (kind === 'memory') return store.close()
    const stoppedAt = storageOf(first.app).views.checkpoint(viewsCheckpoint)
    await store.close()

    const writer = await openApp(openStorage(url()))
    right(await writer.app.changeQuantity({ subscriptionId: visio.subscriptionId, quantity: 5 }))
    await writer.app.close()

    const starts: number[] = []
    const second = await openApp(recording(openStorage(url()), starts))
    const resumed = second.app.follow()
    await settled(second.app, (rows) => requested(rows, 2))
    await resumed.stop()
    expect(starts).toEqual([stoppedAt])
    expect(second.mailer.sent().map((mail) => mail.subject)).toEqual([expect.stringContaining('Visio')])
    expect(digestMainViews(storageOf(second.app).views, allProjections, allViews)).toBe((await second.app.audit()).digest)
    return second.app.close()
  })
})
