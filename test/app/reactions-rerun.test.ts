import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import { Seatflow } from '../../src/app/seatflow'
import { defaultProviderIds } from '../../src/domain/ids'
import { openSeatflow, right, storageOf, subscription } from '../support/app'
import { startStandIn, StandIn } from '../support/eventstoredb/server'

/** Reactions are re-run from the start, as after a crash before their checkpoint was stored. */
const rerunReactions = async (app: Seatflow): Promise<void> => {
  storageOf(app).views.reset([], ['reactions'])
  await app.process()
}

describe('re-running reactions after a crash', () => {
  let standIn: StandIn
  let folder: string
  beforeAll(async () => {
    standIn = await startStandIn()
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-rerun-'))
  })
  afterAll(async () => {
    await standIn.stop()
    fs.rmSync(folder, { recursive: true, force: true })
  })

  const stores: ReadonlyArray<readonly [string, () => string]> = [
    ['memory', () => 'memory:'],
    ['sqlite', () => `sqlite:${path.join(folder, `rerun-${Date.now()}.db`)}`],
    // EventStoreDB only drops a repeated event id on an exact retry: the reaction itself must not repeat.
    ['the EventStoreDB stand-in', () => `${standIn.url}&views=memory&namespace=rerun${Date.now()}/`],
  ]

  test.each(stores)('never sets a bundle child back to an older parent quantity on %s', async (_name, store) => {
    const app = await openSeatflow({ store: store() })
    const contract = { billingContractId: 'BC-7', contractOwnerEmail: 'owner@customer.example' }
    const parent = right(await app.createSubscription({ ...subscription('Bundle', defaultProviderIds.doNothing, 1), ...contract }))
    const child = right(await app.createSubscription({
      ...subscription('Bundle child', defaultProviderIds.doNothing, 5), ...contract, bundle: { parentId: parent.subscriptionId, multiplier: 5 },
    }))
    right(await app.changeQuantity({ subscriptionId: parent.subscriptionId, quantity: 2 }))
    right(await app.changeQuantity({ subscriptionId: parent.subscriptionId, quantity: 3 }))
    const before = (await storageOf(app).events.readStream(`subscription-${child.subscriptionId}`)).length

    await rerunReactions(app)

    expect((await app.subscriptions()).find((row) => row.subscriptionId === child.subscriptionId)?.quantity).toBe(15)
    expect(await storageOf(app).events.readStream(`subscription-${child.subscriptionId}`)).toHaveLength(before)
    expect((await app.audit()).violations).toEqual([])
    await app.close()
  })
})
