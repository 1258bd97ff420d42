import * as E from 'fp-ts/Either'
import fc from 'fast-check'
import { LicenseChangeEvent, ProviderSnapshot } from '../../src/domain/events'
import {
  AttemptOutcome, decideLicenseChange, evolveLicenseChange, initialLicenseChangeState, legalAfter, LicenseChangeCommand,
  LicenseChangeState,
} from '../../src/domain/licenseChange'
import { IsoTime } from '../../src/domain/values'
import { changeData, email, ids, qty, snapshot, text } from '../support/given'

const id = ids.licenseChange('lc-1')

/** A command as generated; `next` numbers are counted from the state the command meets, to reach the interesting cases. */
type Intent =
  | { readonly kind: 'record'; readonly provider: ProviderSnapshot; readonly status: 'Not Applicable' | 'Awaiting Provisioning' }
  | { readonly kind: 'request' }
  | { readonly kind: 'remind'; readonly sequence: { readonly next: number } | { readonly exactly: number } }
  | { readonly kind: 'mark' }
  | { readonly kind: 'attempt'; readonly attempt: { readonly next: number } | { readonly exactly: number }; readonly result: AttemptOutcome }
  | { readonly kind: 'requeue' }
  | { readonly kind: 'hold'; readonly status: 'Awaiting Provisioning' | 'Failed Provisioning' }
  | { readonly kind: 'supersede' }
  | { readonly kind: 'withdraw' }
  | { readonly kind: 'invoice'; readonly run: string }

const provider: fc.Arbitrary<ProviderSnapshot> = fc.oneof(
  fc.constant(snapshot.doNothing()),
  fc.constant(snapshot.manual()),
  fc.integer({ min: 1, max: 4 }).map((n) => snapshot.automatic(n)),
)
const number = fc.oneof(
  fc.integer({ min: -1, max: 2 }).map((next) => ({ next })),
  fc.integer({ min: 0, max: 8 }).map((exactly) => ({ exactly })),
)
const outcome: fc.Arbitrary<AttemptOutcome> = fc.oneof(
  fc.constant({ outcome: 'Provisioned' } as const),
  fc.constantFrom('R-1', 'R-2').map((reference) => ({ outcome: 'Pending', reference }) as const),
  fc.constantFrom('HTTP 503', 'timeout').map((reason) => ({ outcome: 'TransientFailure', reason }) as const),
  fc.constant({ outcome: 'PermanentFailure', reason: 'unknown tenant' } as const),
)
const intent: fc.Arbitrary<Intent> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('record' as const), provider, status: fc.constantFrom('Not Applicable' as const, 'Awaiting Provisioning' as const) }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'request' } as const), weight: 2 },
  { arbitrary: number.map((sequence) => ({ kind: 'remind', sequence }) as const), weight: 3 },
  { arbitrary: fc.constant({ kind: 'mark' } as const), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('attempt' as const), attempt: number, result: outcome }), weight: 5 },
  { arbitrary: fc.constant({ kind: 'requeue' } as const), weight: 2 },
  { arbitrary: fc.constantFrom('Awaiting Provisioning' as const, 'Failed Provisioning' as const).map((status) => ({ kind: 'hold', status }) as const), weight: 1 },
  { arbitrary: fc.constant({ kind: 'supersede' } as const), weight: 1 },
  { arbitrary: fc.constant({ kind: 'withdraw' } as const), weight: 1 },
  { arbitrary: fc.constantFrom('run-1', 'run-2').map((run) => ({ kind: 'invoice', run }) as const), weight: 1 },
)
/** Mostly histories that start with the change recorded; sometimes commands before it. */
const histories = fc.tuple(
  fc.option(fc.record({ kind: fc.constant('record' as const), provider, status: fc.constantFrom('Not Applicable' as const, 'Awaiting Provisioning' as const) }), { freq: 8 }),
  fc.array(intent, { maxLength: 30 }),
).map(([first, rest]): ReadonlyArray<Intent> => (first === null ? rest : [first, ...rest]))

const counted = (state: LicenseChangeState, key: 'remindersSent' | 'attempts'): number => state.status === 'None' ? 0 : state[key]
const resolve = (n: { readonly next: number } | { readonly exactly: number }, current: number): number =>
  'next' in n ? current + n.next : n.exactly

const commandFor = (i: Intent, state: LicenseChangeState): LicenseChangeCommand => {
  switch (i.kind) {
    case 'record': return { type: 'RecordLicenseChange', change: changeData({ provider: i.provider, status: i.status }) }
    case 'request': return { type: 'RecordProvisioningRequest', licenseChangeId: id, to: [email('provisioning@distributor.example')], cc: [], subject: 's' }
    case 'remind': return { type: 'RecordReminder', licenseChangeId: id, to: [email('owner@customer.example')], sequence: resolve(i.sequence, counted(state, 'remindersSent')) }
    case 'mark': return { type: 'MarkProvisioned', licenseChangeId: id, by: text('Dana'), note: null }
    case 'attempt': return {
      type: 'RecordAttempt', licenseChangeId: id, attempt: resolve(i.attempt, counted(state, 'attempts')), system: 'Partner Center',
      result: i.result, at: '2026-01-05T09:00:00.000Z' as IsoTime, retry: { baseSeconds: 30, capSeconds: 3600 },
    }
    case 'requeue': return { type: 'Requeue', licenseChangeId: id, by: text('Dana'), reason: 'retry' }
    case 'hold': return { type: 'HoldBack', licenseChangeId: id, waitingFor: ids.licenseChange('lc-0'), waitingForStatus: i.status }
    case 'supersede': return { type: 'Supersede', licenseChangeId: id, supersededBy: ids.licenseChange('lc-9'), quantity: qty(15) }
    case 'withdraw': return { type: 'Withdraw', licenseChangeId: id, movedTo: ids.provider('TechData') }
    case 'invoice': return { type: 'MarkInvoiced', licenseChangeId: id, billingRunId: text(i.run) }
  }
}

/** Run the commands through decide and evolve; every recorded event with the status it followed. */
const run = (intents: ReadonlyArray<Intent>) => {
  let state: LicenseChangeState = initialLicenseChangeState
  const steps: Array<{ readonly event: LicenseChangeEvent; readonly before: LicenseChangeState; readonly after: LicenseChangeState }> = []
  for (const i of intents) {
    const decision = decideLicenseChange(commandFor(i, state), state)
    if (E.isLeft(decision)) continue
    for (const event of decision.right) {
      const before = state
      state = evolveLicenseChange(state, event)
      steps.push({ event, before, after: state })
    }
  }
  return steps
}

describe('any sequence of License Change commands', () => {
  test('moves the status only along the legal transitions', () => {
    fc.assert(fc.property(histories, (intents) => {
      for (const { event, before, after } of run(intents)) {
        expect({ event: event.type, from: before.status, legal: legalAfter[event.type].includes(before.status) })
          .toEqual({ event: event.type, from: before.status, legal: true })
        const moves = ['LicenseChangeRecorded', 'LicenseChangeProvisioned', 'ProvisioningFailed', 'ProvisioningRequeued', 'LicenseChangeSuperseded', 'LicenseChangeWithdrawn']
        if (!moves.includes(event.type)) expect(after.status).toBe(before.status)
      }
    }), { numRuns: 500 })
  })

  test('never records a reminder after the change was provisioned', () => {
    fc.assert(fc.property(histories, (intents) => {
      let provisioned = false
      for (const { event } of run(intents)) {
        if (event.type === 'ProvisioningReminderSent') expect(provisioned).toBe(false)
        if (event.type === 'LicenseChangeProvisioned') provisioned = true
      }
    }), { numRuns: 500 })
  })

  test('never lets attempt numbers go backwards', () => {
    fc.assert(fc.property(histories, (intents) => {
      let last = 0
      for (const { event, before, after } of run(intents)) {
        expect(counted(after, 'attempts')).toBeGreaterThanOrEqual(counted(before, 'attempts'))
        if (event.type === 'ProvisioningAccepted' || event.type === 'ProvisioningAttemptFailed') {
          expect(event.data.attempt).toBeGreaterThanOrEqual(last)
          last = event.data.attempt
        }
      }
    }), { numRuns: 500 })
  })

  test('a withdrawn change is never sent, provisioned or re-queued after; a change is invoiced at most once', () => {
    fc.assert(fc.property(histories, (intents) => {
      let withdrawn = false
      let invoiced = 0
      for (const { event } of run(intents)) {
        if (withdrawn) expect(['ProvisioningRequeued', 'LicenseChangeProvisioned', 'ProvisioningAccepted', 'ProvisioningReminderSent']).not.toContain(event.type)
        if (event.type === 'LicenseChangeWithdrawn') withdrawn = true
        if (event.type === 'LicenseChangeInvoiced') invoiced += 1
      }
      expect(invoiced).toBeLessThanOrEqual(1)
    }), { numRuns: 500 })
  })

  test('the generated histories reach every event and status (the properties are not vacuous)', () => {
    const seen = new Set<string>()
    for (const intents of fc.sample(histories, { numRuns: 2000, seed: 42 })) {
      for (const { event, after } of run(intents)) {
        seen.add(event.type)
        seen.add(after.status)
        if (event.type === 'LicenseChangeProvisioned') seen.add(`via ${event.data.via}`)
      }
    }
    expect([...seen].sort()).toEqual([...Object.keys(legalAfter), 'Awaiting Provisioning', 'Failed Provisioning', 'Not Applicable', 'Provisioned', 'via gateway', 'via person'].sort())
  })
})
