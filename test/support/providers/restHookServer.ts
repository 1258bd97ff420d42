import { Answer, jsonOf, Loopback, SeenRequest, startLoopback } from './loopback'

/** The loopback REST hook and the handles a test steers it with. */
export interface LoopbackRestHook extends Loopback {
  readonly seatsOf: (subscriptionId: string) => number | undefined
  /** The next seat changes are queued and done after this many reads of their request. */
  readonly queueNext: (changes: number, reads: number) => void
  /** The next seat change is rejected with this code and message (in a 200 answer, as `state: "rejected"`). */
  readonly rejectNext: (code: string, message: string) => void
  readonly changeAtProvider: (subscriptionId: string, seats: number, by: string, at: string) => void
  readonly cancelledOf: (subscriptionId: string) => boolean | undefined
}

interface Change { id: string; subscriptionId: string; seats: number; state: string; readsLeft: number }

/**
 * A provider with a REST hook on 127.0.0.1, the shape a Synnex bridge might have:
 * `POST /hook/v1/subscriptions/{id}/seat-changes {seats, reference}` answers `{state, requestId}`
 * (and `DELETE /hook/v1/subscriptions/{id}` cancels)
 * (done, queued or rejected), `GET /hook/v1/seat-changes/{requestId}`, `GET /hook/v1/subscriptions/{id}`;
 * an `x-api-key` header; `Idempotency-Key` makes a repeated change answer as the first.
 */
export const startRestHook = async (seats: Readonly<Record<string, number>>, apiKey = 'hook-key'): Promise<LoopbackRestHook> => {
  const held = new Map(Object.entries(seats).map(([id, n]) => [id, { seats: n, cancelled: false, lastChange: null as null | { by: string; at: string } }]))
  const changes = new Map<string, Change>()
  const answered = new Map<string, Answer>()
  let queueing = { changes: 0, reads: 0 }
  let rejection: { code: string; message: string } | null = null

  const view = (change: Change): Answer => ({ status: 200, json: { requestId: change.id, state: change.state } })

  const advance = (change: Change): void => {
    if (change.state !== 'queued' || (change.readsLeft -= 1) > 0) return
    const subscription = held.get(change.subscriptionId)
    if (subscription !== undefined) subscription.seats = change.seats
    change.state = 'done'
  }

  const post = (subscriptionId: string, body: string): Answer => {
    const request = jsonOf(body)
    const subscription = held.get(subscriptionId)
    if (subscription === undefined) return { status: 404, json: { error: { code: 'E404', message: `unknown subscription ${subscriptionId}` } } }
    if (typeof request?.seats !== 'number' || typeof request.reference !== 'string') return { status: 422, json: { error: { code: 'E422', message: 'seats (a number) and reference are required' } } }
    if (rejection !== null) {
      const { code, message } = rejection
      rejection = null
      return { status: 200, json: { state: 'rejected', problem: { code, message } } }
    }
    const change: Change = { id: `rq-${changes.size + 1}`, subscriptionId, seats: request.seats, state: 'queued', readsLeft: 1 }
    changes.set(change.id, change)
    if (queueing.changes > 0) {
      queueing = { ...queueing, changes: queueing.changes - 1 }
      change.readsLeft = queueing.reads
    } else advance(change)
    return view(change)
  }

  /** `DELETE /hook/v1/subscriptions/{id}`: cancelled at once. */
  const cancel = (subscriptionId: string): Answer => {
    const subscription = held.get(subscriptionId)
    if (subscription === undefined) return { status: 404, json: { error: { code: 'E404', message: `unknown subscription ${subscriptionId}` } } }
    if (subscription.cancelled) return { status: 200, json: { state: 'rejected', problem: { code: 'GONE', message: `subscription ${subscriptionId} is already cancelled` } } }
    subscription.cancelled = true
    return { status: 200, json: { state: 'done', requestId: `cx-${subscriptionId}` } }
  }

  /** A seat change or a cancellation, answered once per Idempotency-Key; null for any other request. */
  const write = (request: SeenRequest): Answer | null => {
    const seatChange = /^\/hook\/v1\/subscriptions\/([^/]+)(\/seat-changes)?$/.exec(request.path)
    const writes = seatChange !== null && ((request.method === 'POST' && seatChange[2] !== undefined) || (request.method === 'DELETE' && seatChange[2] === undefined))
    if (seatChange === null || !writes) return null
    const key = request.headers['idempotency-key']
    const earlier = key === undefined ? undefined : answered.get(key)
    const id = decodeURIComponent(seatChange[1] ?? '')
    const answer = earlier ?? (request.method === 'DELETE' ? cancel(id) : post(id, request.body))
    if (key !== undefined) answered.set(key, answer)
    return answer
  }

  const server = await startLoopback((request) => {
    if (request.headers['x-api-key'] !== apiKey) return { status: 401, json: { error: { code: 'E401', message: 'bad api key' } } }
    const written = write(request)
    if (written !== null) return written
    const status = /^\/hook\/v1\/seat-changes\/([^/]+)$/.exec(request.path)
    const change = status === null ? undefined : changes.get(decodeURIComponent(status[1] ?? ''))
    if (change !== undefined) {
      advance(change)
      return view(change)
    }
    const read = /^\/hook\/v1\/subscriptions\/([^/]+)$/.exec(request.path)
    const subscription = read === null ? undefined : held.get(decodeURIComponent(read[1] ?? ''))
    if (subscription !== undefined) return { status: 200, json: { subscription: { seats: subscription.seats, lastChange: subscription.lastChange } } }
    return { status: 404, json: { error: { code: 'E404', message: `nothing at ${request.method} ${request.path}` } } }
  })

  return {
    ...server,
    seatsOf: (id) => held.get(id)?.seats,
    cancelledOf: (id) => held.get(id)?.cancelled,
    queueNext: (count, reads) => { queueing = { changes: count, reads } },
    rejectNext: (code, message) => { rejection = { code, message } },
    changeAtProvider: (id, n, by, at) => {
      const subscription = held.get(id)
      if (subscription === undefined) throw new Error(`no subscription ${id}`)
      subscription.seats = n
      subscription.lastChange = { by, at }
    },
  }
}

/** A REST gateway configuration for the loopback hook. */
export const restHookConfig = (baseUrl: string) => ({
  name: 'Synnex', baseUrl: `${baseUrl}/hook`,
  change: { method: 'POST', path: '/v1/subscriptions/{{subscriptionId}}/seat-changes', body: { seats: '{{targetQuantity}}', reference: 'seatflow-{{licenseChangeId}}', note: '{{product}}: {{previousQuantity}} -> {{targetQuantity}}' } },
  check: { method: 'GET', path: '/v1/seat-changes/{{reference}}' },
  read: { method: 'GET', path: '/v1/subscriptions/{{subscriptionId}}', quantity: '/subscription/seats', changedBy: '/subscription/lastChange/by', changedAt: '/subscription/lastChange/at' },
  response: { status: '/state', provisioned: ['done'], pending: ['queued'], failed: ['rejected'], reference: '/requestId', reason: '/problem/message', code: '/problem/code' },
  idempotencyHeader: 'Idempotency-Key',
})
