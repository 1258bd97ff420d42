import * as E from 'fp-ts/Either'
import { messageOf } from '../../domain/errors'
import { derivedId } from '../../domain/ids'
import { AttemptOutcome, Existing, LicenseChangeCommand, licenseChanges } from '../../domain/licenseChange'
import { RetryPolicy } from '../../domain/retry'
import { isoTime } from '../../domain/values'
import { automaticQueueView, licenseChangeLog } from '../../projections/licenseChangeLog'
import { viewRows } from '../../projections/projection'
import { attemptNumber, attemptOutcome, provisioningRequest } from '../../providers/automatic'
import { Clock } from '../../providers/clock'
import { Gateways, ProvisioningGateway, ProvisioningRequest, ProvisioningResult } from '../../providers/gateway'
import { ViewStore } from '../../store/views'
import { holdBack, provisioningQueue } from '../../workflows/provisioningOrder'
import { newId } from '../commands/newId'
import { runUnit, Writer } from '../commands/handler'
import { load } from '../state/load'
import { Claiming, claimWork, releaseWork } from './claimant'

/** What automatic provisioning runs on: claims with a lease (attemptLeaseSeconds) among them, so each attempt runs once across processes. */
export interface Provisioning extends Claiming {
  readonly writer: Writer
  readonly views: ViewStore
  readonly clock: Clock
  readonly gateways: Gateways
  readonly retry: RetryPolicy
}

/** What one provisioning run did. */
export interface ProvisioningReport {
  /** Automatic changes that wait because no gateway is configured for their provider. */
  readonly unconfigured: ReadonlyArray<string>
  /** Changes held back by an earlier unresolved change of their subscription, and which one. */
  readonly held: ReadonlyArray<{ readonly licenseChangeId: string; readonly waitingFor: string }>
  /** Changes whose next attempt (or check) is not due yet, and when it is. */
  readonly scheduled: ReadonlyArray<{ readonly licenseChangeId: string; readonly notBefore: string }>
  /** Changes sent to (or checked at) their gateway. */
  readonly tried: ReadonlyArray<string>
  /** What each call came to, as recorded: the change, its attempt, a first call or a check of an accepted one, and the outcome. */
  readonly attempts: ReadonlyArray<AttemptReport>
  /** Changes whose due attempt another process had claimed (it makes it; or, if it died, this one after the lease). */
  readonly claimedElsewhere: ReadonlyArray<string>
  /** Events this run recorded. */
  readonly recorded: number
}

/** One call to a gateway and its outcome. */
export interface AttemptReport {
  readonly licenseChangeId: string
  readonly attempt: number
  readonly call: 'change' | 'check'
  readonly outcome: AttemptOutcome['outcome']
}

const call = async (gateway: ProvisioningGateway, request: ProvisioningRequest, pending: string | null): Promise<ProvisioningResult> => {
  try {
    return pending === null ? await gateway.changeQuantity(request) : await gateway.checkPending({ ...request, reference: pending })
  } catch (error) {
    return { _tag: 'TransientFailure', reason: `gateway error: ${messageOf(error)}` }
  }
}

const gatewayFor = (provisioning: Provisioning, request: ProvisioningRequest): ProvisioningGateway | undefined =>
  provisioning.gateways[request.providerId] ?? provisioning.gateways[request.system]

/** Record a command on a License Change, by its provider's system, in the change's correlation. */
const record = async (provisioning: Provisioning, change: Existing, command: LicenseChangeCommand, eventId: (index: number, what: string) => string): Promise<number> => {
  const system = change.change.provider.kind === 'Automatic' ? change.change.provider.system : 'seatflow'
  const recorded = await runUnit(provisioning.writer, async (session) => session.decide(licenseChanges, change.licenseChangeId, command, {
    metadata: { occurredAt: provisioning.clock.now().toISOString(), actor: system, correlationId: change.licenseChangeId, causationId: null },
    eventId: (index, event) => eventId(index, event.type === 'ProvisioningAttemptScheduled' ? `${event.type}:${event.data.notBefore}` : event.type),
  }), 'effect record')
  if (E.isLeft(recorded)) throw new Error(`could not record ${command.type} for License Change ${change.licenseChangeId}: ${recorded.left._tag}`)
  return recorded.right.length
}

/** One attempt (or one check of an accepted attempt) for an automatic change, and its outcome on record. */
const attempt = async (provisioning: Provisioning, change: Existing, request: ProvisioningRequest, gateway: ProvisioningGateway): Promise<Made> => {
  const outcome = attemptOutcome(await call(gateway, request, change.pending))
  const number = request.attempt
  const recorded = await record(provisioning, change, {
    type: 'RecordAttempt', licenseChangeId: change.licenseChangeId, attempt: number, system: request.system,
    result: outcome, at: isoTime(provisioning.clock.now()), retry: provisioning.retry,
  }, (index, what) => derivedId(`provisioning-outcome:${change.licenseChangeId}:${number}:${what}:${index}`))
  const report: AttemptReport = { licenseChangeId: change.licenseChangeId, attempt: number, call: change.pending === null ? 'change' : 'check', outcome: outcome.outcome }
  return { recorded, report }
}

/** A call made: the events it recorded, and what it came to. */
interface Made {
  readonly recorded: number
  readonly report: AttemptReport
}

/** The claim of one due call: an attempt, or one check of an accepted attempt at its scheduled time. */
const claimKey = (change: Existing, request: ProvisioningRequest): string => change.pending === null
  ? `provisioning-attempt:${change.licenseChangeId}:${request.attempt}`
  : `provisioning-check:${change.licenseChangeId}:${request.attempt}:${change.notBefore ?? ''}`

/** Whether the change as the store has it now still waits for the same call (another process may have made it meanwhile). */
const stillDue = async (provisioning: Provisioning, change: Existing): Promise<boolean> => {
  const now = (await load(provisioning.writer.reader, licenseChanges, change.licenseChangeId)).state
  return now.status === 'Awaiting Provisioning' && attemptNumber(now) === attemptNumber(change)
    && now.pending === change.pending && now.notBefore === change.notBefore
}

/**
 * Claim the call, check it is still due, call the gateway and record the outcome: each attempt
 * runs once however many processes share the store. A recorded outcome keeps its claim until the
 * lease runs out; a check that recorded nothing gives it back (the next check claims it again). A
 * claimer that died leaves the call to the lease, or at once to a process of the same host.
 */
const attemptOnce = async (provisioning: Provisioning, change: Existing, request: ProvisioningRequest, gateway: ProvisioningGateway)
: Promise<Made | 'claimed elsewhere' | 'done elsewhere'> => {
  const key = claimKey(change, request)
  if (!await claimWork(provisioning, key)) return 'claimed elsewhere'
  if (!await stillDue(provisioning, change)) return releaseWork(provisioning, key, 'done elsewhere' as const)
  const made = await attempt(provisioning, change, request, gateway)
  return made.recorded === 0 ? releaseWork(provisioning, key, made) : made
}

/** When an attempt just made scheduled the change's next one (a retry, a check), that time: the run's report names it. */
const scheduledAfter = async (provisioning: Provisioning, licenseChangeId: string): Promise<ProvisioningReport['scheduled']> => {
  const now = (await load(provisioning.writer.reader, licenseChanges, licenseChangeId)).state
  return now.status === 'Awaiting Provisioning' && now.notBefore !== null ? [{ licenseChangeId, notBefore: now.notBefore }] : []
}

/** The unresolved Automatic changes in the order they were recorded, as the store has them now. */
const automaticQueue = async (provisioning: Provisioning): Promise<ReadonlyArray<Existing>> => {
  const rows = [...viewRows(provisioning.views, licenseChangeLog, automaticQueueView)].sort((a, b) => a.recordedPosition - b.recordedPosition)
  const states = await Promise.all(rows.map(async (row) => (await load(provisioning.writer.reader, licenseChanges, row.licenseChangeId)).state))
  return states.flatMap((state) => (state.status === 'None' ? [] : [state]))
}

/**
 * Call the gateway once for the earliest unresolved automatic change of each subscription whose
 * time has come (or check one the provider accepted); later changes of the subscription wait for
 * it, with the change they wait for on record. A transient failure is tried again after backoff,
 * until the provider's attempts run out and the change is Failed Provisioning. `skip`: changes
 * tried already in this processing run.
 */
export const provisionAutomatic = async (provisioning: Provisioning, skip: ReadonlySet<string>): Promise<ProvisioningReport> => {
  const unconfigured: string[] = []
  const tried: string[] = []
  const held: Array<ProvisioningReport['held'][number]> = []
  const scheduled: Array<ProvisioningReport['scheduled'][number]> = []
  const attempts: AttemptReport[] = []
  const claimedElsewhere: string[] = []
  let recorded = 0
  for (const step of provisioningQueue(await automaticQueue(provisioning), provisioning.clock.now())) {
    const id = step.change.licenseChangeId
    if (step.step === 'hold') {
      held.push({ licenseChangeId: id, waitingFor: step.waitingFor.licenseChangeId })
      recorded += await record(provisioning, step.change, holdBack(step.change, step.waitingFor), () => newId())
    } else if (step.step === 'wait') {
      scheduled.push({ licenseChangeId: id, notBefore: step.notBefore })
    } else if (step.step === 'attempt' && !skip.has(id)) {
      const request = provisioningRequest(step.change)
      const gateway = request === null ? undefined : gatewayFor(provisioning, request)
      if (request === null || gateway === undefined) unconfigured.push(id)
      else {
        const made = await attemptOnce(provisioning, step.change, request, gateway)
        if (made === 'claimed elsewhere') claimedElsewhere.push(id)
        else if (made !== 'done elsewhere') {
          recorded += made.recorded
          attempts.push(made.report)
          tried.push(id)
          scheduled.push(...await scheduledAfter(provisioning, id))
        }
      }
    }
  }
  return { unconfigured, held, scheduled, tried, attempts, claimedElsewhere, recorded }
}
