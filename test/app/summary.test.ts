import { licenseChangeSummary } from '../../src/app/queries'
import { openMemoryStorage } from '../../src/store/memory'
import { licenseChangesView } from '../../src/projections/licenseChangeLog'

/** A License Change row as the summary reads it. */
const row = (i: number) => ({
  licenseChangeId: `lc-${String(i).padStart(5, '0')}`, status: i % 3 === 0 ? 'Awaiting Provisioning' : 'Provisioned', providerKind: 'Manual',
  recordedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(), requestedAt: '2026-01-01T00:00:00.000Z', remindersSent: 1,
})

describe('the License Change Log in numbers', () => {
  it('counts a log of several chunks exactly, and gives the event loop back between chunks', async () => {
    const storage = openMemoryStorage()
    storage.views.update('test', (tx) => {
      for (let i = 0; i < 2500; i += 1) tx.put(licenseChangesView, row(i).licenseChangeId, row(i))
      return 1
    })
    let ranMeanwhile = false
    const counting = licenseChangeSummary(storage.views)
    setImmediate(() => { ranMeanwhile = true })
    const summary = await counting
    expect(ranMeanwhile).toBe(true)
    expect([...summary.byStatusAndKind].sort((a, b) => a.status.localeCompare(b.status))).toEqual([
      { status: 'Awaiting Provisioning', providerKind: 'Manual', count: 834 },
      { status: 'Provisioned', providerKind: 'Manual', count: 1666 },
    ])
    expect(summary).toMatchObject({ oldestAwaitingSince: '2026-01-01T00:00:00.000Z', requestsRecorded: 2500, remindersRecorded: 2500 })
    await storage.close()
  })
})
