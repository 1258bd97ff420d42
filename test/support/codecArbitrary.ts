import fc from 'fast-check'
import * as t from 'io-ts'

/**
 * Values generated from io-ts codecs, for property tests that must hold for every event type,
 * including types added later: the codec tree is walked, each primitive and combinator has its
 * arbitrary, and each brand gets values that pass its predicate (a known generator for the
 * domain's brands, and values seen at that brand in the golden files for any other).
 */

/** Values met at each codec node of the golden files: what a brand nobody wrote a generator for can draw from. */
export type Harvest = Map<t.Mixed, unknown[]>

const propsOf = (codec: t.Mixed): t.Props | undefined =>
  codec instanceof t.InterfaceType ? codec.props as t.Props : undefined

/** Collect the values a codec accepts at each of its nodes, walking a value the codec accepts. */
export const harvest = (codec: t.Mixed, value: unknown, into: Harvest = new Map()): Harvest => {
  if (!codec.is(value)) return into
  into.set(codec, [...(into.get(codec) ?? []), value])
  if (codec instanceof t.ExactType || codec instanceof t.RefinementType || codec instanceof t.ReadonlyType) {
    harvest(codec.type as t.Mixed, value, into)
  } else if (codec instanceof t.ArrayType || codec instanceof t.ReadonlyArrayType) {
    (value as ReadonlyArray<unknown>).forEach((item) => harvest(codec.type as t.Mixed, item, into))
  } else if (codec instanceof t.UnionType) {
    (codec.types as ReadonlyArray<t.Mixed>).forEach((member) => harvest(member, value, into))
  }
  const props = propsOf(codec)
  if (props !== undefined) Object.entries(props).forEach(([key, prop]) => harvest(prop as t.Mixed, (value as Record<string, unknown>)[key], into))
  return into
}

const printable = fc.string({ minLength: 1, maxLength: 40 }).map((s) => s.trim()).filter((s) => s.length > 0)

/** Generators of the domain's brands, by the brand's name. */
const brands: ReadonlyMap<string, fc.Arbitrary<unknown>> = new Map<string, fc.Arbitrary<unknown>>([
  ['Uuid', fc.uuid()], ['ProviderId', fc.uuid()], ['SubscriptionId', fc.uuid()], ['LicenseChangeId', fc.uuid()],
  ['Email', fc.tuple(fc.stringMatching(/^[a-z0-9._+-]{1,20}$/), fc.stringMatching(/^[a-z0-9-]{1,20}$/), fc.constantFrom('example', 'com', 'co.uk'))
    .map(([local, domain, top]) => `${local}@${domain}.${top}`)],
  ['NonEmptyString', printable],
  ['IsoTime', fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString())],
  ['Quantity', fc.integer({ min: 0, max: 10_000_000 })],
  ['Multiplier', fc.integer({ min: 1, max: 10_000 })],
  ['Attempts', fc.integer({ min: 1, max: 20 })],
  ['Seconds', fc.double({ min: 0, max: 1e6, noNaN: true })],
])

const leaves: ReadonlyArray<readonly [new (...args: never[]) => t.Mixed, fc.Arbitrary<unknown>]> = [
  [t.StringType, fc.string({ maxLength: 30 })],
  // What a stored event can hold: JSON has no NaN or Infinity (the mutations try those on their own).
  [t.NumberType, fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))],
  [t.BooleanType, fc.boolean()],
  [t.NullType, fc.constant(null)],
  [t.UndefinedType, fc.constant(undefined)],
  [t.UnknownType, fc.jsonValue()],
]

/** Values the refinement accepts: its generator by name and the values seen at it, whichever there are. */
const refined = (codec: t.RefinementType<t.Mixed>, seen: Harvest): fc.Arbitrary<unknown> => {
  const sources = [brands.get(codec.name), seen.has(codec) ? fc.constantFrom(...(seen.get(codec) ?? [])) : undefined]
    .filter((source): source is fc.Arbitrary<unknown> => source !== undefined)
  if (sources.length === 0) throw new Error(`no values for the brand ${codec.name}: add a generator or a golden line that holds one`)
  return fc.oneof(...sources).filter((value) => codec.is(value))
}

/** An arbitrary of the values a codec accepts. */
export const arbitraryOf = (codec: t.Mixed, seen: Harvest): fc.Arbitrary<unknown> => {
  const leaf = leaves.find(([kind]) => codec instanceof kind)
  if (leaf !== undefined) return leaf[1]
  if (codec instanceof t.LiteralType) return fc.constant(codec.value)
  if (codec instanceof t.KeyofType) return fc.constantFrom(...Object.keys(codec.keys as object))
  if (codec instanceof t.RefinementType) return refined(codec, seen)
  if (codec instanceof t.ExactType || codec instanceof t.ReadonlyType) return arbitraryOf(codec.type as t.Mixed, seen)
  if (codec instanceof t.ArrayType || codec instanceof t.ReadonlyArrayType) return fc.array(arbitraryOf(codec.type as t.Mixed, seen), { maxLength: 4 })
  if (codec instanceof t.UnionType) return fc.oneof(...(codec.types as ReadonlyArray<t.Mixed>).map((member) => arbitraryOf(member, seen)))
  const props = propsOf(codec)
  if (props !== undefined) return fc.record(Object.fromEntries(Object.entries(props).map(([key, prop]) => [key, arbitraryOf(prop as t.Mixed, seen)])))
  const known = seen.get(codec)
  if (known === undefined) throw new Error(`no arbitrary for the codec ${codec.name}`)
  return fc.constantFrom(...known)
}
