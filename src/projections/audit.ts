import { Recorded } from '../domain/envelope'
import { LicenseChangeEvent, LicenseChangeKind } from '../domain/events'
import { LicenseChangeState, legalAfter } from '../domain/licenseChange'
import { ProviderKind } from '../domain/values'
import { compactFacts } from './compactFacts'

/** An invariant the log breaks, with where. */
export type Violation =
  | { readonly _tag: 'IllegalTransition'; readonly licenseChangeId: string; readonly event: string; readonly from: string; readonly streamId: string; readonly revision: number }
  | { readonly _tag: 'QuantityMismatch'; readonly subscriptionId: string; readonly quantity: number; readonly sumOfDeltas: number; readonly difference: number }
  | { readonly _tag: 'MissingProvisioningRequest'; readonly licenseChangeId: string; readonly subscriptionId: string }

/** One readable line for a violation. */
export const describeViolation = (v: Violation): string => {
  switch (v._tag) {
    case 'IllegalTransition':
      return `License Change ${v.licenseChangeId}: ${v.event} after ${v.from} is not a legal transition (stream ${v.streamId} revision ${v.revision})`
    case 'QuantityMismatch':
      return `subscription ${v.subscriptionId}: quantity ${v.quantity} but its License Changes add up to ${v.sumOfDeltas} (difference ${v.difference})`
    case 'MissingProvisioningRequest':
      return `License Change ${v.licenseChangeId} of subscription ${v.subscriptionId} is Manual but no provisioning request email is on record`
  }
}

/** What the audit keeps of one License Change. */
export interface ChangeFacts {
  readonly licenseChangeId: string
  readonly status: LicenseChangeState['status']
  readonly kind: ProviderKind
  readonly subscriptionId: string
  readonly awaited: boolean
  readonly requested: boolean
}

/** Where the audit keeps its facts of License Changes (`compactFacts`: typed arrays). */
export interface AuditFacts {
  readonly get: (licenseChangeId: string) => ChangeFacts | undefined
  readonly set: (facts: ChangeFacts) => void
  readonly forEach: (visit: (facts: ChangeFacts) => void) => void
}

const licenseChangeTypes: ReadonlySet<string> = new Set(Object.keys(legalAfter))
const isLicenseChangeEvent = (event: Recorded): event is Recorded<LicenseChangeEvent> => licenseChangeTypes.has(event.type)

/**
 * The seats a License Change adds to its subscription's sum: its delta, except a reactivation's,
 * whose seats the changes made while suspended (Not Applicable) already count.
 */
export const countedDelta = (change: { readonly kind: LicenseChangeKind; readonly previousQuantity: number; readonly newQuantity: number }): number =>
  change.kind === 'reactivation' ? 0 : change.newQuantity - change.previousQuantity

const nextStatus = (status: LicenseChangeState['status'], event: LicenseChangeEvent): LicenseChangeState['status'] => {
  switch (event.type) {
    case 'LicenseChangeRecorded': return event.data.status
    case 'LicenseChangeProvisioned': return 'Provisioned'
    case 'ProvisioningFailed': return 'Failed Provisioning'
    case 'LicenseChangeSuperseded': return 'Failed Provisioning'
    case 'ProvisioningRequeued': return 'Awaiting Provisioning'
    default: return status
  }
}

/**
 * The audit: fed every event in order, it checks that License Change statuses only move along
 * legal transitions (so no reminder follows provisioning), that every subscription's License
 * Change deltas add up to its quantity (a cancellation counts, down to zero; a reactivation does not), and that every Manual change has its request on record.
 * It keeps one small record per License Change and subscription, never the events.
 */
export const createAudit = (changes: AuditFacts = compactFacts()) => {
  const quantities = new Map<string, number>()
  const sums = new Map<string, number>()
  const violations: Violation[] = []

  const observeChange = (event: Recorded<LicenseChangeEvent>): void => {
    const id = event.data.licenseChangeId
    const facts = changes.get(id)
    const from = facts?.status ?? 'None'
    if (!legalAfter[event.type].includes(from)) {
      violations.push({ _tag: 'IllegalTransition', licenseChangeId: id, event: event.type, from, streamId: event.streamId, revision: event.revision })
    }
    if (event.type === 'LicenseChangeRecorded') {
      const { subscriptionId, provider, status } = event.data
      if (facts === undefined) {
        changes.set({ licenseChangeId: id, status, kind: provider.kind, subscriptionId, awaited: status === 'Awaiting Provisioning', requested: false })
        sums.set(subscriptionId, (sums.get(subscriptionId) ?? 0) + countedDelta(event.data))
      }
      return
    }
    if (facts === undefined) return
    changes.set({ ...facts, requested: facts.requested || event.type === 'ProvisioningRequested', status: nextStatus(facts.status, event) })
  }

  const observe = (event: Recorded): void => {
    if (event.type === 'SubscriptionCreated') quantities.set(event.data.subscriptionId, event.data.quantity)
    else if (event.type === 'SubscriptionQuantityChanged') quantities.set(event.data.subscriptionId, event.data.newQuantity)
    else if (event.type === 'SubscriptionCancelled') quantities.set(event.data.subscriptionId, 0)
    else if (isLicenseChangeEvent(event)) observeChange(event)
  }

  const finish = (): ReadonlyArray<Violation> => {
    const found: Violation[] = [...violations]
    for (const [subscriptionId, quantity] of [...quantities].sort(([a], [b]) => a.localeCompare(b))) {
      const sumOfDeltas = sums.get(subscriptionId) ?? 0
      if (sumOfDeltas !== quantity) found.push({ _tag: 'QuantityMismatch', subscriptionId, quantity, sumOfDeltas, difference: quantity - sumOfDeltas })
    }
    changes.forEach((facts) => {
      if (facts.kind === 'Manual' && facts.awaited && !facts.requested) {
        found.push({ _tag: 'MissingProvisioningRequest', licenseChangeId: facts.licenseChangeId, subscriptionId: facts.subscriptionId })
      }
    })
    return found
  }

  return { observe, finish }
}
