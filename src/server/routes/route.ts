import * as E from 'fp-ts/Either'
import type { Seatflow } from '../../app/seatflow'
import { SeatflowError } from '../../domain/errors'
import { Problem, problemOf } from '../problems'
import { Role } from '../tokens'

/** Where the API lives. */
export const apiBase = '/api/v1'

/** A JSON Schema (2020-12), as the OpenAPI document holds it. */
export type JsonSchema = Readonly<Record<string, unknown>>

/** The schema of a request body: a JSON object with these fields and no others. */
export interface BodySchema {
  readonly type: 'object'
  readonly properties: Readonly<Record<string, JsonSchema>>
  readonly required?: ReadonlyArray<string>
  readonly additionalProperties: false
}

/** What a route answers: a status, a body (a problem from 400 on) and, for what it made, where it is. */
export interface Answer {
  readonly status: number
  readonly body: unknown
  readonly location?: string
}

/** A query parameter: how the document describes it and how the route reads it (a refusal says what is wrong). */
export interface QueryParam<A> {
  readonly description: string
  readonly schema: JsonSchema
  readonly read: (raw: string) => E.Either<string, A>
}

/** The query parameters of a route, by name. */
export type QueryParams = Readonly<Record<string, QueryParam<unknown>>>

/** The query a route reads: each parameter given, as its reader made it. */
export type QueryOf<Q extends QueryParams> = { readonly [K in keyof Q]?: Q[K] extends QueryParam<infer A> ? A : never }

/** Who writes: the token's name as the actor, the request's correlation id. */
export interface Trace {
  readonly actor: string
  readonly correlationId: string
}

/** What a route runs with, once the token, the path, the query and the body's shape are checked. */
export interface Call<Q> {
  readonly seatflow: Seatflow
  /** The ids of the path. */
  readonly ids: Readonly<Record<string, string>>
  readonly query: Q
  /** The body's fields (only those the route knows). */
  readonly body: Readonly<Record<string, unknown>>
  readonly trace: Trace
  /** An id derived from the request's idempotency key (null without one): what a creation is given, so a retry cannot make a second. */
  readonly derivedId: string | null
}

/** A route as it is written: what the OpenAPI document says of it, who may call it, and what it runs. */
export interface RouteSpec<Q extends QueryParams> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH'
  /** The path under /api/v1, OpenAPI style (`/subscriptions/{subscriptionId}`); every parameter is a uuid. */
  readonly path: string
  /** The path's parameters that are names (a billing run's id), not uuids. */
  readonly pathNames?: ReadonlyArray<string>
  readonly operationId: string
  readonly tag: string
  readonly summary: string
  readonly role: Role
  readonly query?: Q
  readonly body?: BodySchema
  /** The answers when it succeeds, by status. */
  readonly answers: Readonly<Record<number, { readonly description: string; readonly schema: JsonSchema }>>
  /** The problems it may answer besides those every route may (400 on bad input, 401, 403, 429, 500). */
  readonly problems?: ReadonlyArray<number>
  readonly run: (call: Call<QueryOf<Q>>) => Promise<Answer>
}

/** A route, its query's types erased: what the service mounts and the document describes. */
export interface Route extends Omit<RouteSpec<QueryParams>, 'pathNames' | 'query' | 'body' | 'problems' | 'run'> {
  readonly pathNames: ReadonlyArray<string>
  readonly query: QueryParams
  readonly body: BodySchema | null
  readonly problems: ReadonlyArray<number>
  readonly run: (call: Call<Readonly<Record<string, unknown>>>) => Promise<Answer>
}

/** A route from its spec. */
export const route = <Q extends QueryParams>(spec: RouteSpec<Q>): Route => ({
  ...spec,
  pathNames: spec.pathNames ?? [],
  query: spec.query ?? {},
  body: spec.body ?? null,
  problems: spec.problems ?? [],
  // Each parameter's reader made the value its type says: the one place the query's type is restored.
  run: (call) => spec.run(call as Call<QueryOf<Q>>),
})

/** Whether a route writes. */
export const writes = (r: Pick<Route, 'method'>): boolean => r.method !== 'GET'

/** The ids a path names (`{subscriptionId}` → subscriptionId). */
export const pathIds = (path: string): ReadonlyArray<string> => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '')

/** An answer with a problem. */
export const problemAnswer = (problem: Problem): Answer => ({ status: problem.status, body: problem })

/** A command's answer: its problem when refused, else `status` with the body made of what it answered. */
export const answerOf = <A>(result: E.Either<SeatflowError, A>, status: number, body: (a: A) => unknown = (a) => a, location?: (a: A) => string): Answer => {
  if (E.isLeft(result)) return problemAnswer(problemOf(result.left))
  return { status, body: body(result.right), ...(location === undefined ? {} : { location: location(result.right) }) }
}

/** A row that may not be there: 200 with it, or the not-found problem. */
export const rowAnswer = <Row>(row: Row | null, missing: SeatflowError): Answer =>
  row === null ? problemAnswer(problemOf(missing)) : { status: 200, body: row }

/** The fields given, without those left out (for inputs with optional fields). */
export const given = <T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> }
