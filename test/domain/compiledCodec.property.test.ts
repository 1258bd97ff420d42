import fc from 'fast-check'
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { rawOf } from '../../src/app/transfer/eventLine'
import { asIs, compileValidator, decodeIt, refused, Verdict } from '../../src/domain/compiledCodec'
import { decodeRecorded, EventMetadata, RawEvent, Recorded, UndecodableEvent } from '../../src/domain/envelope'
import { eventCodecs } from '../../src/domain/events'
import { schemaRegistry, storedVersionOf, upcast } from '../../src/domain/schema'
import { formatErrors } from '../../src/domain/validation'
import { arbitraryOf, harvest, Harvest } from '../support/codecArbitrary'
import { fixtureFiles, readFixture } from '../support/fixtures'
import { mutationsOf } from '../support/mutations'

/** A stored event's data brought up to its type's current version, as a read does before validation. */
const currentDataOf = (type: string, metadata: unknown, data: unknown): E.Either<string, unknown> => {
  const version = storedVersionOf(metadata)
  if (E.isLeft(version)) return version
  return version.right === schemaRegistry.currentVersion(type) ? E.right(data) : upcast(schemaRegistry, type, version.right, data)
}

/** The golden events, each as stored and with its data at the current version (older shapes upcast). */
const golden = fixtureFiles().flatMap(({ file }) => readFixture(file)).map((line) => {
  const current = currentDataOf(line.type, line.metadata, line.data)
  if (E.isLeft(current)) throw new Error(`golden ${line.type}: ${current.left}`)
  return { ...line, stored: line.data, data: current.right }
})
const types = Object.keys(eventCodecs) as ReadonlyArray<keyof typeof eventCodecs>
const codecOf = (type: string): t.Mixed => eventCodecs[type as keyof typeof eventCodecs]
const seen: Harvest = new Map()
golden.forEach((line) => harvest(codecOf(line.type), { type: line.type, data: line.data }, seen))

/** Where the generated validator and the codec's decode disagree about a value, or null. */
const disagreement = (codec: t.Mixed, verdict: Verdict, value: unknown): string | null => {
  const decoded = codec.decode(value)
  if (verdict === refused) return E.isLeft(decoded) ? null : 'refused what decode accepts'
  if (verdict === asIs) {
    if (E.isLeft(decoded)) return `accepted what decode refuses: ${formatErrors(decoded.left).join('; ')}`
    return decoded.right === value ? null : 'accepted as it is what decode changes'
  }
  return verdict === decodeIt ? null : `answered ${String(verdict)}`
}

/** Each mutation of the value on which the validator and decode disagree, with where and how it was broken. */
const disagreementsOnMutations = (codec: t.Mixed, validate: (value: unknown) => Verdict, value: unknown): ReadonlyArray<string> =>
  mutationsOf(value).flatMap((mutation) => {
    const found = disagreement(codec, validate(mutation.value), mutation.value)
    return found === null ? [] : [`${mutation.path} (${mutation.how}): ${found}`]
  })

const validators = new Map(types.map((type) => [type, compileValidator(codecOf(type))] as const))
const validatorOf = (type: string): ((value: unknown) => Verdict) => {
  const found = validators.get(type as keyof typeof eventCodecs)
  if (found === undefined) throw new Error(`no validator for ${type}`)
  return found
}

describe('validators generated from the event codecs agree with the codecs', () => {
  test('every golden event is accepted as it is, as decode gives it back', () => {
    golden.forEach((line) => {
      const event = { type: line.type, data: line.data }
      expect(validatorOf(line.type)(event)).toBe(asIs)
      expect(disagreement(codecOf(line.type), asIs, event)).toBeNull()
    })
  })

  test('on every mutation of every golden event (each field broken in each way), the validator and decode agree', () => {
    const verdicts = new Map<Verdict, number>()
    golden.forEach((line) => {
      const event = { type: line.type, data: line.data }
      const validate = validatorOf(line.type)
      mutationsOf(event).forEach((mutation) => { const v = validate(mutation.value); verdicts.set(v, (verdicts.get(v) ?? 0) + 1) })
      expect(disagreementsOnMutations(codecOf(line.type), validate, event)).toStrictEqual([])
    })
    // The mutations reach every answer: refusals, values kept as they are, and values decode must strip.
    expect(verdicts.get(refused) ?? 0).toBeGreaterThan(1000)
    expect(verdicts.get(asIs) ?? 0).toBeGreaterThan(100)
    expect(verdicts.get(decodeIt) ?? 0).toBeGreaterThan(100)
  })

  test.each(types)('%s: values generated from its codec are accepted as they are, and every mutation of them is judged as decode judges it', (type) => {
    const codec = codecOf(type)
    const validate = validatorOf(type)
    fc.assert(fc.property(arbitraryOf(codec, seen), (value) => {
      expect(disagreement(codec, validate(value), value)).toBeNull()
      expect(validate(value)).toBe(asIs)
      expect(disagreementsOnMutations(codec, validate, value)).toStrictEqual([])
    }), { numRuns: 15 })
  })

  test('a field decode would strip is never accepted as it is, at any depth, even when it is hidden', () => {
    golden.forEach((line) => {
      const validate = validatorOf(line.type)
      mutationsOf({ type: line.type, data: line.data }).filter((m) => m.how.includes('unknown field')).forEach((mutation) => {
        const decoded = codecOf(line.type).decode(mutation.value)
        if (E.isRight(decoded)) expect(validate(mutation.value)).toBe(decodeIt)
      })
    })
  })
})

/** decodeRecorded as it would be with the codecs' decode alone: what the generated validators must not change. */
const byDecodeAlone = (raw: RawEvent): E.Either<UndecodableEvent, Recorded> => {
  const fail = (reason: string): E.Either<UndecodableEvent, Recorded> =>
    E.left({ _tag: 'UndecodableEvent', streamId: raw.streamId, revision: raw.revision, position: raw.position, eventType: raw.type, reason })
  const current = currentDataOf(raw.type, raw.metadata, raw.data)
  if (E.isLeft(current)) return fail(current.left)
  const event = codecOf(raw.type).decode({ type: raw.type, data: current.right })
  if (E.isLeft(event)) return fail(formatErrors(event.left).join('; '))
  const metadata = EventMetadata.decode(raw.metadata)
  if (E.isLeft(metadata)) return fail(`metadata ${formatErrors(metadata.left).join('; ')}`)
  const { occurredAt, actor, correlationId, causationId } = metadata.right
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(occurredAt) || Number.isNaN(Date.parse(occurredAt))) {
    return fail(`metadata occurredAt: expected an ISO-8601 instant, got ${JSON.stringify(occurredAt)}`)
  }
  const { type, data } = event.right as { readonly type: string; readonly data: unknown }
  return E.right({ type, data, eventId: raw.eventId, streamId: raw.streamId, revision: raw.revision, position: raw.position, metadata: { occurredAt, actor, correlationId, causationId } } as Recorded)
}

describe('reading stored events with the generated validators', () => {
  test('every mutation of every golden event reads as it would with decode alone: the same event, or the same refusal with where and why', () => {
    golden.forEach((line, index) => {
      const raw = rawOf({ ...line, data: line.stored }, index + 1)
      const { schemaVersion: version, ...metadata } = line.metadata as Record<string, unknown>
      const withVersion = (m: unknown): unknown =>
        version === undefined || typeof m !== 'object' || m === null || Array.isArray(m) ? m : { ...m, schemaVersion: version }
      const broken = [
        ...mutationsOf(line.stored).map((m) => ({ ...raw, data: m.value })),
        ...mutationsOf(metadata).map((m) => ({ ...raw, metadata: withVersion(m.value) })),
      ]
      broken.forEach((candidate) => expect(decodeRecorded(candidate)).toStrictEqual(byDecodeAlone(candidate)))
    })
  })
})
