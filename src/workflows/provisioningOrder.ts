import { Existing, isUnresolved, LicenseChangeCommand } from '../domain/licenseChange'

/** What happens to one unresolved Automatic change in a provisioning run. */
export type QueueStep =
  /** The earliest unresolved change of its subscription, due: call the gateway (or check the accepted attempt). */
  | { readonly step: 'attempt'; readonly change: Existing }
  /** The earliest unresolved change, but its next attempt is not due yet. */
  | { readonly step: 'wait'; readonly change: Existing; readonly notBefore: string }
  /** The earliest unresolved change, and it failed: it waits for a person to re-queue it. */
  | { readonly step: 'failed'; readonly change: Existing }
  /** A later change: it waits for the earliest unresolved change of its subscription. */
  | { readonly step: 'hold'; readonly change: Existing; readonly waitingFor: Existing }

const headStep = (change: Existing, now: Date): QueueStep => {
  if (change.status === 'Failed Provisioning') return { step: 'failed', change }
  if (change.notBefore !== null && Date.parse(change.notBefore) > now.getTime()) return { step: 'wait', change, notBefore: change.notBefore }
  return { step: 'attempt', change }
}

/**
 * Per-subscription ordering of Automatic changes. Given the unresolved changes in the order they
 * were recorded, only the earliest of each subscription may go to the provider, and only when its
 * time has come; every later one waits for it. Targets are absolute, so the provider always ends
 * at the quantity of the latest change it was sent.
 */
export const provisioningQueue = (unresolved: ReadonlyArray<Existing>, now: Date): ReadonlyArray<QueueStep> => {
  const heads = new Map<string, Existing>()
  const steps: QueueStep[] = []
  for (const change of unresolved) {
    if (change.providerKind !== 'Automatic' || !isUnresolved(change)) continue
    const head = heads.get(change.change.subscriptionId)
    if (head === undefined) {
      heads.set(change.change.subscriptionId, change)
      steps.push(headStep(change, now))
    } else if (change.status === 'Awaiting Provisioning') {
      steps.push({ step: 'hold', change, waitingFor: head })
    }
  }
  return steps
}

/** A held change puts on record which earlier change it waits for (the License Change records it once per blocker and status). */
export const holdBack = (change: Existing, waitingFor: Existing): LicenseChangeCommand => ({
  type: 'HoldBack', licenseChangeId: change.licenseChangeId, waitingFor: waitingFor.licenseChangeId,
  waitingForStatus: waitingFor.status === 'Failed Provisioning' ? 'Failed Provisioning' : 'Awaiting Provisioning',
})
