import * as t from 'io-ts'

const show = (value: unknown): string => {
  if (value === undefined) return 'nothing'
  const text = JSON.stringify(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/** io-ts errors as short readable lines: `data.quantity: expected Quantity, got -3`. */
export const formatErrors = (errors: t.Errors): ReadonlyArray<string> => {
  const lines = errors.map((error) => {
    const path = error.context
      .map((entry) => entry.key)
      .filter((key, index) => key !== '' && !(index > 0 && /^\d+$/.test(key) && isUnionBranch(error.context, index)))
      .join('.')
    const expected = error.context[error.context.length - 1]?.type.name ?? 'a value'
    return error.message ?? `${path === '' ? 'value' : path}: expected ${expected}, got ${show(error.value)}`
  })
  return [...new Set(lines)]
}

/** The index of a union branch or an intersection member: how the codec is built, not where the value is. */
const isUnionBranch = (context: t.Context, index: number): boolean => {
  const parent = context[index - 1]?.type
  return parent instanceof t.UnionType || parent instanceof t.IntersectionType || parent instanceof t.ExactType
}

/** Decode `input` with `codec`, or the readable problems. */
export const decodeWith = <A, O>(codec: t.Type<A, O, unknown>, input: unknown)
: { readonly ok: true; readonly value: A } | { readonly ok: false; readonly problems: ReadonlyArray<string> } => {
  const result = codec.decode(input)
  return result._tag === 'Right' ? { ok: true, value: result.right } : { ok: false, problems: formatErrors(result.left) }
}
