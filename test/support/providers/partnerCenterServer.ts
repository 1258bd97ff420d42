import { Answer, jsonOf, Loopback, SeenRequest, startLoopback } from './loopback'

/** A subscription the loopback Partner Center holds. */
export interface PartnerCenterSeed {
  readonly customerId: string
  readonly id: string
  readonly quantity: number
  readonly offerId?: string
  /** New commerce: the seats removable and until when (`refundableQuantity.details`). Absent: a legacy subscription. */
  readonly refundable?: ReadonlyArray<{ readonly quantity: number; readonly allowedUntilDateTime: string }>
}

interface Held { customerId: string; id: string; quantity: number; etag: number; offerId: string; refundable: PartnerCenterSeed['refundable'] }

/** The loopback Partner Center and the handles a test steers it with. */
export interface LoopbackPartnerCenter extends Loopback {
  readonly quantityOf: (subscriptionId: string) => number | undefined
  /** A change made in the Partner Center portal: new quantity, new ETag. */
  readonly changeInPortal: (subscriptionId: string, quantity: number) => void
  /** The next PATCHes answer 202 and apply after this many GETs of the subscription. */
  readonly acceptNext: (patches: number, getsUntilDone: number, retryAfter?: string) => void
  /**
   * Throttle as Partner Center does under load: from now on the first PATCH of each MS-RequestId
   * answers 429 with this Retry-After (seconds), and the same PATCH repeated goes through.
   */
  readonly throttleFirstPatch: (retryAfter: string) => void
  /** Bump the ETag before each of the next PATCHes, as if someone else updated the subscription just then. */
  readonly raceNext: (patches: number) => void
  /** Finish the accepted change of a subscription now. */
  readonly completePending: (subscriptionId: string) => void
  readonly patches: () => ReadonlyArray<SeenRequest>
}

const error = (status: number, code: number | string, description: string): Answer =>
  ({ status, json: { code, description, data: [], source: 'PartnerCenter' } })

const resource = (held: Held): Record<string, unknown> => ({
  id: held.id, offerId: held.offerId, quantity: held.quantity, status: 'active', billingCycle: 'monthly', autoRenewEnabled: true,
  ...(held.refundable === undefined ? {} : { refundableQuantity: { totalQuantity: held.refundable.reduce((sum, r) => sum + r.quantity, 0), details: held.refundable } }),
  links: { self: { uri: `/customers/${held.customerId}/subscriptions/${held.id}`, method: 'GET' } },
  attributes: { etag: `"${held.etag}"`, objectType: 'Subscription' },
})

/**
 * A Partner Center on 127.0.0.1 that behaves as its documentation says: GET and PATCH of
 * `/v1/customers/{tenant}/subscriptions/{id}`, a bearer token, `If-Match` (412 on a stale ETag),
 * `MS-RequestId` idempotency (a repeated PATCH gets the first answer and changes nothing),
 * 202 + Location, throttling (429 + Retry-After), errors as `{code, description}`; faults are
 * queued with `fault(...)`.
 */
export const startPartnerCenter = async (seeds: ReadonlyArray<PartnerCenterSeed>, token = 'test-token'): Promise<LoopbackPartnerCenter> => {
  const held = new Map<string, Held>(seeds.map((seed) => [seed.id, { ...seed, etag: 1, offerId: seed.offerId ?? 'CFQ7TTC0LH18:0001', refundable: seed.refundable }]))
  const answered = new Map<string, Answer>()
  const pendingApply = new Map<string, { quantity: number; getsLeft: number }>()
  let accepting: { patches: number; gets: number; retryAfter: string | undefined } = { patches: 0, gets: 0, retryAfter: undefined }
  let races = 0
  let throttle: string | undefined
  const throttled = new Set<string>()

  const apply = (subscription: Held, quantity: number): void => {
    subscription.quantity = quantity
    subscription.etag += 1
  }

  const get = (subscription: Held): Answer => {
    const pending = pendingApply.get(subscription.id)
    if (pending !== undefined && (pending.getsLeft -= 1) <= 0) {
      pendingApply.delete(subscription.id)
      apply(subscription, pending.quantity)
    }
    return { status: 200, headers: { etag: `"${subscription.etag}"` }, json: resource(subscription) }
  }

  const patch = (subscription: Held, request: SeenRequest): Answer => {
    const body = jsonOf(request.body)
    const quantity = body?.quantity
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0) return error(400, 800001, 'The quantity must be a whole number of seats')
    if (races > 0) {
      races -= 1
      subscription.etag += 1
    }
    if (request.headers['if-match'] !== `"${subscription.etag}"`) return error(412, 'PreconditionFailed', 'The subscription was changed by another request (ETag mismatch)')
    if (pendingApply.has(subscription.id)) return error(409, 800204, 'Subscription is not ready to be updated')
    if (accepting.patches > 0) {
      accepting = { ...accepting, patches: accepting.patches - 1 }
      pendingApply.set(subscription.id, { quantity, getsLeft: accepting.gets })
      return { status: 202, headers: { location: `/v1/customers/${subscription.customerId}/subscriptions/${subscription.id}`, ...(accepting.retryAfter === undefined ? {} : { 'retry-after': accepting.retryAfter }) } }
    }
    apply(subscription, quantity)
    return { status: 200, headers: { etag: `"${subscription.etag}"` }, json: resource(subscription) }
  }

  /** A PATCH by its MS-RequestId: throttled the first time when throttling, then applied once and answered alike when repeated. */
  const patchOnce = (subscription: Held, request: SeenRequest): Answer => {
    const requestId = request.headers['ms-requestid']
    if (throttle !== undefined && requestId !== undefined && !throttled.has(requestId)) {
      throttled.add(requestId)
      return { ...error(429, 'TooManyRequests', `Rate limit is exceeded. Try again in ${throttle} seconds.`), headers: { 'retry-after': throttle } }
    }
    const earlier = requestId === undefined ? undefined : answered.get(requestId)
    if (earlier !== undefined) return earlier
    const answer = patch(subscription, request)
    if (requestId !== undefined) answered.set(requestId, answer)
    return answer
  }

  const server = await startLoopback((request) => {
    if (request.headers.authorization !== `Bearer ${token}`) return error(401, 'Unauthorized', 'The bearer token is missing or invalid')
    const match = /^\/v1\/customers\/([^/]+)\/subscriptions\/([^/?]+)$/.exec(request.path)
    const subscription = match === null ? undefined : held.get(decodeURIComponent(match[2] ?? ''))
    if (subscription === undefined || subscription.customerId !== decodeURIComponent(match?.[1] ?? '')) return error(404, 20002, 'Subscription not found')
    if (request.method === 'GET') return get(subscription)
    return request.method === 'PATCH' ? patchOnce(subscription, request) : error(405, 'MethodNotAllowed', `${request.method} is not supported`)
  })

  return {
    ...server,
    quantityOf: (id) => held.get(id)?.quantity,
    changeInPortal: (id, quantity) => {
      const subscription = held.get(id)
      if (subscription === undefined) throw new Error(`no subscription ${id}`)
      apply(subscription, quantity)
    },
    acceptNext: (patches, gets, retryAfter) => { accepting = { patches, gets, retryAfter } },
    throttleFirstPatch: (retryAfter) => { throttle = retryAfter },
    raceNext: (patches) => { races = patches },
    completePending: (id) => {
      const subscription = held.get(id)
      const pending = pendingApply.get(id)
      if (subscription === undefined || pending === undefined) throw new Error(`nothing pending for ${id}`)
      pendingApply.delete(id)
      apply(subscription, pending.quantity)
    },
    patches: () => server.requests().filter((request) => request.method === 'PATCH'),
  }
}
