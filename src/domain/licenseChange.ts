import * as E from 'fp-ts/Either'
import { Aggregate, Decision as DecisionOf } from './decider'
import { EventMetadata } from './envelope'
import { AutomaticSystem, EventOf, LicenseChangeEvent, licenseChangeStream, ProviderSnapshot } from './events'
import { recordAttempt } from './licenseChangeAttempts'
import { RetryPolicy } from './retry'
import { Email, IsoTime, LicenseChangeId, NonEmptyString, ProviderId, ProviderKind, ProvisioningStatus, Quantity } from './values'

/** What a License Change records about its change: the subscription, the provider as it stood, the quantities and why. */
export type LicenseChangeFacts = EventOf<'LicenseChangeRecorded'>['data']

/** The earlier unresolved change of its subscription a change waits for, and that change's status. */
export interface HeldBy {
  readonly licenseChangeId: LicenseChangeId
  readonly status: 'Awaiting Provisioning' | 'Failed Provisioning'
}

/** A License Change as its events made it. */
export type LicenseChangeState =
  | { readonly status: 'None' }
  | {
    readonly status: ProvisioningStatus
    readonly licenseChangeId: LicenseChangeId
    readonly providerKind: ProviderKind
    readonly maxAttempts: number
    /** The facts it was recorded with. */
    readonly change: LicenseChangeFacts
    /** When it was recorded, its request went out and its request or last reminder went out (null: not known or not yet). */
    readonly recordedAt: string | null
    readonly requestedAt: string | null
    readonly lastNotifiedAt: string | null
    readonly requested: boolean
    readonly remindersSent: number
    /** Attempts with an outcome on record, in all. */
    readonly attempts: number
    /** Failed attempts since the change was recorded or last re-queued. */
    readonly failuresSinceQueued: number
    /** The provider's reference of an accepted attempt still pending. */
    readonly pending: string | null
    /** The next attempt (or check of the pending one) is not to be made before this instant; null: at once. */
    readonly notBefore: string | null
    /** The earlier change of the subscription this one waits for. */
    readonly heldBy: HeldBy | null
    /** The later change that made this change's target stale, if one did. */
    readonly supersededBy: LicenseChangeId | null
    /** The provider the subscription moved to when this change was withdrawn, if it was. */
    readonly withdrawnTo: ProviderId | null
    /** When the provider accepted the pending attempt (null: none pending, or not known). */
    readonly acceptedAt: string | null
    /** The billing run that invoiced it (Archived), or null (Active). */
    readonly billingRunId: NonEmptyString | null
  }

export const initialLicenseChangeState: LicenseChangeState = { status: 'None' }

/** What a gateway answered to one attempt. */
export type AttemptOutcome =
  | { readonly outcome: 'Provisioned' }
  | { readonly outcome: 'Pending'; readonly reference: string; readonly retryAfterSeconds?: number }
  | { readonly outcome: 'TransientFailure'; readonly reason: string; readonly retryAfterSeconds?: number }
  | { readonly outcome: 'PermanentFailure'; readonly reason: string }

export type LicenseChangeCommand =
  | { readonly type: 'RecordLicenseChange'; readonly change: EventOf<'LicenseChangeRecorded'>['data'] }
  | { readonly type: 'RecordProvisioningRequest'; readonly licenseChangeId: LicenseChangeId; readonly to: ReadonlyArray<Email>; readonly cc: ReadonlyArray<Email>; readonly subject: string }
  | { readonly type: 'RecordReminder'; readonly licenseChangeId: LicenseChangeId; readonly to: ReadonlyArray<Email>; readonly sequence: number }
  | { readonly type: 'MarkProvisioned'; readonly licenseChangeId: LicenseChangeId; readonly by: NonEmptyString; readonly note: string | null }
  | RecordAttempt
  | { readonly type: 'Requeue'; readonly licenseChangeId: LicenseChangeId; readonly by: NonEmptyString; readonly reason: string; readonly supersededBy?: LicenseChangeId | null }
  | { readonly type: 'HoldBack'; readonly licenseChangeId: LicenseChangeId; readonly waitingFor: LicenseChangeId; readonly waitingForStatus: 'Awaiting Provisioning' | 'Failed Provisioning' }
  | { readonly type: 'Supersede'; readonly licenseChangeId: LicenseChangeId; readonly supersededBy: LicenseChangeId; readonly quantity: Quantity }
  | { readonly type: 'Withdraw'; readonly licenseChangeId: LicenseChangeId; readonly movedTo: ProviderId }
  | { readonly type: 'MarkInvoiced'; readonly licenseChangeId: LicenseChangeId; readonly billingRunId: NonEmptyString }

/** A gateway's answer to attempt `attempt`, at `at`; `retry` says how long a transient failure waits. */
export interface RecordAttempt {
  readonly type: 'RecordAttempt'
  readonly licenseChangeId: LicenseChangeId
  readonly attempt: number
  readonly system: AutomaticSystem
  readonly result: AttemptOutcome
  readonly at: IsoTime
  readonly retry: RetryPolicy
}

type Decision = DecisionOf<LicenseChangeEvent>

/** A License Change that exists. */
export type Existing = Exclude<LicenseChangeState, { status: 'None' }>

const notAwaiting = (state: Existing): Decision =>
  E.left({ _tag: 'NotAwaitingProvisioning', licenseChangeId: state.licenseChangeId, status: state.status })

/** Whether a change still needs someone and holds later changes of its subscription back: Awaiting, or Failed and neither superseded nor withdrawn. */
export const isUnresolved = (change: Existing): boolean =>
  change.status === 'Awaiting Provisioning' || (change.status === 'Failed Provisioning' && change.supersededBy === null && change.withdrawnTo === null)

/** A re-queue: only of a failed change whose target no later change made stale. */
const requeue = (command: Extract<LicenseChangeCommand, { type: 'Requeue' }>, state: Existing): Decision => {
  const { licenseChangeId } = command
  if (state.status !== 'Failed Provisioning') return E.left({ _tag: 'NotFailedProvisioning', licenseChangeId, status: state.status })
  if (state.withdrawnTo !== null) return E.left({ _tag: 'LicenseChangeWithdrawn', licenseChangeId, movedTo: state.withdrawnTo })
  const supersededBy = state.supersededBy ?? command.supersededBy ?? null
  if (supersededBy !== null) return E.left({ _tag: 'LicenseChangeSuperseded', licenseChangeId, supersededBy })
  return E.right([{ type: 'ProvisioningRequeued', data: { licenseChangeId, by: command.by, reason: command.reason } }])
}

const holdBack = (command: Extract<LicenseChangeCommand, { type: 'HoldBack' }>, state: Existing): Decision => {
  const { licenseChangeId, waitingFor, waitingForStatus } = command
  const alreadyHeld = state.heldBy?.licenseChangeId === waitingFor && state.heldBy.status === waitingForStatus
  if (state.status !== 'Awaiting Provisioning' || state.providerKind !== 'Automatic' || alreadyHeld) return E.right([])
  return E.right([{ type: 'ProvisioningHeldBack', data: { licenseChangeId, waitingFor, waitingForStatus } }])
}

const supersede = (command: Extract<LicenseChangeCommand, { type: 'Supersede' }>, state: Existing): Decision => {
  const { licenseChangeId, supersededBy, quantity } = command
  if (!isUnresolved(state) || state.providerKind !== 'Automatic' || supersededBy === licenseChangeId) return E.right([])
  return E.right([{ type: 'LicenseChangeSuperseded', data: { licenseChangeId, supersededBy, quantity } }])
}

/** A move withdraws a change that is still unresolved; one resolved meanwhile keeps its outcome. */
const withdraw = (command: Extract<LicenseChangeCommand, { type: 'Withdraw' }>, state: Existing): Decision =>
  isUnresolved(state) ? E.right([{ type: 'LicenseChangeWithdrawn', data: { licenseChangeId: command.licenseChangeId, movedTo: command.movedTo } }]) : E.right([])

/** Invoicing archives a change once: again by the same billing run records nothing, by another is refused. */
const markInvoiced = (command: Extract<LicenseChangeCommand, { type: 'MarkInvoiced' }>, state: Existing): Decision => {
  const { licenseChangeId, billingRunId } = command
  if (state.billingRunId === billingRunId) return E.right([])
  if (state.billingRunId !== null) return E.left({ _tag: 'AlreadyInvoiced', licenseChangeId, billingRunId: state.billingRunId })
  return E.right([{ type: 'LicenseChangeInvoiced', data: { licenseChangeId, billingRunId } }])
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
      return requeue(command, state)
    case 'HoldBack':
      return holdBack(command, state)
    case 'Supersede':
      return supersede(command, state)
    case 'Withdraw':
      return withdraw(command, state)
    case 'MarkInvoiced':
      return markInvoiced(command, state)
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

/** A License Change event, with when it happened when the caller knows (a stored event does). */
export type DatedLicenseChangeEvent = LicenseChangeEvent & { readonly metadata?: Pick<EventMetadata, 'occurredAt'> }

/** Apply a License Change event. */
export const evolveLicenseChange = (state: LicenseChangeState, event: DatedLicenseChangeEvent): LicenseChangeState => {
  const at = event.metadata?.occurredAt ?? null
  if (event.type === 'LicenseChangeRecorded') {
    const { licenseChangeId, provider, status } = event.data
    return {
      status, licenseChangeId, providerKind: provider.kind, maxAttempts: maxAttemptsOf(provider), change: event.data,
      recordedAt: at, requestedAt: null, lastNotifiedAt: null,
      requested: false, remindersSent: 0, attempts: 0, failuresSinceQueued: 0, pending: null,
      notBefore: null, heldBy: null, supersededBy: null, withdrawnTo: null, acceptedAt: null, billingRunId: null,
    }
  }
  if (state.status === 'None') return state
  switch (event.type) {
    case 'ProvisioningRequested': return { ...state, requested: true, requestedAt: at, lastNotifiedAt: at }
    case 'ProvisioningReminderSent':
      return { ...state, remindersSent: Math.max(state.remindersSent, event.data.sequence), lastNotifiedAt: at ?? state.lastNotifiedAt }
    case 'ProvisioningAccepted':
      return { ...state, attempts: event.data.attempt, pending: event.data.reference, acceptedAt: at, notBefore: null, heldBy: null }
    case 'ProvisioningAttemptFailed':
      return { ...state, attempts: event.data.attempt, pending: null, failuresSinceQueued: state.failuresSinceQueued + 1, notBefore: null, heldBy: null }
    case 'LicenseChangeProvisioned': return { ...state, status: 'Provisioned', pending: null, notBefore: null, heldBy: null }
    case 'ProvisioningFailed': return { ...state, status: 'Failed Provisioning', pending: null, notBefore: null, heldBy: null }
    case 'ProvisioningRequeued': return { ...state, status: 'Awaiting Provisioning', failuresSinceQueued: 0, notBefore: null, heldBy: null }
    case 'ProvisioningAttemptScheduled': return { ...state, notBefore: event.data.notBefore }
    case 'ProvisioningHeldBack': return { ...state, heldBy: { licenseChangeId: event.data.waitingFor, status: event.data.waitingForStatus } }
    case 'LicenseChangeSuperseded':
      return { ...state, status: 'Failed Provisioning', pending: null, notBefore: null, heldBy: null, supersededBy: event.data.supersededBy }
    case 'LicenseChangeWithdrawn':
      return { ...state, status: 'Failed Provisioning', pending: null, notBefore: null, heldBy: null, withdrawnTo: event.data.movedTo }
    case 'LicenseChangeInvoiced': return { ...state, billingRunId: event.data.billingRunId }
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
  ProvisioningAttemptScheduled: ['Awaiting Provisioning'],
  ProvisioningHeldBack: ['Awaiting Provisioning'],
  LicenseChangeSuperseded: ['Awaiting Provisioning', 'Failed Provisioning'],
  LicenseChangeWithdrawn: ['Awaiting Provisioning', 'Failed Provisioning'],
  LicenseChangeInvoiced: ['Not Applicable', 'Awaiting Provisioning', 'Provisioned', 'Failed Provisioning'],
}

/** License Changes: one stream each, `licensechange-<id>`. */
export const licenseChanges: Aggregate<LicenseChangeCommand, LicenseChangeState, LicenseChangeEvent> = {
  name: 'license change', streamOf: licenseChangeStream,
  eventTypes: Object.keys(legalAfter) as ReadonlyArray<LicenseChangeEvent['type']>,
  decide: decideLicenseChange, evolve: evolveLicenseChange, initialState: initialLicenseChangeState,
}
