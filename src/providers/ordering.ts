import { LicenseChangeRow } from '../projections/licenseChangeLog'

/** What happens to one unresolved Automatic change in a provisioning run. */
export type QueueStep =
  /** The earliest unresolved change of its subscription, due: call the gateway (or check the accepted attempt). */
  | { readonly step: 'attempt'; readonly row: LicenseChangeRow }
  /** The earliest unresolved change, but its next attempt is not due yet. */
  | { readonly step: 'wait'; readonly row: LicenseChangeRow; readonly notBefore: string }
  /** The earliest unresolved change, and it failed: it waits for a person to re-queue it. */
  | { readonly step: 'failed'; readonly row: LicenseChangeRow }
  /** A later change: it waits for the earliest unresolved change of its subscription. */
  | { readonly step: 'hold'; readonly row: LicenseChangeRow; readonly waitingFor: LicenseChangeRow }

const headStep = (row: LicenseChangeRow, now: Date): QueueStep => {
  if (row.status === 'Failed Provisioning') return { step: 'failed', row }
  if (row.notBefore !== null && Date.parse(row.notBefore) > now.getTime()) return { step: 'wait', row, notBefore: row.notBefore }
  return { step: 'attempt', row }
}

/**
 * Per-subscription ordering of Automatic changes. Given the unresolved changes (Awaiting, or Failed
 * and not superseded), only the earliest of each subscription may go to the provider, and only
 * when its time has come; every later one waits for it. Targets are absolute, so the provider
 * always ends at the quantity of the latest change it was sent.
 */
export const provisioningQueue = (unresolved: ReadonlyArray<LicenseChangeRow>, now: Date): ReadonlyArray<QueueStep> => {
  const heads = new Map<string, LicenseChangeRow>()
  const steps: QueueStep[] = []
  for (const row of [...unresolved].sort((a, b) => a.recordedPosition - b.recordedPosition)) {
    if (row.providerKind !== 'Automatic') continue
    const head = heads.get(row.subscriptionId)
    if (head === undefined) {
      heads.set(row.subscriptionId, row)
      steps.push(headStep(row, now))
    } else if (row.status === 'Awaiting Provisioning') {
      steps.push({ step: 'hold', row, waitingFor: head })
    }
  }
  return steps
}
