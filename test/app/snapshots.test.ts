import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import { snapshotEvery, snapshotsView, snapshotVersion } from '../../src/app/state/cache'
import { createSeatflow } from '../../src/app/seatflow'
import { subscriptionStream } from '../../src/domain/events'
import { defaultProviderIds } from '../../src/domain/ids'
import { EventStore } from '../../src/store/port'
import { openSqliteStorage } from '../../src/store/sqlite'
import { Storage } from '../../src/store/storage'
import { right, subscription } from '../support/app'

/** A storage whose stream reads count the events they hand back. */
const counting = (storage: Storage) => {
  let read = 0
  const events: EventStore = {
    ...storage.events,
    readStream: async (streamId, options) => {
      const found = await storage.events.readStream(streamId, options)
      read += found.length
      return found
    },
  }
  return { storage: { ...storage, events }, read: (): number => read }
}

describe('snapshots of long streams', () => {
  const file = (): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-snapshots-')), 'seatflow.db')
  const changes = snapshotEvery * 2 + 37

  const longHistory = async (db: string): Promise<string> => {
    const app = await createSeatflow({ store: db, autoProcess: false })
    const { subscriptionId } = right(await app.createSubscription(subscription('Exchange Online', defaultProviderIds.doNothing, 1)))
    for (let i = 0; i < changes; i += 1) right(await app.changeQuantity({ subscriptionId, quantity: 2 + (i % 3) }))
    await app.process()
    await app.close()
    return subscriptionId
  }

  it('let a fresh process change a long-lived subscription reading fewer events than one snapshot interval', async () => {
    const db = file()
    const subscriptionId = await longHistory(`sqlite:${db}`)
    const reads = counting(openSqliteStorage(db))
    const app = await createSeatflow({ store: reads.storage })
    const before = reads.read()
    right(await app.changeQuantity({ subscriptionId, quantity: 40 }))
    expect(reads.read() - before).toBeLessThan(snapshotEvery)
    expect((await app.subscriptions()).find((row) => row.subscriptionId === subscriptionId)?.quantity).toBe(40)
    const audit = await app.audit()
    expect(audit.violations).toEqual([])
    expect(audit.digest).toBe(await app.digest())
    await app.close()
  })

  it('are ignored when written by another shape of the code, and the stream is read in full', async () => {
    const db = file()
    const subscriptionId = await longHistory(`sqlite:${db}`)
    const tamper = openSqliteStorage(db)
    const stored = tamper.views.get(snapshotsView, subscriptionStream(subscriptionId)) as { readonly version: number; readonly state: object }
    expect(stored.version).toBe(snapshotVersion)
    tamper.views.update(snapshotsView, (tx, checkpoint) => {
      tx.put(snapshotsView, subscriptionStream(subscriptionId), { ...stored, version: snapshotVersion + 1, state: { status: 'None' } })
      return checkpoint
    })
    await tamper.close()
    const reads = counting(openSqliteStorage(db))
    const app = await createSeatflow({ store: reads.storage, autoProcess: false })
    const before = reads.read()
    right(await app.changeQuantity({ subscriptionId, quantity: 41 }))
    expect(reads.read() - before).toBeGreaterThan(changes)
    await app.process()
    expect((await app.audit()).violations).toEqual([])
    await app.close()
  })
})
