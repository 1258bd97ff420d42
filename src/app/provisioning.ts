import * as E from 'fp-ts/Either'
import { derivedId } from '../domain/ids'
import { AttemptOutcome, decideLicenseChange } from '../domain/licenseChange'
import { LicenseChangeId, NonEmptyString } from '../domain/values'
import { LicenseChangeRow } from '../projections/licenseChangeLog'
import { ProvisioningGateway, ProvisioningRequest, ProvisioningResult } from '../providers/gateway'
import { execute, licenseChangeAggregate, streams } from './aggregates'
import { Context } from './context'
import { openChanges } from './outbox'

/** What one provisioning run did. */
export interface ProvisioningReport {
  readonly attempts: number
  /** Automatic changes that wait because no gateway is configured for their provider. */
  readonly unconfigured: ReadonlyArray<string>
}

const outcomeOf = (result: ProvisioningResult): AttemptOutcome => {
  switch (result._tag) {
    case 'Provisioned': return { outcome: 'Provisioned' }
    case 'Accepted': return { outcome: 'Pending', reference: result.reference }
    case 'TransientFailure': return { outcome: 'TransientFailure', reason: result.reason }
    case 'PermanentFailure': return { outcome: 'PermanentFailure', reason: result.code === undefined ? result.reason : `${result.code}: ${result.reason}` }
  }
}

const call = async (gateway: ProvisioningGateway, request: ProvisioningRequest, pending: string | null): Promise<ProvisioningResult> => {
  try {
    return pending === null ? await gateway.changeQuantity(request) : await gateway.checkPending({ ...request, reference: pending })
  } catch (error) {
    return { _tag: 'TransientFailure', reason: `gateway error: ${error instanceof Error ? error.message : String(error)}` }
  }
}

const gatewayFor = (context: Context, row: LicenseChangeRow): ProvisioningGateway | undefined =>
  context.gateways[row.providerId] ?? (row.system === null ? undefined : context.gateways[row.system])

/** One attempt (or one check of an accepted attempt) for an automatic change, and its outcome on record. */
const attempt = async (context: Context, row: LicenseChangeRow, gateway: ProvisioningGateway): Promise<void> => {
  if (row.system === null) return
  const number = row.pendingReference === null ? row.attempts + 1 : row.attempts
  const request: ProvisioningRequest = {
    licenseChangeId: row.licenseChangeId, subscriptionId: row.subscriptionId, providerId: row.providerId,
    system: row.system, product: row.product, targetQuantity: row.newQuantity, previousQuantity: row.previousQuantity,
    attempt: number, idempotencyKey: derivedId(`provisioning-attempt:${row.licenseChangeId}:${number}`),
  }
  const outcome = outcomeOf(await call(gateway, request, row.pendingReference))
  const id = row.licenseChangeId as LicenseChangeId
  const recorded = await execute(context.store, {
    streamId: streams.licenseChange(id),
    aggregate: licenseChangeAggregate,
    decide: (state) => decideLicenseChange({ type: 'RecordAttempt', licenseChangeId: id, attempt: number, system: row.system as NonEmptyString, result: outcome }, state),
    metadata: { occurredAt: context.clock.now().toISOString(), actor: row.system, correlationId: row.licenseChangeId, causationId: null },
    eventId: (index, event) => derivedId(`provisioning-outcome:${row.licenseChangeId}:${number}:${event.type}:${index}`),
  })
  if (E.isLeft(recorded)) throw new Error(`could not record attempt ${number} of License Change ${row.licenseChangeId}: ${recorded.left._tag}`)
}

/**
 * Call the gateway once for each automatic change awaiting provisioning (or check one the
 * provider accepted). A transient failure is tried again on a later run, until the
 * provider's attempts run out and the change is Failed Provisioning.
 */
export const provisionAutomatic = async (context: Context, skip: ReadonlySet<string> = new Set()): Promise<ProvisioningReport & { readonly tried: ReadonlyArray<string> }> => {
  const unconfigured: string[] = []
  const tried: string[] = []
  // Per-subscription ordering: an earlier unresolved change holds later ones back (targets are absolute).
  const held = new Set<string>()
  for (const row of [...openChanges(context)].sort((a, b) => a.recordedPosition - b.recordedPosition)) {
    if (row.providerKind !== 'Automatic') continue
    const heldBack = held.has(row.subscriptionId)
    held.add(row.subscriptionId)
    if (heldBack || skip.has(row.licenseChangeId)) continue
    const gateway = gatewayFor(context, row)
    if (gateway === undefined) {
      unconfigured.push(row.licenseChangeId)
      continue
    }
    await attempt(context, row, gateway)
    tried.push(row.licenseChangeId)
  }
  return { attempts: tried.length, unconfigured, tried }
}
