import { DomainEvent } from '../../src/domain/events'
import { ViewTransaction } from '../../src/store/views'
import {
  activeLicenseChangesView, automaticQueueView, isUnresolved, LicenseChangeRow, licenseChangeLog, licenseChangesView, openLicenseChangesView,
  requestsDueView, unresolvedLicenseChangesView,
} from '../../src/projections/licenseChangeLog'
import { applyEvent } from '../../src/projections/runner'
import { Projection } from '../../src/projections/projection'
import { fold, hoursIn, ids, lc, licenseChangeRecorded, log, qty, quantityChanged, snapshot } from '../support/given'

const id = ids.licenseChange('lc-1')
const ev = lc(id)
const manualChange = licenseChangeRecorded({ provider: snapshot.manual(['ops@reseller.example']) })

const rowAfter = (...events: ReadonlyArray<DomainEvent>): LicenseChangeRow => {
  const row = fold(licenseChangeLog, log(...events)).get(id)
  if (row === undefined) throw new Error('no row')
  return row
}

const recordedRow: LicenseChangeRow = {
  licenseChangeId: id,
  kind: 'change',
  subscriptionId: ids.subscription('exchange'),
  product: 'Exchange Online',
  billingContractId: 'BC-1',
  contractOwnerEmail: 'owner@customer.example',
  providerId: ids.provider('Distributor'),
  provider: 'Distributor',
  providerKind: 'Manual',
  system: null,
  provisioningEmail: 'provisioning@distributor.example',
  copiedEmails: ['ops@reseller.example'],
  previousQuantity: 10,
  newQuantity: 12,
  delta: 2,
  origin: 'host',
  status: 'Awaiting Provisioning',
  recordedAt: hoursIn(1),
  recordedPosition: 1,
  requestedAt: null,
  lastNotifiedAt: null,
  remindersSent: 0,
  attempts: 0,
  pendingReference: null,
  lastFailure: null,
  notBefore: null,
  waitingFor: null,
  supersededBy: null,
  withdrawnTo: null,
  statusReason: 'Active',
  billingRunId: null,
  invoicedAt: null,
  provisionedAt: null,
  provisionedBy: null,
  message: 'waiting',
}

describe('the License Change Log', () => {
  test('a recorded change becomes a row with its provider, quantities, delta and where it stands in the log', () => {
    expect(rowAfter(manualChange)).toStrictEqual(recordedRow)
  })

  test('an Automatic change shows its system and no provisioning address', () => {
    const row = rowAfter(licenseChangeRecorded({ provider: snapshot.automatic(), previousQuantity: qty(12), newQuantity: qty(5) }))
    expect(row).toMatchObject({ providerKind: 'Automatic', system: 'Partner Center', provisioningEmail: null, copiedEmails: [], delta: -7 })
  })

  test('recording the same change again keeps the first row', () => {
    expect(rowAfter(manualChange, licenseChangeRecorded({ newQuantity: qty(99) }))).toStrictEqual(recordedRow)
  })

  test('the request sets when it was sent and says to whom', () => {
    expect(rowAfter(manualChange, ev.requested(['ops@reseller.example']))).toStrictEqual({
      ...recordedRow, requestedAt: hoursIn(2), lastNotifiedAt: hoursIn(2),
      message: 'Provisioning request sent to provisioning@distributor.example (cc ops@reseller.example)',
    })
  })

  test('a request without copies says no cc', () => {
    expect(rowAfter(manualChange, ev.requested()).message).toBe('Provisioning request sent to provisioning@distributor.example')
  })

  test('a reminder moves the last notification and counts', () => {
    expect(rowAfter(manualChange, ev.requested(), ev.reminder(1), ev.reminder(2))).toMatchObject({
      requestedAt: hoursIn(2), lastNotifiedAt: hoursIn(4), remindersSent: 2, message: 'Reminder 2 sent to owner@customer.example',
    })
  })

  test('a person marking the change provisioned is on the row with the note', () => {
    expect(rowAfter(manualChange, ev.requested(), ev.provisioned('Dana', 'person', 'done in the portal'))).toMatchObject({
      status: 'Provisioned', provisionedAt: hoursIn(3), provisionedBy: 'Dana', message: 'Provisioned by Dana: done in the portal',
    })
  })

  test('gateway attempts: accepted, failed, failed for good, re-queued, provisioned', () => {
    const automatic = licenseChangeRecorded({ provider: snapshot.automatic() })
    expect(rowAfter(automatic, ev.accepted(1, 'PC-77'))).toMatchObject({
      attempts: 1, pendingReference: 'PC-77', message: 'Accepted by Partner Center (PC-77); waiting for confirmation',
    })
    expect(rowAfter(automatic, ev.accepted(1, 'PC-77'), ev.attemptFailed(1, 'timeout'))).toMatchObject({
      attempts: 1, pendingReference: null, message: 'Attempt 1 failed: timeout', status: 'Awaiting Provisioning',
    })
    const failed = [automatic, ev.attemptFailed(1, 'unknown tenant'), ev.failed('unknown tenant')] as const
    expect(rowAfter(...failed)).toMatchObject({ status: 'Failed Provisioning', message: 'unknown tenant', attempts: 1 })
    expect(rowAfter(...failed, ev.requeued('Dana', 'fixed the tenant'))).toMatchObject({
      status: 'Awaiting Provisioning', message: 'Re-queued by Dana: fixed the tenant', attempts: 1,
    })
    expect(rowAfter(...failed, ev.requeued(), ev.accepted(2, 'PC-78'), ev.provisioned('Partner Center', 'gateway'))).toMatchObject({
      status: 'Provisioned', provisionedBy: 'Partner Center', provisionedAt: hoursIn(6), pendingReference: null, attempts: 2,
      message: 'Provisioned by Partner Center',
    })
  })

  test('a change withdrawn by a move is Failed Provisioning, says where the subscription went, and holds nothing back', () => {
    const row = rowAfter(manualChange, ev.requested(), ev.withdrawn('TechData'))
    expect(row).toMatchObject({
      status: 'Failed Provisioning', withdrawnTo: ids.provider('TechData'),
      message: `Withdrawn: the subscription moved to provider ${ids.provider('TechData')} before this change was provisioned at Distributor; it is never sent`,
    })
    expect(isUnresolved(row)).toBe(false)
  })

  test('invoicing archives a change whatever its provisioning status, with its billing run', () => {
    expect(rowAfter(manualChange, ev.invoiced('run-7'))).toMatchObject({
      status: 'Awaiting Provisioning', statusReason: 'Archived', billingRunId: 'run-7', invoicedAt: hoursIn(2),
    })
  })

  test('a cancellation row keeps its kind', () => {
    expect(rowAfter(licenseChangeRecorded({ kind: 'cancellation', newQuantity: qty(0) }))).toMatchObject({ kind: 'cancellation', delta: -10 })
  })

  test('events of a change it never saw recorded make no row', () => {
    expect(fold(licenseChangeLog, log(ev.requested(), ev.provisioned())).size).toBe(0)
  })

  test('events without a License Change are not routed to it', () => {
    expect(log(quantityChanged(10, 12)).map(licenseChangeLog.route)).toEqual([null])
  })
})

describe('the open License Changes index', () => {
  const [open] = licenseChangeLog.indexes
  const keeps = (row: LicenseChangeRow): boolean => open?.keep(row) ?? false

  test('is the openLicenseChanges view', () => {
    expect(licenseChangeLog.indexes.map((index) => index.view)).toEqual([
      openLicenseChangesView, unresolvedLicenseChangesView, requestsDueView, automaticQueueView, activeLicenseChangesView,
    ])
  })

  test('the outbox and gateway indexes hold only the rows they work on', () => {
    const [, , requestsDue, automaticQueue] = licenseChangeLog.indexes
    const manual = { ...recordedRow, providerKind: 'Manual' as const, status: 'Awaiting Provisioning' as const, requestedAt: null }
    expect(requestsDue?.keep(manual)).toBe(true)
    expect(requestsDue?.keep({ ...manual, requestedAt: hoursIn(1) })).toBe(false)
    expect(requestsDue?.keep({ ...manual, providerKind: 'Automatic' })).toBe(false)
    const automatic = { ...recordedRow, providerKind: 'Automatic' as const, status: 'Failed Provisioning' as const, supersededBy: null }
    expect(automaticQueue?.keep(automatic)).toBe(true)
    expect(automaticQueue?.keep({ ...automatic, status: 'Provisioned' })).toBe(false)
    expect(automaticQueue?.keep({ ...manual })).toBe(false)
  })

  test.each([
    ['Awaiting Provisioning', true],
    ['Provisioned', false],
    ['Failed Provisioning', false],
    ['Not Applicable', false],
  ] as const)('keeps a %s change: %p', (status, kept) => {
    expect(keeps({ ...recordedRow, status })).toBe(kept)
  })

  test('a change leaves the index when provisioned and comes back when a failed one is re-queued', () => {
    const views = new Map<string, Map<string, unknown>>()
    const table = (view: string): Map<string, unknown> => views.get(view) ?? views.set(view, new Map()).get(view) as Map<string, unknown>
    const tx: ViewTransaction = {
      get: (view, key) => table(view).get(key),
      put: (view, key, row) => { table(view).set(key, row) },
      delete: (view, key) => { table(view).delete(key) },
    }
    const openKeys = (): ReadonlyArray<string> => [...table(openLicenseChangesView).keys()]
    const other = lc(ids.licenseChange('lc-2'))
    const events = log(
      licenseChangeRecorded({ provider: snapshot.automatic() }),
      licenseChangeRecorded({ licenseChangeId: ids.licenseChange('lc-2'), provider: snapshot.doNothing(), status: 'Not Applicable' }),
      ev.attemptFailed(1, 'x'), ev.failed('x'), ev.requeued(), ev.provisioned('Partner Center', 'gateway'), other.requested(),
    )
    const seen = events.map((event) => {
      applyEvent(tx, [licenseChangeLog as Projection<unknown>], event)
      return openKeys()
    })
    expect(seen).toEqual([[id], [id], [id], [], [id], [], []])
    expect([...table(licenseChangesView).keys()]).toEqual([id, ids.licenseChange('lc-2')])
  })
})
