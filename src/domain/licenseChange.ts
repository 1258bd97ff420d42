import * as E from 'fp-ts/Either'
import { SeatflowError } from './errors'
import { EventOf, LicenseChangeEvent, ProviderSnapshot } from './events'
import { Email, LicenseChangeId, NonEmptyString, ProviderKind, ProvisioningStatus } from './values'

/** A License Change as its events made it. */
export type LicenseChangeState =
  | { readonly status: 'None' }
  | {
    readonly status: ProvisioningStatus
    readonly licenseChangeId: LicenseChangeId
    readonly providerKind: ProviderKind
    readonly maxAttempts: number
    readonly requested: boolean
    readonly remindersSent: number
    /** Attempts with an outcome on record, in all. */
    readonly attempts: number
    /** Failed attempts since the change was recorded or last re-queued. */
    readonly failuresSinceQueued: number
    /** The provider's reference of an accepted attempt still pending. */
    readonly pending: string | null
  }

export const initialLicenseChangeState: LicenseChangeState = { status: 'None' }

/** What a gateway answered to one attempt. */
export type AttemptOutcome =
  | { readonly outcome: 'Provisioned' }
  | { readonly outcome: 'Pending'; readonly reference: string }
  | { readonly outcome: 'TransientFailure'; readonly reason: string }
  | { readonly outcome: 'PermanentFailure'; readonly reason: string }

export type LicenseChangeCommand =
  | { readonly type: 'RecordLicenseChange'; readonly change: EventOf<'LicenseChangeRecorded'>['data'] }
  | { readonly type: 'RecordProvisioningRequest'; readonly licenseChangeId: LicenseChangeId; readonly to: ReadonlyArray<Email>; readonly cc: ReadonlyArray<Email>; readonly subject: string }
  | { readonly type: 'RecordReminder'; readonly licenseChangeId: LicenseChangeId; readonly to: ReadonlyArray<Email>; readonly sequence: number }
  | { readonly type: 'MarkProvisioned'; readonly licenseChangeId: LicenseChangeId; readonly by: NonEmptyString; readonly note: string | null }
  | { readonly type: 'RecordAttempt'; readonly licenseChangeId: LicenseChangeId; readonly attempt: number; readonly system: NonEmptyString; readonly result: AttemptOutcome }
  | { readonly type: 'Requeue'; readonly licenseChangeId: LicenseChangeId; readonly by: NonEmptyString; readonly reason: string }

type Decision = E.Either<SeatflowError, ReadonlyArray<LicenseChangeEvent>>
type Existing = Exclude<LicenseChangeState, { status: 'None' }>

const notAwaiting = (state: Existing): Decision =>
  E.left({ _tag: 'NotAwaitingProvisioning', licenseChangeId: state.licenseChangeId, status: state.status })

const attemptIsNew = (state: Existing, attempt: number): boolean =>
  state.pending === null ? attempt === state.attempts + 1 : attempt === state.attempts

const recordAttempt = (command: Extract<LicenseChangeCommand, { type: 'RecordAttempt' }>, state: Existing): Decision => {
  const { licenseChangeId, attempt, result } = command
  if (state.providerKind !== 'Automatic' || state.status !== 'Awaiting Provisioning' || !attemptIsNew(state, attempt)) return E.right([])
  switch (result.outcome) {
    case 'Provisioned':
      return E.right([{ type: 'LicenseChangeProvisioned', data: { licenseChangeId, by: command.system, via: 'gateway', note: null } }])
    case 'Pending':
      return state.pending === null
        ? E.right([{ type: 'ProvisioningAccepted', data: { licenseChangeId, attempt, reference: result.reference } }])
        : E.right([])
    case 'TransientFailure': {
      const failed: LicenseChangeEvent = { type: 'ProvisioningAttemptFailed', data: { licenseChangeId, attempt, reason: result.reason } }
      return state.failuresSinceQueued + 1 >= state.maxAttempts
        ? E.right([failed, { type: 'ProvisioningFailed', data: { licenseChangeId, reason: `${result.reason} (gave up after ${state.maxAttempts} attempts)` } }])
        : E.right([failed])
    }
    case 'PermanentFailure':
      return E.right([
        { type: 'ProvisioningAttemptFailed', data: { licenseChangeId, attempt, reason: result.reason } },
        { type: 'ProvisioningFailed', data: { licenseChangeId, reason: result.reason } },
      ])
  }
}

const decideExisting = (command: Exclude<LicenseChangeCommand, { type: 'RecordLicenseChange' }>, state: Existing): Decision => {
  const { licenseChangeId } = command
  switch (command.type) {
    case 'RecordProvisioningRequest':
      if (state.requested) return E.right([])
      if (state.status !== 'Awaiting Provisioning' || state.providerKind !== 'Manual') return E.right([])
      return E.right([{ type: 'ProvisioningRequested', data: { licenseChangeId, to: command.to, cc: command.cc, subject: command.subject } }])
    case 'RecordReminder':
      if (command.sequence <= state.remindersSent) return E.right([])
      if (state.status !== 'Awaiting Provisioning') return notAwaiting(state)
      if (state.providerKind !== 'Manual' || !state.requested || command.sequence !== state.remindersSent + 1) return E.right([])
      return E.right([{ type: 'ProvisioningReminderSent', data: { licenseChangeId, to: command.to, sequence: command.sequence } }])
    case 'MarkProvisioned':
      if (state.status !== 'Awaiting Provisioning') return notAwaiting(state)
      if (state.providerKind !== 'Manual') return E.left({ _tag: 'NotManualProvisioning', licenseChangeId, providerKind: state.providerKind })
      if (!state.requested) return E.left({ _tag: 'ProvisioningRequestNotSent', licenseChangeId })
      return E.right([{ type: 'LicenseChangeProvisioned', data: { licenseChangeId, by: command.by, via: 'person', note: command.note } }])
    case 'RecordAttempt':
      return recordAttempt(command, state)
    case 'Requeue':
      return state.status === 'Failed Provisioning'
        ? E.right([{ type: 'ProvisioningRequeued', data: { licenseChangeId, by: command.by, reason: command.reason } }])
        : E.left({ _tag: 'NotFailedProvisioning', licenseChangeId, status: state.status })
  }
}

/** Decide what a License Change command records. Recording one that exists decides nothing. */
export const decideLicenseChange = (command: LicenseChangeCommand, state: LicenseChangeState): Decision => {
  if (command.type === 'RecordLicenseChange') {
    return state.status === 'None' ? E.right([{ type: 'LicenseChangeRecorded', data: command.change }]) : E.right([])
  }
  return state.status === 'None'
    ? E.left({ _tag: 'LicenseChangeNotFound', licenseChangeId: command.licenseChangeId })
    : decideExisting(command, state)
}

const maxAttemptsOf = (provider: ProviderSnapshot): number => provider.kind === 'Automatic' ? provider.maxAttempts : 0

/** Apply a License Change event. */
export const evolveLicenseChange = (state: LicenseChangeState, event: LicenseChangeEvent): LicenseChangeState => {
  if (event.type === 'LicenseChangeRecorded') {
    const { licenseChangeId, provider, status } = event.data
    return {
      status, licenseChangeId, providerKind: provider.kind, maxAttempts: maxAttemptsOf(provider),
      requested: false, remindersSent: 0, attempts: 0, failuresSinceQueued: 0, pending: null,
    }
  }
  if (state.status === 'None') return state
  switch (event.type) {
    case 'ProvisioningRequested': return { ...state, requested: true }
    case 'ProvisioningReminderSent': return { ...state, remindersSent: Math.max(state.remindersSent, event.data.sequence) }
    case 'ProvisioningAccepted': return { ...state, attempts: event.data.attempt, pending: event.data.reference }
    case 'ProvisioningAttemptFailed':
      return { ...state, attempts: event.data.attempt, pending: null, failuresSinceQueued: state.failuresSinceQueued + 1 }
    case 'LicenseChangeProvisioned': return { ...state, status: 'Provisioned', pending: null }
    case 'ProvisioningFailed': return { ...state, status: 'Failed Provisioning', pending: null }
    case 'ProvisioningRequeued': return { ...state, status: 'Awaiting Provisioning', failuresSinceQueued: 0 }
  }
}

/** Which status each event may follow: the legal transitions an audit checks. */
export const legalAfter: Readonly<Record<LicenseChangeEvent['type'], ReadonlyArray<LicenseChangeState['status']>>> = {
  LicenseChangeRecorded: ['None'],
  ProvisioningRequested: ['Awaiting Provisioning'],
  ProvisioningReminderSent: ['Awaiting Provisioning'],
  ProvisioningAccepted: ['Awaiting Provisioning'],
  ProvisioningAttemptFailed: ['Awaiting Provisioning'],
  LicenseChangeProvisioned: ['Awaiting Provisioning'],
  ProvisioningFailed: ['Awaiting Provisioning'],
  ProvisioningRequeued: ['Failed Provisioning'],
}
