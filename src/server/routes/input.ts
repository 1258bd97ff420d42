import * as E from 'fp-ts/Either'
import { validate as isUuid } from 'uuid'
import { limits, textProblem } from '../../domain/fields'
import { visible } from '../../domain/text'
import { show } from '../../domain/validation'
import type { ProvisioningStatus } from '../../domain/values'
import { BodySchema, QueryParam, QueryParams } from './route'

/** What a request's path, query and body must be before any command sees them; each problem names its part. */

const statuses: ReadonlyArray<ProvisioningStatus> = ['Not Applicable', 'Awaiting Provisioning', 'Provisioned', 'Failed Provisioning']

/** A uuid (any case; ids are taken in lower case). */
export const uuidParam = (description: string): QueryParam<string> => ({
  description, schema: { type: 'string', format: 'uuid' },
  read: (raw) => (isUuid(raw) ? E.right(raw.toLowerCase()) : E.left(`expected a uuid, got ${show(raw)}`)),
})

/** Free text: no control characters, at most 200 characters. */
export const textParam = (description: string): QueryParam<string> => ({
  description, schema: { type: 'string', minLength: 1, maxLength: limits.name },
  read: (raw) => {
    const wrong = raw === '' ? 'must not be empty' : textProblem(raw, limits.name)
    return wrong === null ? E.right(raw) : E.left(wrong)
  },
})

/** One of a few values, spelled exactly. */
export const oneOfParam = <A extends string>(description: string, values: ReadonlyArray<A>): QueryParam<A> => ({
  description, schema: { type: 'string', enum: values },
  read: (raw) => {
    const value = values.find((v) => v === raw)
    return value === undefined ? E.left(`expected one of ${values.join(', ')}; got ${show(raw)}`) : E.right(value)
  },
})

/** A provisioning status, as users know it. */
export const statusParam = (description: string): QueryParam<ProvisioningStatus> => oneOfParam(description, statuses)

const instant = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/

/** An instant: ISO-8601 with its offset (`2026-01-05T09:00:00Z`), or a date (midnight UTC). */
export const timeParam = (description: string): QueryParam<Date> => ({
  description: `${description}: an ISO-8601 instant with its offset (2026-01-05T09:00:00Z) or a date (2026-01-05, midnight UTC)`,
  schema: { type: 'string', pattern: instant.source },
  read: (raw) => {
    const time = instant.test(raw) ? Date.parse(raw) : Number.NaN
    return Number.isNaN(time) ? E.left(`expected an ISO-8601 instant such as 2026-01-05T09:00:00Z, got ${show(raw)}`) : E.right(new Date(time))
  },
})

/** A whole number within bounds. */
export const wholeParam = (description: string, min: number, max: number): QueryParam<number> => ({
  description, schema: { type: 'integer', minimum: min, maximum: max },
  read: (raw) => {
    const n = /^\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN
    return Number.isInteger(n) && n >= min && n <= max ? E.right(n) : E.left(`expected a whole number from ${min} to ${max}, got ${show(raw)}`)
  },
})

/** A name as a problem line shows it: control characters escaped, at most 60 characters. */
const nameOf = (name: string): string => {
  const shown = visible(name)
  return shown.length > 60 ? `${shown.slice(0, 57)}...` : shown
}

const entriesOf = (value: unknown): ReadonlyArray<readonly [string, unknown]> =>
  typeof value === 'object' && value !== null ? Object.entries(value) : []

/** A path's id that is a name (a billing run's), not a uuid: what it must be, or null. */
const nameIdProblem = (raw: unknown): string | null => {
  if (typeof raw !== 'string') return `expected a name, got ${show(raw)}`
  return raw.trim() === '' || raw.trim() !== raw ? 'must be trimmed and not empty' : textProblem(raw, limits.name)
}

const uuidProblem = (raw: unknown): string | null => (typeof raw === 'string' && isUuid(raw) ? null : `expected a uuid, got ${show(raw)}`)

/** The ids of a path: each a uuid, in lower case, but those `names` says are names (taken as they are, checked as a command's name). */
export const readIds = (ids: ReadonlyArray<string>, params: unknown, names: ReadonlyArray<string> = []): E.Either<ReadonlyArray<string>, Readonly<Record<string, string>>> => {
  const given = new Map(entriesOf(params))
  const problems: string[] = []
  const read: Record<string, string> = {}
  for (const id of ids) {
    const raw = given.get(id)
    const isName = names.includes(id)
    const wrong = isName ? nameIdProblem(raw) : uuidProblem(raw)
    if (wrong !== null || typeof raw !== 'string') problems.push(`${id}: ${wrong ?? 'is missing'}`)
    else read[id] = isName ? raw : raw.toLowerCase()
  }
  return problems.length === 0 ? E.right(read) : E.left(problems)
}

/** The query: only the route's parameters, each once, each as its reader takes it. */
export const readQuery = (params: QueryParams, query: unknown): E.Either<ReadonlyArray<string>, Readonly<Record<string, unknown>>> => {
  const problems: string[] = []
  const read: Record<string, unknown> = {}
  for (const [name, raw] of entriesOf(query)) {
    const param = Object.hasOwn(params, name) ? params[name] : undefined
    if (param === undefined) problems.push(`${nameOf(name)}: is not a parameter of this route${known(Object.keys(params))}`)
    else if (typeof raw !== 'string') problems.push(`${name}: given more than once`)
    else E.match((wrong: string) => { problems.push(`${name}: ${wrong}`) }, (value: unknown) => { read[name] = value })(param.read(raw))
  }
  return problems.length === 0 ? E.right(read) : E.left(problems)
}

const known = (names: ReadonlyArray<string>): string => (names.length === 0 ? ' (it takes none)' : ` (it takes ${names.join(', ')})`)

/** The body: a JSON object with only the fields the route knows (none given is an empty object when no field is required). */
export const readBody = (schema: BodySchema, body: unknown): E.Either<ReadonlyArray<string>, Readonly<Record<string, unknown>>> => {
  if (body === undefined || body === null) {
    return (schema.required ?? []).length === 0 ? E.right({}) : E.left([`body: expected a JSON object with ${(schema.required ?? []).join(', ')}, got nothing`])
  }
  if (typeof body !== 'object' || Array.isArray(body)) return E.left([`body: expected a JSON object, got ${show(body)}`])
  const fields = Object.keys(schema.properties)
  const unknown = Object.keys(body).filter((name) => !fields.includes(name))
  return unknown.length === 0
    ? E.right(Object.fromEntries(Object.entries(body)))
    : E.left(unknown.slice(0, 12).map((name) => `${nameOf(name)}: is not a field of this request (fields: ${fields.join(', ')})`))
}
