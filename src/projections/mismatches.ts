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

/** The License Change Log mismatch report, from the views: subscriptions in id order. */
export const mismatchReport = (subscriptions: ReadonlyArray<SubscriptionRow>, changes: ReadonlyArray<LicenseChangeRow>)
: ReadonlyArray<MismatchRow> => {
  const sums = new Map<string, { sum: number; count: number }>()
  for (const change of changes) {
    const found = sums.get(change.subscriptionId) ?? { sum: 0, count: 0 }
    sums.set(change.subscriptionId, { sum: found.sum + countedDelta(change), count: found.count + 1 })
  }
  return subscriptions.flatMap((s) => {
    const { sum, count } = sums.get(s.subscriptionId) ?? { sum: 0, count: 0 }
    return sum === s.quantity ? [] : [{
      subscriptionId: s.subscriptionId, product: s.product, providerId: s.providerId, quantity: s.quantity,
      sumOfDeltas: sum, difference: s.quantity - sum, licenseChanges: count,
    }]
  })
}

/** What the views hold, in numbers an auditor reads first. */
export interface ViewSummary {
  readonly licenseChanges: Readonly<Record<ProvisioningStatus, number>> & { readonly total: number }
  readonly subscriptions: number
  readonly seats: number
  readonly providers: { readonly active: number; readonly deactivated: number }
}

/** Count the views. */
export const summarize = (subscriptions: ReadonlyArray<SubscriptionRow>, changes: ReadonlyArray<LicenseChangeRow>, providers: ReadonlyArray<ProviderRow>)
: ViewSummary => {
  const byStatus: Record<ProvisioningStatus, number> = { 'Not Applicable': 0, 'Awaiting Provisioning': 0, Provisioned: 0, 'Failed Provisioning': 0 }
  changes.forEach((change) => { byStatus[change.status] += 1 })
  const active = providers.filter((provider) => provider.active).length
  return {
    licenseChanges: { ...byStatus, total: changes.length },
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

/** The summary and the mismatch report of a view store. */
export const inspectViews = (views: ViewStore): InspectedViews => {
  const subscriptions = views.rows(subscriptionsView) as ReadonlyArray<SubscriptionRow>
  const changes = views.rows(licenseChangesView) as ReadonlyArray<LicenseChangeRow>
  return {
    summary: summarize(subscriptions, changes, views.rows(providersView) as ReadonlyArray<ProviderRow>),
    mismatches: mismatchReport(subscriptions, changes),
  }
}
