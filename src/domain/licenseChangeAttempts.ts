import * as E from 'fp-ts/Either'
import type { Decision as DecisionOf } from './decider'
import { AutomaticSystem, LicenseChangeEvent } from './events'
import type { Existing, RecordAttempt } from './licenseChange'
import { addMs, defaultConfirmWithinHours, retryDelayMs } from './retry'
import { IsoTime, LicenseChangeId, NonEmptyString } from './values'

type Decision = DecisionOf<LicenseChangeEvent>

/** Who provisioned a change its gateway confirmed: the system's name (every system's name is non-empty text). */
const systemName = (system: AutomaticSystem): NonEmptyString => system as string as NonEmptyString

const attemptIsNew = (state: Existing, attempt: number): boolean =>
  state.pending === null ? attempt === state.attempts + 1 : attempt === state.attempts

const scheduled = (licenseChangeId: LicenseChangeId, attempt: number, notBefore: string, retryAfterSeconds: number | null): LicenseChangeEvent =>
  ({ type: 'ProvisioningAttemptScheduled', data: { licenseChangeId, attempt, notBefore: notBefore as IsoTime, retryAfterSeconds } })

/** A transient failure: on record, then the next attempt after backoff (or Retry-After), or Failed when the attempts ran out. */
const transientFailure = (command: RecordAttempt, state: Existing, reason: string, retryAfterSeconds: number | null): Decision => {
  const { licenseChangeId, attempt } = command
  const failed: LicenseChangeEvent = { type: 'ProvisioningAttemptFailed', data: { licenseChangeId, attempt, reason } }
  const failures = state.failuresSinceQueued + 1
  if (failures >= state.maxAttempts) {
    return E.right([failed, { type: 'ProvisioningFailed', data: { licenseChangeId, reason: `${reason} (gave up after ${state.maxAttempts} attempts)` } }])
  }
  const delay = retryDelayMs(command.retry, { licenseChangeId, nextAttempt: attempt + 1, failures, retryAfterSeconds })
  return E.right([failed, scheduled(licenseChangeId, attempt + 1, addMs(command.at, delay), retryAfterSeconds)])
}

/** Whether an accepted attempt has waited for the provider's confirmation longer than the policy allows, at `at`. */
export const confirmationOverdue = (state: Existing, command: Pick<RecordAttempt, 'at' | 'retry'>): boolean => {
  if (state.pending === null || state.acceptedAt === null) return false
  const hours = command.retry.confirmWithinHours ?? defaultConfirmWithinHours
  return Date.parse(command.at) - Date.parse(state.acceptedAt) >= hours * 3_600_000
}

/**
 * An accepted attempt: on record once; each answer that brings a Retry-After schedules the next
 * check. One still not confirmed when the confirmation time has run out ends Failed Provisioning
 * (a person may re-queue it: the next attempt is a new request).
 */
const pendingAttempt = (command: RecordAttempt, state: Existing, reference: string, retryAfterSeconds: number | null): Decision => {
  const { licenseChangeId, attempt } = command
  if (confirmationOverdue(state, command)) {
    const reason = `not confirmed by the provider since ${state.acceptedAt ?? command.at} (reference ${state.pending ?? reference}); re-queue it to send it again`
    return E.right([{ type: 'ProvisioningFailed', data: { licenseChangeId, reason } }])
  }
  const check = retryAfterSeconds === null ? [] : [scheduled(licenseChangeId, attempt, addMs(command.at, Math.ceil(retryAfterSeconds * 1000)), retryAfterSeconds)]
  return state.pending === null
    ? E.right([{ type: 'ProvisioningAccepted', data: { licenseChangeId, attempt, reference } }, ...check])
    : E.right(check)
}

/** What a gateway's answer to an attempt records: nothing when the change is not awaiting it (a late or repeated answer). */
export const recordAttempt = (command: RecordAttempt, state: Existing): Decision => {
  const { licenseChangeId, attempt, result } = command
  if (state.providerKind !== 'Automatic' || state.status !== 'Awaiting Provisioning' || !attemptIsNew(state, attempt)) return E.right([])
  switch (result.outcome) {
    case 'Provisioned':
      return E.right([{ type: 'LicenseChangeProvisioned', data: { licenseChangeId, by: systemName(command.system), via: 'gateway', note: null } }])
    case 'Pending':
      return pendingAttempt(command, state, result.reference, result.retryAfterSeconds ?? null)
    case 'TransientFailure':
      return transientFailure(command, state, result.reason, result.retryAfterSeconds ?? null)
    case 'PermanentFailure':
      return E.right([
        { type: 'ProvisioningAttemptFailed', data: { licenseChangeId, attempt, reason: result.reason } },
        { type: 'ProvisioningFailed', data: { licenseChangeId, reason: result.reason } },
      ])
  }
}
