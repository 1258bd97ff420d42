import { ProvisioningStatus } from '../domain/values'
import { countedDelta } from './audit'
import { ViewStore } from '../store/views'
import { ProviderRow, providersView, SubscriptionRow, subscriptionsView } from './catalog'
import { LicenseChangeRow, licenseChangesView } from './licenseChangeLog'

/** A line of the License Change Log mismatch report: a subscription whose License Change deltas (reactivations aside) do not add up to its quantity. */
export interface MismatchRow {
  readonly subscriptionId: string
  readonly product: string
  readonly providerId: string
  readonly quantity: number
  /** The sum of the deltas of its License Changes. */
  readonly sumOfDeltas: number
  /** quantity - sumOfDeltas: the seats no License Change accounts for (negative: too many). */
  readonly difference: number
  readonly licenseChanges: number
}

/** The License Changes in the numbers the summary and the mismatch report need: a few per subscription, not the rows. */
interface ChangeTally {
  readonly byStatus: Record<ProvisioningStatus, number>
  readonly total: number
  readonly bySubscription: ReadonlyMap<string, { readonly sum: number; readonly count: number }>
}

/** Tally the License Changes a visit goes through, one at a time. */
const tallyOf = (visit: (each: (change: LicenseChangeRow) => void) => void): ChangeTally => {
  const byStatus: Record<ProvisioningStatus, number> = { 'Not Applicable': 0, 'Awaiting Provisioning': 0, Provisioned: 0, 'Failed Provisioning': 0 }
  const bySubscription = new Map<string, { sum: number; count: number }>()
  let total = 0
  visit((change) => {
    byStatus[change.status] += 1
    total += 1
    const found = bySubscription.get(change.subscriptionId) ?? { sum: 0, count: 0 }
    bySubscription.set(change.subscriptionId, { sum: found.sum + countedDelta(change), count: found.count + 1 })
  })
  return { byStatus, total, bySubscription }
}

/** The License Change Log mismatch report: subscriptions in id order. */
const mismatchesOf = (subscriptions: ReadonlyArray<SubscriptionRow>, tally: ChangeTally): ReadonlyArray<MismatchRow> =>
  subscriptions.flatMap((s) => {
    const { sum, count } = tally.bySubscription.get(s.subscriptionId) ?? { sum: 0, count: 0 }
    return sum === s.quantity ? [] : [{
      subscriptionId: s.subscriptionId, product: s.product, providerId: s.providerId, quantity: s.quantity,
      sumOfDeltas: sum, difference: s.quantity - sum, licenseChanges: count,
    }]
  })

/** What the views hold, in numbers an auditor reads first. */
export interface ViewSummary {
  readonly licenseChanges: Readonly<Record<ProvisioningStatus, number>> & { readonly total: number }
  readonly subscriptions: number
  readonly seats: number
  readonly providers: { readonly active: number; readonly deactivated: number }
}

/** Count the views. */
const summarize = (subscriptions: ReadonlyArray<SubscriptionRow>, tally: ChangeTally, providers: ReadonlyArray<ProviderRow>): ViewSummary => {
  const active = providers.filter((provider) => provider.active).length
  return {
    licenseChanges: { ...tally.byStatus, total: tally.total },
    subscriptions: subscriptions.length,
    seats: subscriptions.reduce((sum, s) => sum + s.quantity, 0),
    providers: { active, deactivated: providers.length - active },
  }
}

/** The views in numbers and the mismatch report, as an audit shows them. */
export interface InspectedViews {
  readonly summary: ViewSummary
  readonly mismatches: ReadonlyArray<MismatchRow>
}

/** A view store that may visit a view's rows one at a time (a replay's scratch views do). */
type Visitable = ViewStore & { readonly forEachRow?: (view: string, visit: (row: unknown) => void) => void }

/**
 * The summary and the mismatch report of a view store. The License Change Log is visited a row at
 * a time where the store can (a replay's views, however long the log), so it is never held whole;
 * or by `visitLicenseChanges`, a walk the caller makes anyway (a replay's digest reads every row).
 */
export const inspectViews = (views: Visitable, visitLicenseChanges?: (each: (row: LicenseChangeRow) => void) => void): InspectedViews => {
  const subscriptions = views.rows(subscriptionsView) as ReadonlyArray<SubscriptionRow>
  const tally = tallyOf(visitLicenseChanges ?? ((each) => {
    if (views.forEachRow === undefined) (views.rows(licenseChangesView) as ReadonlyArray<LicenseChangeRow>).forEach((row) => each(row))
    else views.forEachRow(licenseChangesView, (row) => each(row as LicenseChangeRow))
  }))
  return {
    summary: summarize(subscriptions, tally, views.rows(providersView) as ReadonlyArray<ProviderRow>),
    mismatches: mismatchesOf(subscriptions, tally),
  }
}
