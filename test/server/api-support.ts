import * as E from 'fp-ts/Either'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import pino from 'pino'
import { Seatflow, SeatflowOptions } from '../../src/app/seatflow'
import { defaultProviderIds } from '../../src/domain/ids'
import { createSimulatedClock } from '../../src/providers/clock'
import { createMemoryMailer, Mailer } from '../../src/providers/mail'
import { createSeatflowServer } from '../../src/server'
import { Role } from '../../src/server/tokens'
import { StoredEvent } from '../../src/store/port'
import { createScriptedGateway, openSeatflow, startedAt, storageOf } from '../support/app'

/** What a test of the API gets back from a request. */
export interface Reply {
  readonly method: string
  readonly path: string
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly body: unknown
}

/** How a test calls the API. */
export interface Ask {
  readonly token?: string | undefined
  readonly body?: unknown
  /** A body sent as it is (not JSON-encoded). */
  readonly raw?: string
  readonly headers?: Readonly<Record<string, string>>
}

/** The tokens of a test service: one per role, a revoked one and one whose secret is wrong. */
export type TokenName = Role | 'revoked' | 'wrong' | 'none'

/** Options of a test service. */
export interface ServiceOptions {
  readonly store?: 'memory' | 'sqlite'
  /** A SQLite file to share with another service (the store is then \`sqlite\`, and the file is left behind). */
  readonly file?: string
  readonly rateLimitPerMinute?: number
  readonly mailer?: Mailer
  readonly seatflow?: Partial<SeatflowOptions>
}

const must = <A>(result: E.Either<unknown, A>): A => {
  if (E.isLeft(result)) throw new Error(`expected Right, got ${JSON.stringify(result.left)}`)
  return result.right
}

/** A service on loopback (port 0) over a fresh store, with tokens for every role and helpers that make the state a route needs. */
export const startService = async (options: ServiceOptions = {}) => {
  const dir = options.store === 'sqlite' && options.file === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-api-')) : null
  const store = options.file !== undefined ? `sqlite:${options.file}` : dir === null ? 'memory:' : `sqlite:${path.join(dir, 'seatflow.db')}`
  const clock = createSimulatedClock(startedAt)
  const mailer = options.mailer ?? createMemoryMailer()
  const gateway = createScriptedGateway()
  const seatflow: Seatflow = await openSeatflow({
    store, clock, mailer, gateways: { 'Partner Center': gateway }, ...options.seatflow,
  })
  const server = createSeatflowServer(seatflow, { worker: false, port: 0, logger: pino({ level: 'silent' }), rateLimitPerMinute: options.rateLimitPerMinute ?? 100_000 })
  const make = (name: string, role: Role): string => server.context.tokens.create(name, role).token
  const revoked = make('Rex Revoked', 'admin')
  server.context.tokens.revoke('Rex Revoked')
  const tokens: Readonly<Record<TokenName, string | undefined>> = {
    viewer: make('Vera Viewer', 'viewer'), operator: make('Otto Operator', 'operator'), admin: make('Ada Admin', 'admin'),
    revoked, wrong: `${make('Walt Wrong', 'admin').slice(0, -4)}AAAA`, none: undefined,
  }
  const base = await server.listen()
  const replies: Reply[] = []
  const ask = async (method: string, where: string, request: Ask = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...(request.token === undefined ? {} : { authorization: `Bearer ${request.token}` }) }
    if (request.body !== undefined || request.raw !== undefined) headers['content-type'] = 'application/json'
    const response = await fetch(`${base}${where}`, {
      method, headers: { ...headers, ...request.headers },
      ...(request.raw !== undefined ? { body: request.raw } : request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    })
    const text = await response.text()
    const reply = { method, path: where, status: response.status, headers: response.headers, text, body: text === '' ? null : JSON.parse(text) as unknown }
    replies.push(reply)
    return reply
  }
  /** A subscription on the Manual provider and its first License Change, Awaiting Provisioning with its request mail sent. */
  const awaitingChange = async (quantity = 10) => {
    const made = must(await seatflow.createSubscription({ product: 'Exchange Online (Plan 2)', providerId: defaultProviderIds.manual, quantity, billingContractId: 'BC-1001', contractOwnerEmail: 'owner@customer.example' }))
    return { subscriptionId: made.subscriptionId, licenseChangeId: made.licenseChangeId ?? '' }
  }
  /** A subscription on Partner Center whose first License Change failed for good. */
  const failedChange = async () => {
    gateway.queue({ _tag: 'PermanentFailure', reason: 'offer not found', code: 'OfferNotFound' })
    const made = must(await seatflow.createSubscription({ product: 'Microsoft 365 E3', providerId: defaultProviderIds.partnerCenter, quantity: 5, billingContractId: 'BC-2002', contractOwnerEmail: 'owner@customer.example' }))
    return { subscriptionId: made.subscriptionId, licenseChangeId: made.licenseChangeId ?? '' }
  }
  /** A subscription on the Do Nothing provider (its License Change Not Applicable: nothing unresolved). */
  const virtualSubscription = async (quantity = 5) => must(await seatflow.createSubscription({ product: 'Support bundle', providerId: defaultProviderIds.doNothing, quantity, billingContractId: 'BC-4004', contractOwnerEmail: 'owner@customer.example' })).subscriptionId
  /** A subscription on the Do Nothing provider, suspended (for non-payment). */
  const suspendedSubscription = async (quantity = 5) => {
    const subscriptionId = await virtualSubscription(quantity)
    must(await seatflow.suspendSubscription({ subscriptionId, reason: 'invoice unpaid' }))
    return subscriptionId
  }
  /** A Manual provider of its own, registered directly. */
  const provider = async (name: string) => must(await seatflow.registerProvider({ name, kind: 'Manual', provisioningEmail: 'provisioning@distributor.example' })).providerId
  return {
    seatflow, server, tokens, base, clock, mailer, gateway, replies, ask, awaitingChange, failedChange, virtualSubscription, suspendedSubscription, provider,
    /** The global position of the log's last event. */
    position: (): Promise<number> => storageOf(seatflow).events.lastPosition(),
    /** The events recorded after a position. */
    eventsAfter: async (after: number): Promise<ReadonlyArray<StoredEvent>> => {
      const events: StoredEvent[] = []
      for await (const batch of storageOf(seatflow).events.readAll({ after })) events.push(...batch)
      return events
    },
    close: async (): Promise<void> => {
      await server.close()
      if (dir !== null) fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A service a test drives. */
export type Service = Awaited<ReturnType<typeof startService>>
