import { describeError, SeatflowError } from '../domain/errors'

/** An RFC 9457 problem: what went wrong, for people (`title`, `detail`) and for programs (`type`, `status`, `tag`). */
export interface Problem {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  /** The typed error's tag, when a command refused. */
  readonly tag?: string
  /** Each bad field of a malformed body. */
  readonly problems?: ReadonlyArray<string>
  /** The License Changes the refusal is about (the unresolved changes that block a move). */
  readonly licenseChangeIds?: ReadonlyArray<string>
}

/** Where the problem types are described. */
export const problemBase = 'https://seatflow.dev/problems/'

const notFound: ReadonlyArray<SeatflowError['_tag']> = ['ProviderNotFound', 'SubscriptionNotFound', 'LicenseChangeNotFound', 'BundleParentNotFound']
const conflicts: ReadonlyArray<SeatflowError['_tag']> = ['ConcurrencyConflict', 'ProviderAlreadyRegistered', 'SubscriptionAlreadyExists']

/**
 * The HTTP status of a refused command: 400 for input that is not valid, 404 for an unknown id,
 * 409 when the state conflicts with the request (already there, raced), 422 for a command the
 * domain refuses as it stands (not awaiting provisioning, quantity unchanged, superseded, ...).
 */
export const statusOf = (error: SeatflowError): number => {
  if (error._tag === 'InvalidCommand') return 400
  if (notFound.includes(error._tag)) return 404
  return conflicts.includes(error._tag) ? 409 : 422
}

/** The problem of a refused command: its tag, its sentence, and for invalid input each problem. */
export const problemOf = (error: SeatflowError): Problem => ({
  type: `${problemBase}${error._tag}`,
  title: error._tag.replace(/([a-z])([A-Z])/g, '$1 $2'),
  status: statusOf(error),
  detail: describeError(error),
  tag: error._tag,
  ...(error._tag === 'InvalidCommand' ? { problems: error.problems } : {}),
  ...(error._tag === 'UnresolvedChangesBlockMove' ? { licenseChangeIds: error.licenseChangeIds } : {}),
})

/** A problem of the service itself (authentication, rights, rate, a body that is not JSON, a route that is not there). */
export const serviceProblem = (status: number, tag: string, detail: string): Problem =>
  ({ type: `${problemBase}${tag}`, title: tag.replace(/([a-z])([A-Z])/g, '$1 $2'), status, detail, tag })
