import * as E from 'fp-ts/Either'
import type { Seatflow } from '../../app/seatflow'
import { Problem, serviceProblem } from '../problems'
import { apiRouteList } from '../routes/api'
import { readBody, readIds } from '../routes/input'
import { invalidRequest } from '../routes/mount'
import { Answer, pathIds, Route } from '../routes/route'
import { allows, TokenRecord } from '../tokens'

/** A write the console asks for: the API route's operation, its path's ids and its body's fields. */
export interface Action {
  readonly operationId: string
  readonly ids: Readonly<Record<string, string>>
  readonly body: Readonly<Record<string, unknown>>
}

/** What a write came to: done (the route's answer), or the problem that refused it. */
export type ActionResult = E.Either<Problem, Answer>

const routeOf = (operationId: string): Route => {
  const found = apiRouteList.find((route) => route.operationId === operationId)
  if (found === undefined) throw new Error(`the console asks for ${operationId}, which the API does not have`)
  return found
}

/** Whether a token may run an operation: the API route's own role. */
export const mayRun = (token: TokenRecord, operationId: string): boolean => allows(token.role, routeOf(operationId).role)

/**
 * Run a write as the API would: the same route (its role, its checks of the ids and the body, its
 * façade command), the token's name as the actor. A refusal is the API's problem, nothing written.
 */
export const runAction = async (seatflow: Seatflow, token: TokenRecord, action: Action, correlationId: string): Promise<ActionResult> => {
  const route = routeOf(action.operationId)
  if (!allows(token.role, route.role)) {
    return E.left(serviceProblem(403, 'Forbidden', `this needs the ${route.role} role; the token "${token.name}" is ${token.role}`))
  }
  const ids = readIds(pathIds(route.path), action.ids)
  const body = route.body === null ? E.right({}) : readBody(route.body, action.body)
  if (E.isLeft(ids) || E.isLeft(body)) return E.left(invalidRequest([...(E.isLeft(ids) ? ids.left : []), ...(E.isLeft(body) ? body.left : [])]))
  const answer = await route.run({ seatflow, ids: ids.right, query: {}, body: body.right, trace: { actor: token.name, correlationId }, derivedId: null })
  return answer.status >= 400 ? E.left(answer.body as Problem) : E.right(answer)
}

/** A refusal in words for a page. */
export const refusalText = (problem: Problem): string => problem.detail

