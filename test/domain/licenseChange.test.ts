import {
  AttemptOutcome, decideLicenseChange, evolveLicenseChange, initialLicenseChangeState, LicenseChangeCommand,
} from '../../src/domain/licenseChange'
import { RetryPolicy, retryDelayMs } from '../../src/domain/retry'
import { IsoTime, Quantity } from '../../src/domain/values'
import { changeData, email, given, ids, lc, licenseChangeRecorded, snapshot, text, valid } from '../support/given'

const change = given(decideLicenseChange, evolveLicenseChange, initialLicenseChangeState)
const id = ids.licenseChange('lc-1')
const ev = lc(id)

const manualChange = licenseChangeRecorded()
const automaticChange = (maxAttempts = 3) => licenseChangeRecorded({ provider: snapshot.automatic(maxAttempts), message: 'Sending quantity 12 to Partner Center' })
const notApplicable = licenseChangeRecorded({ provider: snapshot.doNothing(), status: 'Not Applicable' })

const retry: RetryPolicy = { baseSeconds: 30, capSeconds: 3600 }
const failedAt = '2026-01-05T09:00:00.000Z'
/** When attempt `next` may go after the `failures`-th failure at `at` (retryDelayMs has its own tests). */
const retryAt = (next: number, failures: number, retryAfterSeconds: number | null = null, at = failedAt): string =>
  new Date(Date.parse(at) + retryDelayMs(retry, { licenseChangeId: id, nextAttempt: next, failures, retryAfterSeconds })).toISOString()

const command = {
  record: (overrides = {}): LicenseChangeCommand => ({ type: 'RecordLicenseChange', change: changeData(overrides) }),
  request: (): LicenseChangeCommand => ({
    type: 'RecordProvisioningRequest', licenseChangeId: id,
    to: [email('provisioning@distributor.example')], cc: [], subject: 'Provisioning request',
  }),
  remind: (sequence: number): LicenseChangeCommand =>
    ({ type: 'RecordReminder', licenseChangeId: id, to: [email('owner@customer.example')], sequence }),
  mark: (note: string | null = null): LicenseChangeCommand => ({ type: 'MarkProvisioned', licenseChangeId: id, by: text('Dana'), note }),
  attempt: (attempt: number, result: AttemptOutcome, at = failedAt): LicenseChangeCommand =>
    ({ type: 'RecordAttempt', licenseChangeId: id, attempt, system: 'Partner Center', result, at: valid(IsoTime, at), retry }),
  requeue: (): LicenseChangeCommand => ({ type: 'Requeue', licenseChangeId: id, by: text('Dana'), reason: 'fixed the tenant' }),
}
const outcome = {
  provisioned: { outcome: 'Provisioned' } as const,
  pending: (reference: string) => ({ outcome: 'Pending', reference }) as const,
  transient: (reason: string) => ({ outcome: 'TransientFailure', reason }) as const,
  permanent: (reason: string) => ({ outcome: 'PermanentFailure', reason }) as const,
}

describe('recording a License Change', () => {
  test('a new License Change is recorded as the policy decided it', () => {
    const state = change().when(command.record()).then(manualChange)
    expect(state).toStrictEqual({
      status: 'Awaiting Provisioning', licenseChangeId: id, providerKind: 'Manual', maxAttempts: 0, change: manualChange.data,
      recordedAt: null, requestedAt: null, lastNotifiedAt: null,
      requested: false, remindersSent: 0, attempts: 0, failuresSinceQueued: 0, pending: null,
      notBefore: null, heldBy: null, supersededBy: null, withdrawnTo: null, acceptedAt: null, billingRunId: null,
    })
  })

  test('an Automatic change remembers how many attempts its provider allows', () => {
    const state = change().when(command.record({ provider: snapshot.automatic(5) }))
      .then(licenseChangeRecorded({ provider: snapshot.automatic(5) }))
    expect(state).toMatchObject({ providerKind: 'Automatic', maxAttempts: 5 })
  })

  test('recording the same License Change twice is a no-op (a reaction processed the event again)', () => {
    change(manualChange).when(command.record({ newQuantity: 99 })).thenNothing()
  })

  test.each([
    ['a request', command.request()],
    ['a reminder', command.remind(1)],
    ['a mark', command.mark()],
    ['an attempt', command.attempt(1, outcome.provisioned)],
    ['a requeue', command.requeue()],
  ])('%s for a License Change that does not exist is refused', (_what, cmd) => {
    change().when(cmd).thenFails('LicenseChangeNotFound', { licenseChangeId: id })
  })
})

describe('a Manual change', () => {
  test('records its provisioning request once', () => {
    const state = change(manualChange).when(command.request()).then(ev.requested())
    expect(state).toMatchObject({ requested: true })
  })

  test('a second request is a no-op: the email went out once', () => {
    change(manualChange, ev.requested()).when(command.request()).thenNothing()
  })

  test('an Automatic or Not Applicable change records no request', () => {
    change(automaticChange()).when(command.request()).thenNothing()
    change(notApplicable).when(command.request()).thenNothing()
  })

  test('a manual change waits for provisioning until a person marks it', () => {
    const state = change(manualChange, ev.requested()).when(command.mark('done in the portal'))
      .then(ev.provisioned('Dana', 'person', 'done in the portal'))
    expect(state.status).toBe('Provisioned')
  })

  test('cannot be marked before its request email is on record', () => {
    change(manualChange).when(command.mark()).thenFails('ProvisioningRequestNotSent', { licenseChangeId: id })
  })

  test('cannot be marked twice', () => {
    change(manualChange, ev.requested(), ev.provisioned()).when(command.mark())
      .thenFails('NotAwaitingProvisioning', { licenseChangeId: id, status: 'Provisioned' })
  })

  test('only a Manual change is marked by a person', () => {
    change(automaticChange()).when(command.mark())
      .thenFails('NotManualProvisioning', { licenseChangeId: id, providerKind: 'Automatic' })
  })

  test('a Not Applicable change cannot be marked', () => {
    change(notApplicable).when(command.mark())
      .thenFails('NotAwaitingProvisioning', { licenseChangeId: id, status: 'Not Applicable' })
  })
})

describe('reminders of a Manual change', () => {
  const requested = [manualChange, ev.requested()] as const

  test('the first reminder has sequence 1', () => {
    const state = change(...requested).when(command.remind(1)).then(ev.reminder(1))
    expect(state).toMatchObject({ remindersSent: 1 })
  })

  test('each reminder takes the next sequence', () => {
    change(...requested, ev.reminder(1), ev.reminder(2)).when(command.remind(3)).then(ev.reminder(3))
  })

  test('a reminder that skips a sequence is not recorded', () => {
    change(...requested, ev.reminder(1)).when(command.remind(3)).thenNothing()
  })

  test('a reminder already on record is a no-op (sent again after a crash)', () => {
    change(...requested, ev.reminder(1), ev.reminder(2)).when(command.remind(2)).thenNothing()
    change(...requested, ev.reminder(1), ev.reminder(2)).when(command.remind(1)).thenNothing()
  })

  test('no reminder before the request went out', () => {
    change(manualChange).when(command.remind(1)).thenNothing()
  })

  test('no reminder for an Automatic change', () => {
    change(automaticChange()).when(command.remind(1)).thenNothing()
  })

  test('a reminder after the change was provisioned is refused', () => {
    change(...requested, ev.reminder(1), ev.provisioned()).when(command.remind(2))
      .thenFails('NotAwaitingProvisioning', { licenseChangeId: id, status: 'Provisioned' })
  })

  test('a reminder sent before provisioning and recorded again after it is still a no-op', () => {
    change(...requested, ev.reminder(1), ev.provisioned()).when(command.remind(1)).thenNothing()
  })
})

describe('an Automatic change through its gateway', () => {
  test('is provisioned when the first attempt succeeds', () => {
    const state = change(automaticChange()).when(command.attempt(1, outcome.provisioned))
      .then(ev.provisioned('Partner Center', 'gateway'))
    expect(state.status).toBe('Provisioned')
  })

  test('waits when the provider accepts the change, then is provisioned on the same attempt', () => {
    const pending = change(automaticChange()).when(command.attempt(1, outcome.pending('PC-77'))).then(ev.accepted(1, 'PC-77'))
    expect(pending).toMatchObject({ status: 'Awaiting Provisioning', attempts: 1, pending: 'PC-77' })
    change(automaticChange(), ev.accepted(1, 'PC-77')).when(command.attempt(1, outcome.provisioned))
      .then(ev.provisioned('Partner Center', 'gateway'))
  })

  test('a change still pending records nothing more while it waits', () => {
    change(automaticChange(), ev.accepted(1, 'PC-77')).when(command.attempt(1, outcome.pending('PC-77'))).thenNothing()
    change(automaticChange(), ev.accepted(1, 'PC-77')).when(command.attempt(2, outcome.provisioned)).thenNothing()
  })

  test('a pending attempt that then fails counts as that attempt', () => {
    const state = change(automaticChange(), ev.accepted(1, 'PC-77')).when(command.attempt(1, outcome.transient('timeout')))
      .then(ev.attemptFailed(1, 'timeout'), ev.scheduled(2, retryAt(2, 1)))
    expect(state).toMatchObject({ attempts: 1, pending: null, failuresSinceQueued: 1 })
  })

  test('a transient failure is retried after backoff: the next attempt is scheduled from the failure time', () => {
    const state = change(automaticChange(3)).when(command.attempt(1, outcome.transient('HTTP 503')))
      .then(ev.attemptFailed(1, 'HTTP 503'), ev.scheduled(2, retryAt(2, 1)))
    expect(state).toMatchObject({ status: 'Awaiting Provisioning', attempts: 1, notBefore: retryAt(2, 1) })
    change(automaticChange(3), ev.attemptFailed(1, 'HTTP 503'), ev.scheduled(2, retryAt(2, 1)))
      .when(command.attempt(2, outcome.transient('HTTP 503'), '2026-01-05T09:01:00.000Z'))
      .then(ev.attemptFailed(2, 'HTTP 503'), ev.scheduled(3, retryAt(3, 2, null, '2026-01-05T09:01:00.000Z')))
  })

  test('the provider’s Retry-After wins when it asks for longer than the backoff, and not when it asks for less', () => {
    change(automaticChange(3)).when(command.attempt(1, { outcome: 'TransientFailure', reason: 'HTTP 429', retryAfterSeconds: 600 }))
      .then(ev.attemptFailed(1, 'HTTP 429'), ev.scheduled(2, '2026-01-05T09:10:00.000Z', 600))
    change(automaticChange(3)).when(command.attempt(1, { outcome: 'TransientFailure', reason: 'HTTP 429', retryAfterSeconds: 1 }))
      .then(ev.attemptFailed(1, 'HTTP 429'), ev.scheduled(2, retryAt(2, 1), 1))
  })

  test('transient failures are retried until the provider’s attempts run out, then it fails with the last reason', () => {
    const afterTwo = [automaticChange(3), ev.attemptFailed(1, 'HTTP 503'), ev.scheduled(2, retryAt(2, 1)), ev.attemptFailed(2, 'HTTP 503'), ev.scheduled(3, retryAt(3, 2))] as const
    const state = change(...afterTwo).when(command.attempt(3, outcome.transient('HTTP 504')))
      .then(ev.attemptFailed(3, 'HTTP 504'), ev.failed('HTTP 504 (gave up after 3 attempts)'))
    expect(state).toMatchObject({ status: 'Failed Provisioning', attempts: 3, notBefore: null })
  })

  test('an accepted attempt with a Retry-After schedules its next check; a later answer with one schedules the next', () => {
    change(automaticChange()).when(command.attempt(1, { outcome: 'Pending', reference: 'PC-77', retryAfterSeconds: 120 }))
      .then(ev.accepted(1, 'PC-77'), ev.scheduled(1, '2026-01-05T09:02:00.000Z', 120))
    change(automaticChange(), ev.accepted(1, 'PC-77'), ev.scheduled(1, '2026-01-05T09:02:00.000Z', 120))
      .when(command.attempt(1, { outcome: 'Pending', reference: 'PC-77', retryAfterSeconds: 60 }, '2026-01-05T09:02:00.000Z'))
      .then(ev.scheduled(1, '2026-01-05T09:03:00.000Z', 60))
  })

  test('a provider that allows one attempt fails on the first transient failure', () => {
    change(automaticChange(1)).when(command.attempt(1, outcome.transient('HTTP 503')))
      .then(ev.attemptFailed(1, 'HTTP 503'), ev.failed('HTTP 503 (gave up after 1 attempts)'))
  })

  test('a permanent failure fails at once with its reason', () => {
    change(automaticChange(5)).when(command.attempt(1, outcome.permanent('unknown tenant')))
      .then(ev.attemptFailed(1, 'unknown tenant'), ev.failed('unknown tenant'))
  })

  test('an attempt already on record is a no-op', () => {
    change(automaticChange(), ev.attemptFailed(1, 'HTTP 503')).when(command.attempt(1, outcome.transient('HTTP 503'))).thenNothing()
    change(automaticChange(), ev.attemptFailed(1, 'HTTP 503')).when(command.attempt(1, outcome.provisioned)).thenNothing()
  })

  test('an attempt out of order is a no-op', () => {
    change(automaticChange()).when(command.attempt(2, outcome.provisioned)).thenNothing()
  })

  test('an attempt after the change was provisioned or failed is a no-op', () => {
    change(automaticChange(), ev.provisioned('Partner Center', 'gateway')).when(command.attempt(1, outcome.provisioned)).thenNothing()
    change(automaticChange(), ev.attemptFailed(1, 'x'), ev.failed('x')).when(command.attempt(2, outcome.provisioned)).thenNothing()
  })
})

describe('re-queueing a failed change', () => {
  const failed = [automaticChange(2), ev.attemptFailed(1, 'HTTP 503'), ev.attemptFailed(2, 'HTTP 503'), ev.failed('HTTP 503 (gave up after 2 attempts)')] as const

  test('a person re-queues a failed change: it awaits provisioning again, on the record', () => {
    const state = change(...failed).when(command.requeue()).then(ev.requeued('Dana', 'fixed the tenant'))
    expect(state).toMatchObject({ status: 'Awaiting Provisioning', attempts: 2, failuresSinceQueued: 0 })
  })

  test('after a re-queue the attempts are counted again, numbering on', () => {
    change(...failed, ev.requeued()).when(command.attempt(3, outcome.transient('HTTP 503'))).then(ev.attemptFailed(3, 'HTTP 503'), ev.scheduled(4, retryAt(4, 1)))
    change(...failed, ev.requeued(), ev.attemptFailed(3, 'HTTP 503'), ev.scheduled(4, retryAt(4, 1))).when(command.attempt(4, outcome.transient('HTTP 503')))
      .then(ev.attemptFailed(4, 'HTTP 503'), ev.failed('HTTP 503 (gave up after 2 attempts)'))
    change(...failed, ev.requeued()).when(command.attempt(3, outcome.provisioned)).then(ev.provisioned('Partner Center', 'gateway'))
  })

  test('an old attempt number after a re-queue is a no-op', () => {
    change(...failed, ev.requeued()).when(command.attempt(2, outcome.provisioned)).thenNothing()
  })

  test.each([
    ['Awaiting Provisioning', [automaticChange()]],
    ['Provisioned', [automaticChange(), ev.provisioned('Partner Center', 'gateway')]],
    ['Not Applicable', [notApplicable]],
  ] as const)('a change that is %s cannot be re-queued', (status, history) => {
    change(...history).when(command.requeue()).thenFails('NotFailedProvisioning', { licenseChangeId: id, status })
  })
})

describe('per-subscription ordering', () => {
  const earlier = ids.licenseChange('lc-0')
  const hold = (status: 'Awaiting Provisioning' | 'Failed Provisioning'): LicenseChangeCommand =>
    ({ type: 'HoldBack', licenseChangeId: id, waitingFor: earlier, waitingForStatus: status })

  test('a change held back by an earlier one says which change it waits for, once per blocker and status', () => {
    const state = change(automaticChange()).when(hold('Awaiting Provisioning')).then(ev.heldBack(earlier))
    expect(state).toMatchObject({ status: 'Awaiting Provisioning', heldBy: { licenseChangeId: earlier, status: 'Awaiting Provisioning' } })
    change(automaticChange(), ev.heldBack(earlier)).when(hold('Awaiting Provisioning')).thenNothing()
    change(automaticChange(), ev.heldBack(earlier)).when(hold('Failed Provisioning')).then(ev.heldBack(earlier, 'Failed Provisioning'))
  })

  test('once it went to the provider, the same hold is recorded again when it comes back', () => {
    const failed = [automaticChange(1), ev.heldBack(earlier), ev.attemptFailed(1, 'x'), ev.failed('x'), ev.requeued()] as const
    change(...failed).when(hold('Awaiting Provisioning')).then(ev.heldBack(earlier))
  })

  test('only an Automatic change awaiting provisioning is held back', () => {
    change(manualChange).when(hold('Awaiting Provisioning')).thenNothing()
    change(automaticChange(), ev.provisioned('Partner Center', 'gateway')).when(hold('Awaiting Provisioning')).thenNothing()
  })
})

describe('a change superseded by a quantity the provider reported', () => {
  const later = ids.licenseChange('lc-9')
  const supersede: LicenseChangeCommand = { type: 'Supersede', licenseChangeId: id, supersededBy: later, quantity: valid(Quantity, 15) }

  test('an awaiting or failed Automatic change ends Failed Provisioning, superseded, and is never re-queued', () => {
    const state = change(automaticChange(), ev.attemptFailed(1, 'x'), ev.scheduled(2, retryAt(2, 1))).when(supersede).then(ev.superseded(later, 15))
    expect(state).toMatchObject({ status: 'Failed Provisioning', supersededBy: later, notBefore: null })
    change(automaticChange(), ev.attemptFailed(1, 'x'), ev.failed('x')).when(supersede).then(ev.superseded(later, 15))
    change(automaticChange(), ev.failed('x'), ev.superseded(later, 15)).when(command.requeue())
      .thenFails('LicenseChangeSuperseded', { licenseChangeId: id, supersededBy: later })
  })

  test('an accepted attempt still pending is superseded too: the provider’s report is the later fact', () => {
    change(automaticChange(), ev.accepted(1, 'PC-1')).when(supersede).then(ev.superseded(later, 15))
  })

  test('a provisioned, Not Applicable, Manual or already superseded change is left alone', () => {
    change(automaticChange(), ev.provisioned('Partner Center', 'gateway')).when(supersede).thenNothing()
    change(notApplicable).when(supersede).thenNothing()
    change(manualChange).when(supersede).thenNothing()
    change(automaticChange(), ev.superseded(later, 15)).when(supersede).thenNothing()
  })

  test('a re-queue is refused when the application found a later change that set the provider’s quantity', () => {
    change(automaticChange(), ev.failed('x')).when({ type: 'Requeue', licenseChangeId: id, by: text('Dana'), reason: 'retry', supersededBy: later })
      .thenFails('LicenseChangeSuperseded', { licenseChangeId: id, supersededBy: later })
  })
})
