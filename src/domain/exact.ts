import * as t from 'io-ts'

type Props = Readonly<Record<string, t.Mixed>>

const onlyKnownKeys = (props: Props, value: Record<string, unknown>): boolean => {
  for (const key in value) if (!Object.prototype.hasOwnProperty.call(props, key)) return false
  return Object.entries(props).every(([key, codec]) => holdsExactly(codec, value[key]))
}

/** The codec a refinement (a brand), an exact or a readonly codec wraps. */
const wrappedBy = (codec: t.Mixed): t.Mixed | undefined =>
  codec instanceof t.ExactType || codec instanceof t.RefinementType || codec instanceof t.ReadonlyType
    ? codec.type as t.Mixed
    : undefined

/** Codecs of values without fields. */
const isLeaf = (codec: t.Mixed): boolean =>
  codec instanceof t.StringType || codec instanceof t.NumberType || codec instanceof t.BooleanType
  || codec instanceof t.NullType || codec instanceof t.LiteralType || codec instanceof t.KeyofType

/**
 * Whether a value the codec's guard accepted holds no field the codec would strip, at any
 * depth: then the value is what `decode` would give, without decode's copying. Kinds of codec
 * this does not know answer false, which sends the caller to the full decode.
 */
export const holdsExactly = (codec: t.Mixed, value: unknown): boolean => {
  const wrapped = wrappedBy(codec)
  if (wrapped !== undefined) return holdsExactly(wrapped, value)
  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType) {
    return typeof value === 'object' && value !== null && onlyKnownKeys(codec.props as Props, value as Record<string, unknown>)
  }
  if (codec instanceof t.UnionType) {
    return (codec.types as ReadonlyArray<t.Mixed>).some((member) => member.is(value) && holdsExactly(member, value))
  }
  if (codec instanceof t.ReadonlyArrayType || codec instanceof t.ArrayType) {
    return Array.isArray(value) && value.every((item) => holdsExactly(codec.type as t.Mixed, item))
  }
  return isLeaf(codec)
}
