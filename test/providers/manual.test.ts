import { Recorded } from '../../src/domain/envelope'
import { DomainEvent } from '../../src/domain/events'
import { evolveLicenseChange, Existing, initialLicenseChangeState, LicenseChangeState } from '../../src/domain/licenseChange'
import { LicenseChangeRow, licenseChangeLog } from '../../src/projections/licenseChangeLog'
import { provisioningRequestMail, reminderDue, reminderFactsOf, reminderMail } from '../../src/providers/manual'
import { derivedId } from '../../src/domain/ids'
import { fold, hoursIn, ids, lc, licenseChangeRecorded, qty, recorded, snapshot, text } from '../support/given'

const id = ids.licenseChange('lc-1')
const ev = lc(id)
const day = 24

/** The License Change Log row after these events, each at the hour given (hours into the test log). */
const rowAfter = (...timed: ReadonlyArray<readonly [number, DomainEvent]>): LicenseChangeRow => {
  const events: ReadonlyArray<Recorded> = timed.map(([hour, event], index) => recorded(event, { position: index + 1, at: hoursIn(hour) }))
  const row = fold(licenseChangeLog, events).get(id)
  if (row === undefined) throw new Error('no row')
  return row
}
const at = (hours: number): Date => new Date(hoursIn(hours))

/** The License Change after these events, each at the hour given: what the mails are made of. */
const changeAfter = (...timed: ReadonlyArray<readonly [number, DomainEvent]>): Existing => {
  const events: ReadonlyArray<Recorded> = timed.map(([hour, event], index) => recorded(event, { position: index + 1, at: hoursIn(hour) }))
  const state = events.reduce<LicenseChangeState>((s, e) => evolveLicenseChange(s, e as Parameters<typeof evolveLicenseChange>[1]), initialLicenseChangeState)
  if (state.status === 'None') throw new Error('no License Change')
  return state
}

const manualChange = licenseChangeRecorded({ provider: snapshot.manual(['ops@reseller.example']) })
const requested = rowAfter([0, manualChange], [1, ev.requested()])

describe('a License Change and its License Change Log row are the same to the reminder policy', () => {
  test.each([
    ['requested', [[0, manualChange], [1, ev.requested()]]],
    ['reminded', [[0, manualChange], [1, ev.requested()], [30, ev.reminder(1)]]],
    ['provisioned', [[0, manualChange], [1, ev.requested()], [2, ev.provisioned()]]],
  ] as const)('%s', (_name, timed) => {
    for (const hours of [1, 25, 30 + day, 10 * day]) {
      expect(reminderDue(reminderFactsOf(changeAfter(...timed)), at(hours), day)).toStrictEqual(reminderDue(rowAfter(...timed), at(hours), day))
    }
  })
})

describe('when a reminder is due', () => {
  test('not before the interval has passed since the request', () => {
    expect(reminderDue(requested, at(1 + day - 0.001), day)).toBeNull()
  })

  test('exactly at the interval', () => {
    expect(reminderDue(requested, at(1 + day), day)).toStrictEqual({
      licenseChangeId: id, subscriptionId: ids.subscription('exchange'), product: 'Exchange Online',
      to: 'owner@customer.example', sequence: 1, dueAt: hoursIn(1 + day),
    })
  })

  test('one reminder however late the check: the next sequence, due when it fell due', () => {
    expect(reminderDue(requested, at(1 + 10 * day), day)).toMatchObject({ sequence: 1, dueAt: hoursIn(1 + day) })
  })

  test('counted from the last reminder, not from the request', () => {
    const reminded = rowAfter([0, manualChange], [1, ev.requested()], [30, ev.reminder(1)])
    expect(reminderDue(reminded, at(30 + day - 1), day)).toBeNull()
    expect(reminderDue(reminded, at(30 + day), day)).toMatchObject({ sequence: 2, dueAt: hoursIn(30 + day) })
  })

  test('the interval is the one given', () => {
    expect(reminderDue(requested, at(1 + 4), 4)).toMatchObject({ sequence: 1, dueAt: hoursIn(5) })
    expect(reminderDue(requested, at(1 + 4), 8)).toBeNull()
  })

  test('none before the request went out', () => {
    expect(reminderDue(rowAfter([0, manualChange]), at(10 * day), day)).toBeNull()
  })

  test('none after the change was provisioned', () => {
    const provisioned = rowAfter([0, manualChange], [1, ev.requested()], [2, ev.provisioned()])
    expect(reminderDue(provisioned, at(10 * day), day)).toBeNull()
  })

  test('none for a change that is not Manual', () => {
    const automatic = rowAfter([0, licenseChangeRecorded({ provider: snapshot.automatic() })], [1, ev.requested()])
    expect(automatic.lastNotifiedAt).toBe(hoursIn(1))
    expect(reminderDue(automatic, at(10 * day), day)).toBeNull()
    const doNothing = rowAfter([0, licenseChangeRecorded({ provider: snapshot.doNothing(), status: 'Not Applicable' })])
    expect(reminderDue(doNothing, at(10 * day), day)).toBeNull()
  })
})

describe('the provisioning request email', () => {
  const mail = provisioningRequestMail(changeAfter([0, manualChange]))

  test('goes to the provider’s provisioning team, copying the copied addresses', () => {
    expect(mail.to).toStrictEqual(['provisioning@distributor.example'])
    expect(mail.cc).toStrictEqual(['ops@reseller.example'])
  })

  test('has a stable id derived from the License Change', () => {
    expect(mail.id).toBe(derivedId(`provisioning-request:${id}`))
    expect(provisioningRequestMail(changeAfter([0, manualChange])).id).toBe(mail.id)
  })

  test('names the product and the new quantity in the subject', () => {
    expect(mail.subject).toBe('Provisioning request: Exchange Online to 12 seats')
  })

  test('says what to do and names product, provider, quantities, contract and change', () => {
    expect(mail.text.split('\n')).toStrictEqual([
      'Please set the quantity of this subscription at Distributor to 12.',
      '',
      'Product:           Exchange Online',
      `Subscription:      ${ids.subscription('exchange')}`,
      'Billing contract:  BC-1',
      'Provider:          Distributor',
      'Quantity:          10 -> 12 (+2)',
      `License Change:    ${id}`,
      '',
      'When it is done, mark the License Change provisioned:',
      `  seatflow provision --change ${id} --by <your name>`,
    ])
  })

  test('shows a decrease with its minus sign', () => {
    const decrease = provisioningRequestMail(changeAfter([0, licenseChangeRecorded({ provider: snapshot.manual(), previousQuantity: qty(12), newQuantity: qty(5) })]))
    expect(decrease.text).toContain('Quantity:          12 -> 5 (-7)')
    expect(decrease.subject).toBe('Provisioning request: Exchange Online to 5 seats')
  })
})

describe('the reminder email', () => {
  const change = changeAfter([0, manualChange], [1, ev.requested()])
  const mail = reminderMail(change, 2)

  test('goes to the billing contract’s owner alone', () => {
    expect(mail.to).toStrictEqual(['owner@customer.example'])
    expect(mail.cc).toStrictEqual([])
  })

  test('has one id per sequence', () => {
    expect(mail.id).toBe(derivedId(`provisioning-reminder:${id}:2`))
    expect(reminderMail(change, 3).id).not.toBe(mail.id)
  })

  test('names the sequence, product and quantity in the subject', () => {
    expect(mail.subject).toBe('Reminder 2: Exchange Online still awaits provisioning (12 seats)')
  })

  test('says where and when the request went, with the change summary', () => {
    const lines = mail.text.split('\n')
    expect(lines[0]).toBe(`This change was sent to Distributor (provisioning@distributor.example) at ${hoursIn(1)} and is not provisioned yet.`)
    expect(lines).toContain('Quantity:          10 -> 12 (+2)')
    expect(lines).toContain('Product:           Exchange Online')
    expect(lines[lines.length - 1]).toBe('Please follow up with the provider, then mark the License Change provisioned.')
  })
})

describe('the HTML bodies of the mails', () => {
  test('the request names product, subscription, provider, previous and new quantity and what to do, escaped', () => {
    const requestedChange = changeAfter([0, manualChange], [1, ev.requested()])
    const row = { ...requested, product: 'R&D <Suite>' }
    const mail = provisioningRequestMail({ ...requestedChange, change: { ...requestedChange.change, product: text('R&D <Suite>') } })
    expect(mail.html).toContain(`<p>Please set the quantity of this subscription at ${row.provider} to ${row.newQuantity}.</p>`)
    for (const [name, value] of [['Product', 'R&amp;D &lt;Suite&gt;'], ['Subscription', row.subscriptionId], ['Provider', row.provider],
      ['Previous quantity', String(row.previousQuantity)], ['New quantity', String(row.newQuantity)], ['License Change', row.licenseChangeId]]) {
      expect(mail.html).toContain(`<tr><th align="left">${name}</th><td>${value}</td></tr>`)
    }
    expect(mail.html).toContain(`<strong>What to do:</strong> Set the quantity at ${row.provider} to ${row.newQuantity}, then mark the License Change provisioned:<br>seatflow provision --change ${row.licenseChangeId} --by &lt;your name&gt;`)
    expect(mail.html).not.toContain('<Suite>')
  })

  test('the reminder tells the contract owner to follow up', () => {
    const mail = reminderMail(changeAfter([0, manualChange], [1, ev.requested()]), 2)
    expect(mail.html).toContain('<strong>What to do:</strong> Please follow up with the provider, then mark the License Change provisioned.')
    expect(mail.html).toContain(`<tr><th align="left">New quantity</th><td>${requested.newQuantity}</td></tr>`)
  })
})

describe('what the request asks of a Manual provider’s team', () => {
  test('a cancellation asks to cancel, naming the seats it had', () => {
    const mail = provisioningRequestMail(changeAfter([0, licenseChangeRecorded({ kind: 'cancellation', previousQuantity: qty(12), newQuantity: qty(0) })]))
    expect(mail.subject).toBe('Cancellation request: Exchange Online (12 seats)')
    expect(mail.text.split('\n')[0]).toBe('Please cancel this subscription at Distributor: the reseller cancelled it.')
    expect(mail.html).toContain('Cancel the subscription at Distributor, then mark the License Change provisioned:')
  })

  test('a reactivation asks for today’s quantity, from the quantity at the suspension', () => {
    const mail = provisioningRequestMail(changeAfter([0, licenseChangeRecorded({ kind: 'reactivation', previousQuantity: qty(10), newQuantity: qty(14) })]))
    expect(mail.subject).toBe('Reactivation request: Exchange Online at 14 seats')
    expect(mail.text.split('\n')[0]).toBe('Please reactivate this subscription at Distributor with quantity 14 (it had 10 when it was suspended).')
  })
})
