import * as t from 'io-ts'

/**
 * Validators generated from io-ts codecs: each codec is turned, once, into the source of one
 * JavaScript function per codec node (property reads, `typeof` tests and loops written out)
 * instead of being interpreted combinator by combinator on every value.
 *
 * A generated validator answers what the codec's `decode` would do with a value:
 * - `refused`: decode fails (ask the codec for its message);
 * - `asIs`: decode succeeds and gives the very same value back (no field dropped, none added,
 *   nothing copied);
 * - `decodeIt`: decode may give another value (it drops a field the codec does not know) or the
 *   generated code cannot tell: run decode.
 * Brands run their own predicates; kinds of codec the generator does not know run their own
 * `validate`, so the answer is the codec's, whatever it is made of.
 */

/** What decode would make of a value: refused, accepted as it is, or run decode to know. */
export type Verdict = 0 | 1 | 2
export const refused: Verdict = 0
export const asIs: Verdict = 1
export const decodeIt: Verdict = 2

/** A generated validator. */
export type CompiledValidator = (value: unknown) => Verdict

/** The generator's state: the functions written so far, by codec, and the values they refer to. */
interface Unit {
  readonly names: Map<t.Mixed, string>
  readonly functions: string[]
  readonly constants: unknown[]
}

const constant = (unit: Unit, value: unknown): string => {
  unit.constants.push(value)
  return `c[${unit.constants.length - 1}]`
}

const isRecord = 'v === null || typeof v !== "object" || Array.isArray(v)'

/** The props an exact codec keeps (io-ts's own getProps), or undefined for a codec it cannot strip. */
const propsOf = (codec: t.Mixed): t.Props | undefined => {
  if (codec instanceof t.RefinementType || codec instanceof t.ReadonlyType) return propsOf(codec.type as t.Mixed)
  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType) return codec.props as t.Props
  return undefined
}

/** Run the codec's own validate: the answer for kinds of codec not written out here. */
const fallback = (unit: Unit, codec: t.Mixed): string =>
  `const r = ${constant(unit, codec)}.validate(v, [{ key: '', type: ${constant(unit, codec)}, actual: v }]);
  return r._tag === 'Left' ? 0 : r.right === v ? 1 : 2`

/**
 * An object's fields, each read once. Decode copies the object when a field's value comes back
 * other than it went in (`!==`: a changed field, and NaN too), and when it adds a missing field.
 */
const propertiesBody = (unit: Unit, codec: t.InterfaceType<t.Props>): string => {
  const checks = Object.entries(codec.props).map(([key, prop]) => {
    const at = JSON.stringify(key)
    return `x = v[${at}]; r = ${nameOf(unit, prop as t.Mixed)}(x); if (r === 0) return 0;
  if (r === 2 || x !== x || (x === undefined && !hasOwn.call(v, ${at}))) s = 2;`
  })
  return `if (${isRecord}) return 0; let s = 1; let r; let x; ${checks.join('\n  ')} return s`
}

const exactBody = (unit: Unit, codec: t.ExactType<t.Mixed>): string => {
  const props = propsOf(codec.type as t.Mixed)
  if (props === undefined) return fallback(unit, codec)
  return `if (${isRecord}) return 0; const r = ${nameOf(unit, codec.type as t.Mixed)}(v); if (r !== 1) return r;
  const names = Object.getOwnPropertyNames(v);
  for (let i = 0; i < names.length; i += 1) if (!hasOwn.call(${constant(unit, props)}, names[i])) return 2;
  return 1`
}

const arrayBody = (unit: Unit, item: t.Mixed): string =>
  `if (!Array.isArray(v)) return 0; let s = 1;
  for (let i = 0; i < v.length; i += 1) { const x = v[i]; const r = ${nameOf(unit, item)}(x); if (r === 0) return 0; if (r === 2 || x !== x) s = 2 }
  return s`

/** The tag index io-ts dispatches a tagged union on: the tag's field and each member's values of it. */
type TagIndex = readonly [string, ReadonlyArray<ReadonlyArray<unknown>>]
const { getIndex } = t as unknown as { readonly getIndex?: (codecs: ReadonlyArray<t.Mixed>) => TagIndex | undefined }

/** A union tagged by a literal field dispatches on it (io-ts's TaggedUnionType); any other tries its members in order. */
const unionBody = (unit: Unit, codec: t.UnionType<Array<t.Mixed>>): string => {
  const members: ReadonlyArray<t.Mixed> = codec.types
  const tag = (codec as { readonly tag?: unknown }).tag
  if (tag === undefined) {
    const tries = members.map((member) => `r = ${nameOf(unit, member)}(v); if (r !== 0) return r;`)
    return `let r; ${tries.join(' ')} return 0`
  }
  const index = getIndex?.(members)
  if (index === undefined || index[0] !== tag) return fallback(unit, codec)
  const [key, groups] = index
  const branches = groups.flatMap((values, i) =>
    values.map((value) => `if (tagged === ${constant(unit, value)}) return ${nameOf(unit, members[i] as t.Mixed)}(v);`))
  return `if (${isRecord}) return 0; const tagged = v[${JSON.stringify(key)}]; ${branches.join(' ')} return 0`
}

const refinementBody = (unit: Unit, codec: t.RefinementType<t.Mixed>): string =>
  `const r = ${nameOf(unit, codec.type as t.Mixed)}(v); if (r !== 1) return r; return ${constant(unit, codec.predicate)}(v) ? 1 : 0`

/** The io-ts primitives and how each checks a value (as `is` and `validate` do). */
const leafBodies: ReadonlyArray<readonly [new (...args: never[]) => t.Mixed, string]> = [
  [t.StringType, 'return typeof v === "string" ? 1 : 0'],
  [t.NumberType, 'return typeof v === "number" ? 1 : 0'],
  [t.BooleanType, 'return typeof v === "boolean" ? 1 : 0'],
  [t.NullType, 'return v === null ? 1 : 0'],
  [t.UndefinedType, 'return v === undefined ? 1 : 0'],
  [t.UnknownType, 'return 1'],
]

/** The body of the function that validates one codec node. */
const bodyOf = (unit: Unit, codec: t.Mixed): string => {
  const leaf = leafBodies.find(([kind]) => codec instanceof kind)
  if (leaf !== undefined) return leaf[1]
  if (codec instanceof t.LiteralType) return `return v === ${constant(unit, codec.value)} ? 1 : 0`
  if (codec instanceof t.KeyofType) return `return typeof v === "string" && hasOwn.call(${constant(unit, codec.keys)}, v) ? 1 : 0`
  if (codec instanceof t.RefinementType) return refinementBody(unit, codec)
  if (codec instanceof t.ReadonlyType) return `return ${nameOf(unit, codec.type as t.Mixed)}(v)`
  if (codec instanceof t.ReadonlyArrayType || codec instanceof t.ArrayType) return arrayBody(unit, codec.type as t.Mixed)
  if (codec instanceof t.ExactType) return exactBody(unit, codec)
  if (codec instanceof t.InterfaceType) return propertiesBody(unit, codec)
  if (codec instanceof t.UnionType) return unionBody(unit, codec)
  return fallback(unit, codec)
}

/** The name of the function that validates `codec`, written on first use (codecs shared by several fields are written once). */
const nameOf = (unit: Unit, codec: t.Mixed): string => {
  const known = unit.names.get(codec)
  if (known !== undefined) return known
  const name = `f${unit.names.size}`
  unit.names.set(codec, name)
  const body = bodyOf(unit, codec)
  unit.functions.push(`function ${name}(v) {\n  ${body}\n}`)
  return name
}

/** The validator of a codec, generated once: call it for every value, and `decode` only when it does not answer `asIs`. */
export const compileValidator = (codec: t.Mixed): CompiledValidator => {
  const unit: Unit = { names: new Map(), functions: [], constants: [] }
  const root = nameOf(unit, codec)
  const source = `"use strict";\n${unit.functions.join('\n')}\nreturn ${root}`
  // The generated source only reads the value; the codecs' own functions and values come in through `c`.
  const make = new Function('c', 'hasOwn', source) as (constants: ReadonlyArray<unknown>, hasOwn: typeof Object.prototype.hasOwnProperty) => CompiledValidator
  return make(unit.constants, Object.prototype.hasOwnProperty)
}
