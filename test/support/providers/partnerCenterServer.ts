import { Answer, jsonOf, Loopback, SeenRequest, startLoopback } from './loopback'

/** A subscription the loopback Partner Center holds. */
export interface PartnerCenterSeed {
  readonly customerId: string
  readonly id: string
  readonly quantity: number
  readonly offerId?: string
  /** New commerce: the seats removable and until when (`refundableQuantity.details`). Absent: a legacy subscription. */
  readonly refundable?: ReadonlyArray<{ readonly quantity: number; readonly allowedUntilDateTime: string }>
  /** Default active. */
  readonly status?: SubscriptionStatus
  /** New commerce: `cancellationAllowedUntilDate` (null: it cannot be cancelled). Absent: a legacy subscription, never deleted. */
  readonly cancellationAllowedUntil?: string | null
}

/** The statuses the loopback models. */
export type SubscriptionStatus = 'active' | 'suspended' | 'deleted'

interface Held {
  customerId: string; id: string; quantity: number; etag: number; offerId: string; refundable: PartnerCenterSeed['refundable']
  status: SubscriptionStatus; cancellationAllowedUntil: string | null | undefined
}

/** What a PATCH asks for: a quantity and a status. */
interface Change { readonly quantity: number; readonly status: SubscriptionStatus }

/** The loopback Partner Center and the handles a test steers it with. */
export interface LoopbackPartnerCenter extends Loopback {
  readonly quantityOf: (subscriptionId: string) => number | undefined
  readonly statusOf: (subscriptionId: string) => SubscriptionStatus | undefined
  /** A status set in the Partner Center portal (e.g. suspended there): new ETag. */
  readonly setStatusInPortal: (subscriptionId: string, status: SubscriptionStatus) => void
  /** The clock the loopback judges cancellation windows by (default: the real one). */
  readonly setNow: (now: () => number) => void
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
  id: held.id, offerId: held.offerId, quantity: held.quantity, status: held.status, billingCycle: 'monthly', autoRenewEnabled: true,
  ...(held.cancellationAllowedUntil === undefined ? {} : { cancellationAllowedUntilDate: held.cancellationAllowedUntil }),
  ...(held.refundable === undefined ? {} : { refundableQuantity: { totalQuantity: held.refundable.reduce((sum, r) => sum + r.quantity, 0), details: held.refundable } }),
  links: { self: { uri: `/customers/${held.customerId}/subscriptions/${held.id}`, method: 'GET' } },
  attributes: { etag: `"${held.etag}"`, objectType: 'Subscription' },
})

const statuses: ReadonlyArray<unknown> = ['active', 'suspended', 'deleted']

/** What a PATCH asks for, or why it is malformed. */
const changeOf = (body: Record<string, unknown> | null, held: Held): { readonly change: Change } | { readonly malformed: Answer } => {
  const quantity = body?.quantity
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0) return { malformed: error(400, 800001, 'The quantity must be a whole number of seats') }
  const status = body?.status ?? held.status
  if (!statuses.includes(status)) return { malformed: error(400, 'InvalidStatus', `Unknown subscription status ${JSON.stringify(status)}`) }
  return { change: { quantity, status: status as SubscriptionStatus } }
}

/**
 * Partner Center's business refusals as the loopback models them (the codes are the loopback's own):
 * nothing changes a deleted subscription; a deletion needs an open `cancellationAllowedUntilDate`
 * (a legacy subscription is suspended, never deleted); a suspended one changes seats only when reactivated.
 */
const refusalOf = (held: Held, change: Change, now: number): Answer | null => {
  if (held.status === 'deleted') return error(400, 'SubscriptionDeleted', 'The subscription is deleted and cannot be updated')
  if (change.status === 'deleted') {
    const until = held.cancellationAllowedUntil
    if (until === undefined) return error(400, 'CancellationNotSupported', 'A legacy subscription cannot be deleted; suspend it instead')
    if (until === null) return error(400, 'CancellationNotAllowed', 'This subscription cannot be cancelled')
    if (Date.parse(until) <= now) return error(400, 'CancellationWindowExpired', `The cancellation window of this subscription ended at ${until}`)
    return null
  }
  const seatsChange = change.quantity !== held.quantity
  if (seatsChange && held.status === 'suspended' && change.status !== 'active') return error(400, 'SubscriptionSuspended', 'The quantity of a suspended subscription cannot be changed; reactivate it first')
  return null
}

/**
 * A Partner Center on 127.0.0.1 that behaves as its documentation says: GET and PATCH of
 * `/v1/customers/{tenant}/subscriptions/{id}` (quantity; `status` deleted within
 * `cancellationAllowedUntilDate`, suspended, active again), a bearer token, `If-Match` (412 on a stale ETag),
 * `MS-RequestId` idempotency (a repeated PATCH gets the first answer and changes nothing),
 * 202 + Location, throttling (429 + Retry-After), errors as `{code, description}`; faults are
 * queued with `fault(...)`.
 */
export const startPartnerCenter = async (seeds: ReadonlyArray<PartnerCenterSeed>, token = 'test-token'): Promise<LoopbackPartnerCenter> => {
  const held = new Map<string, Held>(seeds.map((seed) => [seed.id, {
    ...seed, etag: 1, offerId: seed.offerId ?? 'CFQ7TTC0LH18:0001', refundable: seed.refundable, status: seed.status ?? 'active', cancellationAllowedUntil: seed.cancellationAllowedUntil,
  }]))
  const answered = new Map<string, Answer>()
  const pendingApply = new Map<string, Change & { getsLeft: number }>()
  let now = Date.now
  let accepting: { patches: number; gets: number; retryAfter: string | undefined } = { patches: 0, gets: 0, retryAfter: undefined }
  let races = 0
  let throttle: string | undefined
  const throttled = new Set<string>()

  const apply = (subscription: Held, change: Change): void => {
    subscription.quantity = change.quantity
    subscription.status = change.status
    subscription.etag += 1
  }

  const get = (subscription: Held): Answer => {
    const pending = pendingApply.get(subscription.id)
    if (pending !== undefined && (pending.getsLeft -= 1) <= 0) {
      pendingApply.delete(subscription.id)
      apply(subscription, pending)
    }
    return { status: 200, headers: { etag: `"${subscription.etag}"` }, json: resource(subscription) }
  }

  const patch = (subscription: Held, request: SeenRequest): Answer => {
    const read = changeOf(jsonOf(request.body), subscription)
    if ('malformed' in read) return read.malformed
    if (races > 0) {
      races -= 1
      subscription.etag += 1
    }
    if (request.headers['if-match'] !== `"${subscription.etag}"`) return error(412, 'PreconditionFailed', 'The subscription was changed by another request (ETag mismatch)')
    if (pendingApply.has(subscription.id)) return error(409, 800204, 'Subscription is not ready to be updated')
    const asked = read.change
    const refusal = refusalOf(subscription, asked, now())
    if (refusal !== null) return refusal
    if (accepting.patches > 0) {
      accepting = { ...accepting, patches: accepting.patches - 1 }
      pendingApply.set(subscription.id, { ...asked, getsLeft: accepting.gets })
      return { status: 202, headers: { location: `/v1/customers/${subscription.customerId}/subscriptions/${subscription.id}`, ...(accepting.retryAfter === undefined ? {} : { 'retry-after': accepting.retryAfter }) } }
    }
    apply(subscription, asked)
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

  const heldOne = (id: string): Held => {
    const subscription = held.get(id)
    if (subscription === undefined) throw new Error(`no subscription ${id}`)
    return subscription
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
    statusOf: (id) => held.get(id)?.status,
    changeInPortal: (id, quantity) => {
      const subscription = heldOne(id)
      apply(subscription, { quantity, status: subscription.status })
    },
    setStatusInPortal: (id, status) => {
      const subscription = heldOne(id)
      apply(subscription, { quantity: subscription.quantity, status })
    },
    setNow: (clock) => { now = clock },
    acceptNext: (patches, gets, retryAfter) => { accepting = { patches, gets, retryAfter } },
    throttleFirstPatch: (retryAfter) => { throttle = retryAfter },
    raceNext: (patches) => { races = patches },
    completePending: (id) => {
      const subscription = held.get(id)
      const pending = pendingApply.get(id)
      if (subscription === undefined || pending === undefined) throw new Error(`nothing pending for ${id}`)
      pendingApply.delete(id)
      apply(subscription, pending)
    },
    patches: () => server.requests().filter((request) => request.method === 'PATCH'),
  }
}
