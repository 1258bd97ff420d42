import * as t from 'io-ts'
import { visible } from './text'

const longest = 60
const itemsShown = 12

const listed = (items: ReadonlyArray<string>, total: number): string => (total > items.length ? [...items, '...'] : items).join(',')

/** A value as it would be written in code: NaN, Infinity, -0, 12n, undefined and functions as themselves. */
const literal = (value: unknown, seen: WeakSet<object>): string => {
  switch (typeof value) {
    case 'number': return Object.is(value, -0) ? '-0' : String(value)
    case 'bigint': return `${value}n`
    case 'function': return value.name === '' ? '[function]' : `[function ${value.name}]`
    case 'symbol': return value.toString()
    case 'undefined': return 'undefined'
    case 'string': return JSON.stringify(value)
    case 'boolean': return String(value)
    case 'object': return value === null ? 'null' : composite(value, seen)
  }
}

const composite = (value: object, seen: WeakSet<object>): string => {
  if (seen.has(value)) return '[circular]'
  seen.add(value)
  const json = (value as { readonly toJSON?: unknown }).toJSON
  if (typeof json === 'function') return literal(json.call(value), seen)
  if (Array.isArray(value)) return `[${listed(value.slice(0, itemsShown).map((item: unknown) => literal(item, seen)), value.length)}]`
  const entries = Object.entries(value)
  return `{${listed(entries.slice(0, itemsShown).map(([key, item]) => `${JSON.stringify(key)}:${literal(item, seen)}`), entries.length)}}`
}

/** A value in a problem line: as itself, control characters escaped, at most 60 characters; a missing value is "nothing". */
export const show = (value: unknown): string => {
  if (value === undefined) return 'nothing'
  const text = visible(literal(value, new WeakSet()))
  return text.length > longest ? `${text.slice(0, longest - 3)}...` : text
}

/** The index of a union branch or an intersection member: how the codec is built, not where the value is. */
const isUnionBranch = (context: t.Context, index: number): boolean => {
  const parent = context[index - 1]?.type
  return parent instanceof t.UnionType || parent instanceof t.IntersectionType || parent instanceof t.ExactType
}

/** Where in the input a codec failed, as a dotted path (`data.quantity`, `cc.1`), or `value` at the top. */
export const pathOf = (context: t.Context): string => {
  const path = context
    .map((entry) => entry.key)
    .filter((key, index) => key !== '' && !(index > 0 && /^\d+$/.test(key) && isUnionBranch(context, index)))
    .join('.')
  return path === '' ? 'value' : path
}

/** io-ts errors as short readable lines: `data.quantity: expected Quantity, got -3`. */
export const formatErrors = (errors: t.Errors): ReadonlyArray<string> => {
  const lines = errors.map((error) => {
    const expected = error.context[error.context.length - 1]?.type.name ?? 'a value'
    return error.message ?? `${pathOf(error.context)}: expected ${expected}, got ${show(error.value)}`
  })
  return [...new Set(lines)]
}

/** A refusal whose line names where it is and what is wrong: `product: must not contain control characters (U+000D at 7)`. */
export const problem = (value: unknown, context: t.Context, what: string): t.Validation<never> =>
  t.failure(value, context, `${pathOf(context)}: ${what}`)

/** Decode `input` with `codec`, or the readable problems. */
export const decodeWith = <A, O>(codec: t.Type<A, O, unknown>, input: unknown)
: { readonly ok: true; readonly value: A } | { readonly ok: false; readonly problems: ReadonlyArray<string> } => {
  const result = codec.decode(input)
  return result._tag === 'Right' ? { ok: true, value: result.right } : { ok: false, problems: formatErrors(result.left) }
}
