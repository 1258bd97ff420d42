import { randomUUID } from 'node:crypto'
import { Answer, jsonOf, Loopback, SeenRequest, startLoopback } from './loopback'

/** A subscription the loopback StreamOne Ion holds. */
export interface IonSeed {
  readonly customerId: string
  readonly id: string
  readonly quantity: number
  /** Default ACTIVE. */
  readonly status?: string
}

interface Order { id: string; customerId: string; subscriptionId: string; quantity: number; status: string; readsLeft: number; failWith: string | null }

/** The loopback StreamOne Ion and the handles a test steers it with. */
export interface LoopbackIon extends Loopback {
  readonly quantityOf: (subscriptionId: string) => number | undefined
  /** The refresh token that works now (each token call rotates it). */
  readonly currentRefreshToken: () => string
  /** A change made in the Ion portal by someone, logged in the subscription's activity log. */
  readonly changeInPortal: (subscriptionId: string, quantity: number, actor: string, at: string) => void
  /** A status set in the Ion portal (e.g. CANCELLED, SUSPENDED, ACTIVE). */
  readonly setStatusInPortal: (subscriptionId: string, status: string) => void
  readonly statusOf: (subscriptionId: string) => string | undefined
  /** The next orders stay in PROCESSING for this many reads of the order. */
  readonly processNext: (orders: number, reads: number) => void
  /** The next order fails with this message. */
  readonly failNextOrder: (message: string) => void
  readonly orders: () => ReadonlyArray<SeenRequest>
}

const error = (status: number, code: string, message: string): Answer => ({ status, json: { code, message } })

/**
 * A StreamOne Ion on 127.0.0.1: `POST /oauth/token` (refresh-token grant; every call returns a new
 * refresh token and the old one stops working), `GET .../customers/{c}/subscriptions/{s}` with
 * `activityLogs`, and seat changes as orders (`POST .../customers/{c}/orders` with an UPDATE item,
 * `GET .../orders/{id}` until COMPLETED or FAILED).
 */
export const startIon = async (seeds: ReadonlyArray<IonSeed>, accountId = 'acct-1', firstRefreshToken = 'refresh-0'): Promise<LoopbackIon> => {
  const subscriptions = new Map(seeds.map((seed) => [seed.id, { ...seed, status: seed.status ?? 'ACTIVE', activityLogs: [] as Array<Record<string, string>> }]))
  const orders = new Map<string, Order>()
  let refresh = firstRefreshToken
  let issued = 0
  const accessTokens = new Set<string>()
  let processing = { orders: 0, reads: 0 }
  let failure: string | null = null

  const token = (request: SeenRequest): Answer => {
    const form = new URLSearchParams(request.body)
    if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== refresh) return { status: 400, json: { error: 'invalid_grant', error_description: 'The refresh token is invalid or was already used' } }
    issued += 1
    refresh = `refresh-${issued}`
    const access = `access-${randomUUID()}`
    accessTokens.add(access)
    return { status: 200, json: { access_token: access, refresh_token: refresh, token_type: 'Bearer', expires_in: 3600 } }
  }

  const finish = (order: Order): void => {
    if (order.status !== 'PROCESSING' || (order.readsLeft -= 1) > 0) return
    if (order.failWith !== null) {
      order.status = 'FAILED'
      return
    }
    const subscription = subscriptions.get(order.subscriptionId)
    if (subscription !== undefined) subscription.quantity = order.quantity
    order.status = 'COMPLETED'
  }

  const orderJson = (order: Order) => ({
    id: order.id, customerId: order.customerId, status: order.status,
    ...(order.status === 'FAILED' ? { statusMessage: order.failWith } : {}),
    orderItems: [{ action: 'UPDATE', resourceId: order.subscriptionId, quantity: order.quantity }],
  })

  const placeOrder = (customerId: string, request: SeenRequest): Answer => {
    const item = (jsonOf(request.body)?.orderItems as ReadonlyArray<Record<string, unknown>> | undefined)?.[0]
    const subscription = subscriptions.get(String(item?.resourceId))
    if (item?.action !== 'UPDATE' || typeof item.quantity !== 'number' || subscription === undefined) return error(400, 'INVALID_ORDER', 'An UPDATE order needs a known resourceId and a quantity')
    if (subscription.status !== 'ACTIVE') return error(400, 'INVALID_STATE', `Subscription ${subscription.id} is ${subscription.status}: only an ACTIVE subscription can be updated`)
    const order: Order = { id: `order-${orders.size + 1}`, customerId, subscriptionId: subscription.id, quantity: item.quantity, status: 'PROCESSING', readsLeft: 0, failWith: failure }
    failure = null
    if (processing.orders > 0) {
      processing = { ...processing, orders: processing.orders - 1 }
      order.readsLeft = processing.reads
    }
    orders.set(order.id, order)
    if (order.readsLeft === 0) {
      order.readsLeft = 1
      finish(order)
    }
    return { status: 201, json: orderJson(order) }
  }

  const resource = (customerId: string, kind: string | undefined, id: string | undefined, request: SeenRequest): Answer => {
    if (kind === 'orders' && request.method === 'POST' && id === undefined) return placeOrder(customerId, request)
    const order = kind === 'orders' && id !== undefined ? orders.get(id) : undefined
    if (order !== undefined) {
      finish(order)
      return { status: 200, json: orderJson(order) }
    }
    const subscription = kind === 'subscriptions' && id !== undefined ? subscriptions.get(id) : undefined
    if (subscription === undefined || subscription.customerId !== customerId) return error(404, 'NOT_FOUND', `No ${kind ?? ''} ${id ?? ''} for customer ${customerId}`)
    return { status: 200, json: { id: subscription.id, customerId, quantity: subscription.quantity, status: subscription.status, activityLogs: subscription.activityLogs } }
  }

  const server = await startLoopback((request) => {
    if (request.method === 'POST' && request.path === '/oauth/token') return token(request)
    const bearer = request.headers.authorization?.replace(/^Bearer /, '') ?? ''
    if (!accessTokens.has(bearer)) return error(401, 'UNAUTHORIZED', 'Access token missing or invalid')
    const match = /^\/api\/v3\/accounts\/([^/]+)\/customers\/([^/]+)\/(subscriptions|orders)(?:\/([^/]+))?$/.exec(request.path)
    if (match === null || match[1] !== accountId) return error(404, 'NOT_FOUND', `No resource at ${request.path}`)
    return resource(decodeURIComponent(match[2] ?? ''), match[3], match[4] === undefined ? undefined : decodeURIComponent(match[4]), request)
  })

  return {
    ...server,
    quantityOf: (id) => subscriptions.get(id)?.quantity,
    currentRefreshToken: () => refresh,
    changeInPortal: (id, quantity, actor, at) => {
      const subscription = subscriptions.get(id)
      if (subscription === undefined) throw new Error(`no subscription ${id}`)
      subscription.activityLogs.push({ action: 'UPDATE', description: `New Quantity: ${quantity}`, actor, createdAt: at })
      subscription.quantity = quantity
    },
    setStatusInPortal: (id, status) => {
      const subscription = subscriptions.get(id)
      if (subscription === undefined) throw new Error(`no subscription ${id}`)
      subscription.status = status
    },
    statusOf: (id) => subscriptions.get(id)?.status,
    processNext: (count, reads) => { processing = { orders: count, reads } },
    failNextOrder: (message) => { failure = message },
    orders: () => server.requests().filter((request) => request.method === 'POST' && request.path.endsWith('/orders')),
  }
}
