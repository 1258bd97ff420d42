import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { defaultProviderIds } from '../../src/domain/ids'
import { createMemoryMailer, Mail } from '../../src/providers/mail'
import { fingerprintOf, idempotencyKeys, inFlightLeaseSeconds, keepKeysHours, StoredAnswer } from '../../src/server/idempotency'
import { createMemoryRecords } from '../../src/store/records'
import { nonConformities } from './api-document'
import { Service, startService } from './api-support'

const v1 = '/api/v1'
const key = (name: string) => ({ 'idempotency-key': name })

/** A mailer whose sends wait until the test opens the gate: a request that mails stays in flight until then. */
const gatedMailer = () => {
  const inner = createMemoryMailer()
  let open: () => void = () => undefined
  let gate = new Promise<void>((resolve) => { open = resolve })
  return {
    send: async (mail: Mail) => { await gate; await inner.send(mail) },
    sent: inner.sent,
    open: () => open(),
    close: () => { gate = new Promise<void>((resolve) => { open = resolve }) },
  }
}

describe.each(['memory', 'sqlite'] as const)('writes with an Idempotency-Key, on %s', (store) => {
  let s: Service
  beforeEach(async () => { s = await startService({ store }) })
  afterEach(async () => { await s.close() })

  it('a retry with the same key and body gets the first answer and writes nothing; key order and spacing do not matter', async () => {
    const { subscriptionId } = await s.awaitingChange()
    const first = await s.ask('POST', `${v1}/subscriptions/${subscriptionId}/change-quantity`, { token: s.tokens.operator, body: { quantity: 12 }, headers: key('change-12') })
    expect(first.status).toBe(201)
    const before = await s.position()
    const retry = await s.ask('POST', `${v1}/subscriptions/${subscriptionId.toUpperCase()}/change-quantity`, { token: s.tokens.operator, raw: ' { "quantity" : 12 } ', headers: key('change-12') })
    expect([retry.status, retry.body, retry.headers.get('location')]).toEqual([first.status, first.body, first.headers.get('location')])
    expect(retry.headers.get('idempotent-replayed')).toBe('true')
    expect(first.headers.get('idempotent-replayed')).toBeNull()
    expect(await s.position()).toBe(before)
    expect(nonConformities(retry)).toEqual([])
  })

  it('the same key with another body or on another route is refused (422) and writes nothing', async () => {
    const { subscriptionId, licenseChangeId } = await s.awaitingChange()
    await s.ask('POST', `${v1}/subscriptions/${subscriptionId}/change-quantity`, { token: s.tokens.operator, body: { quantity: 12 }, headers: key('k-1') })
    const before = await s.position()
    const otherBody = await s.ask('POST', `${v1}/subscriptions/${subscriptionId}/change-quantity`, { token: s.tokens.operator, body: { quantity: 13 }, headers: key('k-1') })
    const otherRoute = await s.ask('POST', `${v1}/license-changes/${licenseChangeId}/mark-provisioned`, { token: s.tokens.operator, body: { by: 'Dana' }, headers: key('k-1') })
    for (const reply of [otherBody, otherRoute]) {
      expect(reply.status).toBe(422)
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(reply.body).toMatchObject({ status: 422, tag: 'IdempotencyKeyReused' })
      expect(nonConformities(reply)).toEqual([])
    }
    expect(await s.position()).toBe(before)
  })

  it('a key belongs to its token: another token with the same key makes its own request', async () => {
    const body = { product: 'Visio Plan 2', providerId: defaultProviderIds.manual, quantity: 2, billingContractId: 'BC-9', contractOwnerEmail: 'owner@customer.example' }
    const byOperator = await s.ask('POST', `${v1}/subscriptions`, { token: s.tokens.operator, body, headers: key('new-visio') })
    const byAdmin = await s.ask('POST', `${v1}/subscriptions`, { token: s.tokens.admin, body, headers: key('new-visio') })
    expect([byOperator.status, byAdmin.status]).toEqual([201, 201])
    expect(byAdmin.body).not.toEqual(byOperator.body)
    expect((await s.seatflow.subscriptions()).filter((row) => row.product === 'Visio Plan 2')).toHaveLength(2)
  })

  it('a refusal is an answer too: its retry gets the same problem, even once the state would allow it', async () => {
    const { subscriptionId } = await s.awaitingChange(10)
    const refused = await s.ask('POST', `${v1}/subscriptions/${subscriptionId}/change-quantity`, { token: s.tokens.operator, body: { quantity: 10 }, headers: key('same') })
    expect(refused.body).toMatchObject({ status: 422, tag: 'QuantityUnchanged' })
    await s.seatflow.changeQuantity({ subscriptionId, quantity: 11 })
    const before = await s.position()
    const retry = await s.ask('POST', `${v1}/subscriptions/${subscriptionId}/change-quantity`, { token: s.tokens.operator, body: { quantity: 10 }, headers: key('same') })
    expect([retry.status, retry.body]).toEqual([422, refused.body])
    expect(await s.position()).toBe(before)
  })

  it('many requests with one key at once write once: each answer is the first one or 409 while it runs', async () => {
    const { subscriptionId } = await s.awaitingChange()
    const before = await s.position()
    const replies = await Promise.all(Array.from({ length: 12 }, () =>
      s.ask('POST', `${v1}/subscriptions/${subscriptionId}/change-quantity`, { token: s.tokens.operator, body: { quantity: 20 }, headers: key('burst') })))
    const made = replies.filter((r) => r.status === 201)
    expect(made.length).toBeGreaterThanOrEqual(1)
    expect(new Set(made.map((r) => JSON.stringify(r.body))).size).toBe(1)
    expect(replies.filter((r) => r.status !== 201).every((r) => r.status === 409 && (r.body as { tag: string }).tag === 'IdempotencyKeyInFlight')).toBe(true)
    const changes = (await s.eventsAfter(before)).filter((e) => e.type === 'SubscriptionQuantityChanged')
    expect(changes).toHaveLength(1)
  })

  it('a bad key is a 400 naming the header, and the request writes nothing', async () => {
    const { subscriptionId } = await s.awaitingChange()
    const before = await s.position()
    const reply = await s.ask('POST', `${v1}/subscriptions/${subscriptionId}/change-quantity`, { token: s.tokens.operator, body: { quantity: 12 }, headers: key('x'.repeat(256)) })
    expect(reply.body).toMatchObject({ status: 400, tag: 'InvalidRequest', problems: ['Idempotency-Key: must be 1 to 255 visible ASCII characters, given once'] })
    expect(await s.position()).toBe(before)
  })
})

describe('an idempotent request while the first is still running', () => {
  it('answers 409 until the first has answered, then the first answer', async () => {
    const mailer = gatedMailer()
    mailer.open()
    const s = await startService({ mailer })
    try {
      const { subscriptionId } = await s.awaitingChange()
      mailer.close()
      const mailsBefore = mailer.sent().length
      const ask = () => s.ask('POST', `${v1}/subscriptions/${subscriptionId}/change-quantity`, { token: s.tokens.operator, body: { quantity: 14 }, headers: key('slow') })
      const first = ask()
      await new Promise((resolve) => setTimeout(resolve, 50))
      const during = await ask()
      expect(during.body).toMatchObject({ status: 409, tag: 'IdempotencyKeyInFlight' })
      expect(nonConformities(during)).toEqual([])
      mailer.open()
      const answered = await first
      expect(answered.status).toBe(201)
      const after = await ask()
      expect([after.status, after.body]).toEqual([201, answered.body])
      expect(mailer.sent().length - mailsBefore).toBe(1)
    } finally {
      mailer.open()
      await s.close()
    }
  })
})

describe('idempotency keys across processes and crashes', () => {
  let dir: string
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-api-keys-')) })
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }) })

  it('two services on one SQLite file share the keys: a retry at the other one gets the first answer and writes nothing', async () => {
    const file = path.join(dir, 'shared.db')
    const a = await startService({ file })
    const b = await startService({ file })
    try {
      const body = { name: 'Contoso Distribution', kind: 'Manual', provisioningEmail: 'provisioning@contoso.example' }
      const first = await a.ask('POST', `${v1}/providers`, { token: a.tokens.admin, body, headers: key('contoso') })
      expect(first.status).toBe(201)
      const before = await b.position()
      const retry = await b.ask('POST', `${v1}/providers`, { token: a.tokens.admin, body, headers: key('contoso') })
      expect([retry.status, retry.body, retry.headers.get('location'), retry.headers.get('idempotent-replayed')]).toEqual([201, first.body, first.headers.get('location'), 'true'])
      expect(await b.position()).toBe(before)
      expect((await b.seatflow.providers()).filter((p) => p.name === 'Contoso Distribution')).toHaveLength(1)
    } finally {
      await b.close()
      await a.close()
    }
  })

  it('after a crash left a claim without its answer, a retry past the lease runs again, and the id derived from the key keeps it from making a second subscription', async () => {
    const s = await startService({ file: path.join(dir, 'crash.db') })
    try {
      const body = { product: 'Project Plan 3', providerId: defaultProviderIds.manual, quantity: 4, billingContractId: 'BC-7', contractOwnerEmail: 'owner@customer.example' }
      const first = await s.ask('POST', `${v1}/subscriptions`, { token: s.tokens.operator, body, headers: key('plan-3') })
      expect(first.status).toBe(201)
      // What a process that died after the command and before keeping the answer leaves behind: a claim older than the lease.
      const table = 'api-idempotency-keys'
      const [record] = s.seatflow.records.list(table)
      const stale = new Date(Date.now() - (inFlightLeaseSeconds + 1) * 1000).toISOString()
      s.seatflow.records.put(table, record?.key ?? '', { ...(record?.value as object), state: 'in flight', startedAt: stale })
      const retry = await s.ask('POST', `${v1}/subscriptions`, { token: s.tokens.operator, body, headers: key('plan-3') })
      expect(retry.body).toMatchObject({ status: 409, tag: 'SubscriptionAlreadyExists' })
      expect((await s.seatflow.subscriptions()).filter((row) => row.product === 'Project Plan 3')).toHaveLength(1)
    } finally {
      await s.close()
    }
  })
})

describe('the keys themselves', () => {
  const answer: StoredAnswer = { status: 201, body: { made: 1 }, location: null }
  const world = () => {
    let now = Date.parse('2026-01-05T09:00:00.000Z')
    const records = createMemoryRecords()
    return { records, keys: idempotencyKeys(records, () => new Date(now)), advance: (ms: number) => { now += ms } }
  }
  const request = fingerprintOf('POST', '/subscriptions', { body: { quantity: 1 } })
  const another = fingerprintOf('POST', '/subscriptions', { body: { quantity: 2 } })

  it('a fingerprint does not depend on the order of an object\'s keys', () => {
    expect(fingerprintOf('POST', '/x', { a: 1, b: [{ c: 1, d: 2 }] })).toBe(fingerprintOf('POST', '/x', { b: [{ d: 2, c: 1 }], a: 1 }))
    expect(fingerprintOf('POST', '/x', { a: 1 })).not.toBe(fingerprintOf('PUT', '/x', { a: 1 }))
  })

  it(`keeps an answer ${keepKeysHours} hours, then the key is free again (and swept)`, () => {
    const { keys, records, advance } = world()
    const claim = keys.claim('token-1', 'k', request)
    if (claim.outcome !== 'claimed') throw new Error(claim.outcome)
    claim.answer(answer)
    advance(keepKeysHours * 3_600_000 - 1)
    expect(keys.claim('token-1', 'k', request)).toEqual({ outcome: 'replay', answer })
    expect(keys.claim('token-1', 'k', another)).toEqual({ outcome: 'reused' })
    advance(1)
    expect(keys.claim('token-1', 'k', another).outcome).toBe('claimed')
    advance(keepKeysHours * 3_600_000 + 1)
    keys.claim('token-2', 'other', request)
    expect(records.list('api-idempotency-keys').map((r) => r.key)).toEqual([expect.stringMatching(/^token-2:/)])
  })

  it('a claim without an answer holds for its lease; then exactly one retry takes it over', () => {
    const { keys, advance } = world()
    expect(keys.claim('t', 'k', request).outcome).toBe('claimed')
    expect(keys.claim('t', 'k', request).outcome).toBe('in flight')
    advance(inFlightLeaseSeconds * 1000)
    expect(keys.claim('t', 'k', request).outcome).toBe('claimed')
    expect(keys.claim('t', 'k', request).outcome).toBe('in flight')
  })

  it('a released claim (the service failed) lets the retry run; a claim taken over cannot leave its answer', () => {
    const { keys, advance } = world()
    const failed = keys.claim('t', 'k', request)
    if (failed.outcome !== 'claimed') throw new Error(failed.outcome)
    failed.release()
    const slow = keys.claim('t', 'k', request)
    if (slow.outcome !== 'claimed') throw new Error(slow.outcome)
    advance(inFlightLeaseSeconds * 1000)
    const next = keys.claim('t', 'k', request)
    if (next.outcome !== 'claimed') throw new Error(next.outcome)
    slow.answer({ ...answer, body: 'late' })
    next.answer(answer)
    expect(keys.claim('t', 'k', request)).toEqual({ outcome: 'replay', answer })
  })
})
