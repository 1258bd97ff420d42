/**
 * Every field of a value broken in every way: for property tests that compare two validators on
 * values that are almost right. Each mutation replaces one node (the whole value, a field at any
 * depth, an array item) or changes one object's fields, and says where and how.
 */

/** A broken copy of a value, with where (`data.provider.name`) and how it was broken. */
export interface Mutation {
  readonly path: string
  readonly how: string
  readonly value: unknown
}

/** Values put in place of a node: wrong types, edge numbers, strings just outside the usual limits. */
const replacements = (node: unknown): ReadonlyArray<readonly [string, unknown]> => [
  ['undefined', undefined], ['null', null], ['zero', 0], ['negative', -1], ['fraction', 1.5], ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY], ['huge', 1e12], ['true', true], ['empty string', ''], ['padded', ' x '],
  ['control character', 'a\u0007b'], ['long string', 'x'.repeat(501)], ['empty object', {}], ['empty array', []],
  ['array of a number', [1]], ['bad uuid', '00000000-0000-0000-0000-00000000000g'], ['not an instant', '2026-13-45T25:61:00Z'],
  ...(typeof node === 'string' ? [['upper case', node.toUpperCase()], ['trailing space', `${node} `], ['doubled', `${node}${node}`]] as const : []),
  ...(typeof node === 'number' ? [['plus one', node + 1], ['minus one', node - 1], ['negated', -node], ['plus a half', node + 0.5]] as const : []),
  ...(Array.isArray(node) ? [['one item more', [...node, 'x']], ['first item only', node.slice(0, 1)], ['array-like', { ...node, length: node.length }]] as const : []),
]

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** An object's fields changed: a field it should not have (plain or hidden), a field taken away, fields inherited rather than own. */
const objectChanges = (node: Record<string, unknown>): ReadonlyArray<readonly [string, unknown]> => {
  const hidden = { ...node }
  Object.defineProperty(hidden, 'hiddenField', { value: 1, enumerable: false })
  return [
    ['unknown field', { ...node, unknownField: 'x' }],
    ['unknown field set to undefined', { ...node, unknownField: undefined }],
    ['hidden unknown field', hidden],
    ['inherited fields', Object.create(node) as unknown],
    ...Object.keys(node).map((key) => [`without ${key}`, Object.fromEntries(Object.entries(node).filter(([k]) => k !== key))] as const),
    ...Object.keys(node).map((key) => [`${key} set to undefined`, { ...node, [key]: undefined }] as const),
  ]
}

/** The value with the node at `path` replaced. */
const replaceAt = (value: unknown, path: ReadonlyArray<string | number>, node: unknown): unknown => {
  const [head, ...rest] = path
  if (head === undefined) return node
  if (Array.isArray(value)) return value.map((item: unknown, index) => (index === head ? replaceAt(item, rest, node) : item))
  const record = value as Record<string, unknown>
  return { ...record, [head]: replaceAt(record[head], rest, node) }
}

/** Every node of a value with its path. */
const nodesOf = (value: unknown, path: ReadonlyArray<string | number> = []): ReadonlyArray<readonly [ReadonlyArray<string | number>, unknown]> => {
  const children = Array.isArray(value) ? value.map((item: unknown, index) => nodesOf(item, [...path, index]))
    : isObject(value) ? Object.entries(value).map(([key, item]) => nodesOf(item, [...path, key]))
      : []
  return [[path, value], ...children.flat()]
}

/** Every mutation of a value: each node replaced in each way, each object's fields changed in each way. */
export const mutationsOf = (value: unknown): ReadonlyArray<Mutation> => nodesOf(value).flatMap(([path, node]) => {
  const where = path.length === 0 ? 'value' : path.join('.')
  const changes = [...replacements(node), ...(isObject(node) ? objectChanges(node) : [])]
  return changes.map(([how, replacement]) => ({ path: where, how, value: replaceAt(value, path, replacement) }))
})
