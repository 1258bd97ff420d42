import * as E from 'fp-ts/Either'
import {
  decodeOrThrow, decodeRecorded, describeUndecodable, RawEvent, UndecodableEventError,
} from '../../src/domain/envelope'
import { ids, subscriptionData } from '../support/given'

const metadata = { occurredAt: '2026-01-05T09:00:00.000Z', actor: 'dana', correlationId: 'corr-1', causationId: null }
const raw = (overrides: Partial<RawEvent> = {}): RawEvent => ({
  eventId: ids.event('e1'), streamId: `subscription-${ids.subscription('exchange')}`, revision: 4, position: 17,
  type: 'SubscriptionCreated', data: subscriptionData(), metadata, ...overrides,
})
const where = { _tag: 'UndecodableEvent', streamId: `subscription-${ids.subscription('exchange')}`, revision: 4, position: 17 }

describe('reading a stored event', () => {
  test('a valid event comes back with its envelope', () => {
    expect(decodeRecorded(raw())).toStrictEqual(E.right({
      type: 'SubscriptionCreated', data: subscriptionData(),
      eventId: ids.event('e1'), streamId: `subscription-${ids.subscription('exchange')}`, revision: 4, position: 17, metadata,
    }))
  })

  test('a causing event id is kept', () => {
    const decoded = decodeRecorded(raw({ metadata: { ...metadata, causationId: 'cause-1' } }))
    expect(E.isRight(decoded) && decoded.right.metadata.causationId).toBe('cause-1')
  })

  test('fields the codec does not know are dropped', () => {
    const decoded = decodeRecorded(raw({ data: { ...subscriptionData(), extra: 'x' } }))
    expect(E.isRight(decoded) && decoded.right.data).toStrictEqual(subscriptionData())
  })

  test('fields the codec does not know are dropped at any depth, and from the metadata', () => {
    const bundle = { parentId: ids.subscription('bundle'), multiplier: 5 }
    const decoded = decodeRecorded(raw({
      data: { ...subscriptionData(), bundle: { ...bundle, extra: 'x' } },
      metadata: { ...metadata, schemaVersion: 1, extra: 'y' },
    }))
    expect(E.isRight(decoded) && decoded.right.data).toStrictEqual({ ...subscriptionData(), bundle })
    expect(E.isRight(decoded) && decoded.right.metadata).toStrictEqual(metadata)
  })

  test('an unknown type is reported with where it is', () => {
    expect(decodeRecorded(raw({ type: 'SubscriptionTeleported' }))).toStrictEqual(E.left({
      ...where, eventType: 'SubscriptionTeleported', reason: 'unknown event type "SubscriptionTeleported"',
    }))
  })

  test('a type named like an object property is unknown too', () => {
    expect(decodeRecorded(raw({ type: 'constructor' }))).toStrictEqual(E.left({
      ...where, eventType: 'constructor', reason: 'unknown event type "constructor"',
    }))
  })

  test('bad data is reported with the field and the value', () => {
    expect(decodeRecorded(raw({ data: { ...subscriptionData(), quantity: -3 } }))).toStrictEqual(E.left({
      ...where, eventType: 'SubscriptionCreated', reason: 'data.quantity: expected Quantity, got -3',
    }))
  })

  test('several bad fields are reported together', () => {
    const decoded = decodeRecorded(raw({ data: { ...subscriptionData(), quantity: 1.5, contractOwnerEmail: 'owner' } }))
    expect(E.isLeft(decoded) && decoded.left.reason.split('; ').sort()).toEqual([
      'data.contractOwnerEmail: expected Email, got "owner"',
      'data.quantity: expected Quantity, got 1.5',
    ])
  })

  test('data of another type is bad data', () => {
    expect(decodeRecorded(raw({ type: 'ProviderDeactivated', data: null }))).toStrictEqual(E.left({
      ...where, eventType: 'ProviderDeactivated', reason: 'data: expected {| providerId: ProviderId |}, got null',
    }))
  })

  test('bad metadata is reported as metadata', () => {
    expect(decodeRecorded(raw({ metadata: { ...metadata, actor: 3 } }))).toStrictEqual(E.left({
      ...where, eventType: 'SubscriptionCreated', reason: 'metadata actor: expected string, got 3',
    }))
  })

  test('missing metadata is reported field by field', () => {
    const decoded = decodeRecorded(raw({ metadata: { actor: 'dana', correlationId: 'c', causationId: null } }))
    expect(E.isLeft(decoded) && decoded.left.reason).toBe('metadata occurredAt: expected string, got nothing')
  })

  test('the description names stream, revision, position and type', () => {
    const decoded = decodeRecorded(raw({ type: 'SubscriptionTeleported' }))
    if (E.isRight(decoded)) throw new Error('expected a refusal')
    expect(describeUndecodable(decoded.left)).toBe(
      `stored event SubscriptionTeleported at stream subscription-${ids.subscription('exchange')} revision 4 (position 17) is unreadable: unknown event type "SubscriptionTeleported"`,
    )
  })

  test('decodeOrThrow gives the event, or throws an UndecodableEventError with the detail', () => {
    expect(decodeOrThrow(raw()).position).toBe(17)
    let thrown: unknown
    try { decodeOrThrow(raw({ data: { ...subscriptionData(), quantity: -3 } })) } catch (error) { thrown = error }
    expect(thrown).toBeInstanceOf(UndecodableEventError)
    const error = thrown as UndecodableEventError
    expect(error.detail).toStrictEqual({ ...where, eventType: 'SubscriptionCreated', reason: 'data.quantity: expected Quantity, got -3' })
    expect(error.message).toContain('revision 4 (position 17)')
    expect(error.message).toContain('quantity')
    expect(error.message).toContain('-3')
  })
})
