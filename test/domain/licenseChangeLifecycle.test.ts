import * as E from 'fp-ts/Either'
import {
  decideLicenseChange, DatedLicenseChangeEvent, evolveLicenseChange, initialLicenseChangeState, LicenseChangeCommand, LicenseChangeState,
} from '../../src/domain/licenseChange'
import { RetryPolicy } from '../../src/domain/retry'
import { IsoTime } from '../../src/domain/values'
import { given, ids, lc, licenseChangeRecorded, snapshot, text, valid } from '../support/given'

const change = given(decideLicenseChange, evolveLicenseChange, initialLicenseChangeState)
const id = ids.licenseChange('lc-1')
const ev = lc(id)
const manualChange = licenseChangeRecorded()
const automaticChange = licenseChangeRecorded({ provider: snapshot.automatic() })
const techData = ids.provider('TechData')

const withdraw: LicenseChangeCommand = { type: 'Withdraw', licenseChangeId: id, movedTo: techData }
const invoice = (run: string): LicenseChangeCommand => ({ type: 'MarkInvoiced', licenseChangeId: id, billingRunId: text(run) })
const requeue: LicenseChangeCommand = { type: 'Requeue', licenseChangeId: id, by: text('Dana'), reason: 'try again' }

describe('withdrawing a change when its subscription moves', () => {
  test('an awaiting or failed change is withdrawn: Failed Provisioning, never re-queued', () => {
    const state = change(manualChange, ev.requested()).when(withdraw).then(ev.withdrawn('TechData'))
    expect(state).toMatchObject({ status: 'Failed Provisioning', withdrawnTo: techData })
    change(automaticChange, ev.failed('no tenant')).when(withdraw).then(ev.withdrawn('TechData'))
    change(automaticChange, ev.failed('no tenant'), ev.withdrawn('TechData')).when(requeue)
      .thenFails('LicenseChangeWithdrawn', { licenseChangeId: id, movedTo: techData })
  })

  test('a change resolved meanwhile keeps its outcome; withdrawing twice records nothing', () => {
    change(manualChange, ev.requested(), ev.provisioned()).when(withdraw).thenNothing()
    change(manualChange, ev.withdrawn('TechData')).when(withdraw).thenNothing()
    change(automaticChange, ev.superseded(ids.licenseChange('lc-2'), 4)).when(withdraw).thenNothing()
  })

  test('a withdrawn change takes no reminder, mark or gateway answer', () => {
    const withdrawn = change(manualChange, ev.requested(), ev.withdrawn('TechData'))
    withdrawn.when({ type: 'MarkProvisioned', licenseChangeId: id, by: text('Dana'), note: null }).thenFails('NotAwaitingProvisioning')
    withdrawn.when({ type: 'RecordReminder', licenseChangeId: id, to: [], sequence: 1 }).thenFails('NotAwaitingProvisioning')
  })
})

describe('invoicing', () => {
  test('archives a change once per billing run, whatever its provisioning status', () => {
    const state = change(manualChange).when(invoice('run-1')).then(ev.invoiced('run-1'))
    expect(state).toMatchObject({ status: 'Awaiting Provisioning', billingRunId: 'run-1' })
    change(manualChange, ev.invoiced('run-1')).when(invoice('run-1')).thenNothing()
    change(manualChange, ev.invoiced('run-1')).when(invoice('run-2')).thenFails('AlreadyInvoiced', { licenseChangeId: id, billingRunId: 'run-1' })
  })
})

describe('an accepted attempt the provider never confirms', () => {
  const retry: RetryPolicy = { baseSeconds: 30, capSeconds: 3600, confirmWithinHours: 24 }
  const dated = (event: DatedLicenseChangeEvent, at: string): DatedLicenseChangeEvent => ({ ...event, metadata: { occurredAt: at } })
  const accepted = [dated(automaticChange, '2026-01-05T09:00:00.000Z'), dated(ev.accepted(1, 'PC-77'), '2026-01-05T09:00:05.000Z')]
  const state: LicenseChangeState = accepted.reduce(evolveLicenseChange, initialLicenseChangeState)
  const check = (at: string): LicenseChangeCommand => ({
    type: 'RecordAttempt', licenseChangeId: id, attempt: 1, system: 'Partner Center', result: { outcome: 'Pending', reference: 'PC-77' }, at: valid(IsoTime, at), retry,
  })

  test('keeps waiting within the confirmation time', () => {
    expect(decideLicenseChange(check('2026-01-06T09:00:04.000Z'), state)).toStrictEqual(E.right([]))
  })

  test('ends Failed Provisioning once the time has run out, saying since when; a person may re-queue it', () => {
    const decided = decideLicenseChange(check('2026-01-06T09:00:05.000Z'), state)
    expect(decided).toStrictEqual(E.right([ev.failed('not confirmed by the provider since 2026-01-05T09:00:05.000Z (reference PC-77); re-queue it to send it again')]))
    const failed = E.isRight(decided) ? decided.right.reduce<LicenseChangeState>(evolveLicenseChange, state) : state
    expect(E.isRight(decideLicenseChange(requeue, failed))).toBe(true)
  })
})
