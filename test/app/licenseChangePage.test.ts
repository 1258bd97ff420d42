import { licenseChangePage, LicenseChangeFilter, passes } from '../../src/app/queries'
import { ProvisioningStatus } from '../../src/domain/values'
import { LicenseChangeRow, licenseChangesView } from '../../src/projections/licenseChangeLog'
import { ViewStore } from '../../src/store/views'
import { buildRichHistory, storageOf, storeKinds, useSeatflows } from '../support/app'

/** The page as the whole view read in key order gives it: what every way of reading a page must answer. */
const pageByReadingAll = (views: ViewStore, filter: LicenseChangeFilter, after: string | null, limit: number) => {
  const all = views.rows(licenseChangesView) as ReadonlyArray<LicenseChangeRow>
  const rows = all.filter((row) => (after === null || row.licenseChangeId > after) && passes(filter)(row)).slice(0, limit)
  const last = rows[rows.length - 1]
  const more = last !== undefined && rows.length === limit && all.some((row) => row.licenseChangeId > last.licenseChangeId)
  return { rows, next: more && last !== undefined ? last.licenseChangeId : null }
}

const statuses: ReadonlyArray<ProvisioningStatus | undefined> = [undefined, 'Not Applicable', 'Awaiting Provisioning', 'Provisioned', 'Failed Provisioning']

describe.each(storeKinds)('a page of the License Change Log on the %s store', (kind) => {
  const seatflows = useSeatflows(kind)

  it('is the same whether read off the store\'s indexes of status and provider or the whole view, for every filter, cursor and size', async () => {
    const harness = await seatflows.start()
    const { techDataProviderId } = await buildRichHistory(harness)
    const views = storageOf(harness.app).views
    const ids = (views.rows(licenseChangesView) as ReadonlyArray<LicenseChangeRow>).map((row) => row.licenseChangeId)
    const awaiting = pageByReadingAll(views, { status: 'Awaiting Provisioning' }, null, 1000).rows
    expect(awaiting.length).toBeGreaterThan(1)
    const providers = [undefined, 'manual', 'Automatic', 'TechData', techDataProviderId, 'nobody']
    const cursors = [null, ids[0] ?? null, ids[Math.floor(ids.length / 2)] ?? null, awaiting[0]?.licenseChangeId ?? null, ids[ids.length - 1] ?? null]
    for (const status of statuses) {
      for (const provider of providers) {
        const filter: LicenseChangeFilter = { ...(status === undefined ? {} : { status }), ...(provider === undefined ? {} : { provider }) }
        for (const after of cursors) {
          for (const limit of [1, 2, 100]) expect(licenseChangePage(views, filter, after, limit)).toEqual(pageByReadingAll(views, filter, after, limit))
        }
      }
    }
  })
})
