import * as E from 'fp-ts/Either'
import { derivedId } from '../domain/ids'
import { AttemptOutcome, decideLicenseChange, LicenseChangeCommand } from '../domain/licenseChange'
import { isoTime, LicenseChangeId, NonEmptyString } from '../domain/values'
import { LicenseChangeRow, unresolvedLicenseChangesView, waitingMessage } from '../projections/licenseChangeLog'
import { ProvisioningGateway, ProvisioningRequest, ProvisioningResult } from '../providers/gateway'
import { provisioningQueue } from '../providers/ordering'
import { execute, licenseChangeAggregate, streams } from './aggregates'
import { Context, newEventId } from './context'

/** What one provisioning run did. */
export interface ProvisioningReport {
  readonly attempts: number
  /** Automatic changes that wait because no gateway is configured for their provider. */
  readonly unconfigured: ReadonlyArray<string>
  /** Changes held back by an earlier unresolved change of their subscription. */
  readonly held: ReadonlyArray<{ readonly licenseChangeId: string; readonly waitingFor: string }>
  /** Changes whose next attempt (or check) is not due yet. */
  readonly scheduled: ReadonlyArray<{ readonly licenseChangeId: string; readonly notBefore: string }>
}

/** The changes that still need someone (Awaiting, or Failed and not superseded), from their index. */
export const unresolvedChanges = (context: Context): ReadonlyArray<LicenseChangeRow> =>
  context.views.rows(unresolvedLicenseChangesView) as ReadonlyArray<LicenseChangeRow>

const retryAfter = (result: { readonly retryAfterSeconds?: number }): { readonly retryAfterSeconds?: number } =>
  result.retryAfterSeconds === undefined || !(result.retryAfterSeconds >= 0) ? {} : { retryAfterSeconds: result.retryAfterSeconds }

const outcomeOf = (result: ProvisioningResult): AttemptOutcome => {
  switch (result._tag) {
    case 'Provisioned': return { outcome: 'Provisioned' }
    case 'Accepted': return { outcome: 'Pending', reference: result.reference, ...retryAfter(result) }
    case 'TransientFailure': return { outcome: 'TransientFailure', reason: result.reason, ...retryAfter(result) }
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

const record = async (context: Context, row: LicenseChangeRow, command: LicenseChangeCommand, eventId: (index: number, type: string) => string): Promise<void> => {
  const recorded = await execute(context.store, {
    streamId: streams.licenseChange(row.licenseChangeId),
    aggregate: licenseChangeAggregate,
    decide: (state) => decideLicenseChange(command, state),
    metadata: { occurredAt: context.clock.now().toISOString(), actor: row.system ?? 'seatflow', correlationId: row.licenseChangeId, causationId: null },
    eventId: (index, event) => eventId(index, event.type === 'ProvisioningAttemptScheduled' ? `${event.type}:${event.data.notBefore}` : event.type),
  })
  if (E.isLeft(recorded)) throw new Error(`could not record ${command.type} for License Change ${row.licenseChangeId}: ${recorded.left._tag}`)
}

/**
 * One attempt (or one check of an accepted attempt) for an automatic change, and its outcome on
 * record. The target is absolute: the subscription's quantity as of this change.
 */
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
  const at = isoTime(context.clock.now())
  await record(context, row, { type: 'RecordAttempt', licenseChangeId: id, attempt: number, system: row.system as NonEmptyString, result: outcome, at, retry: context.retry },
    (index, what) => derivedId(`provisioning-outcome:${row.licenseChangeId}:${number}:${what}:${index}`))
}

/** Put on record which earlier change a held change waits for (once per blocker and status). */
const holdBack = (context: Context, row: LicenseChangeRow, waitingFor: LicenseChangeRow): Promise<void> =>
  record(context, row, {
    type: 'HoldBack', licenseChangeId: row.licenseChangeId as LicenseChangeId, waitingFor: waitingFor.licenseChangeId as LicenseChangeId,
    waitingForStatus: waitingFor.status === 'Failed Provisioning' ? 'Failed Provisioning' : 'Awaiting Provisioning',
  }, () => newEventId())

/**
 * Call the gateway once for the earliest unresolved automatic change of each subscription whose
 * time has come (or check one the provider accepted); later changes of the subscription wait for
 * it, with a message that says which change they wait for. A transient failure is tried again
 * after backoff, until the provider's attempts run out and the change is Failed Provisioning.
 */
export const provisionAutomatic = async (
  context: Context, unresolved: ReadonlyArray<LicenseChangeRow>, skip: ReadonlySet<string> = new Set(),
): Promise<ProvisioningReport & { readonly tried: ReadonlyArray<string> }> => {
  const unconfigured: string[] = []
  const tried: string[] = []
  const held: Array<ProvisioningReport['held'][number]> = []
  const scheduled: Array<ProvisioningReport['scheduled'][number]> = []
  for (const step of provisioningQueue(unresolved, context.clock.now())) {
    const id = step.row.licenseChangeId
    if (step.step === 'hold') {
      held.push({ licenseChangeId: id, waitingFor: step.waitingFor.licenseChangeId })
      if (step.row.message !== waitingMessage(step.waitingFor.licenseChangeId, step.waitingFor.status)) await holdBack(context, step.row, step.waitingFor)
    } else if (step.step === 'wait') {
      scheduled.push({ licenseChangeId: id, notBefore: step.notBefore })
    } else if (step.step === 'attempt' && !skip.has(id)) {
      const gateway = gatewayFor(context, step.row)
      if (gateway === undefined) unconfigured.push(id)
      else {
        await attempt(context, step.row, gateway)
        tried.push(id)
      }
    }
  }
  return { attempts: tried.length, unconfigured, held, scheduled, tried }
}
