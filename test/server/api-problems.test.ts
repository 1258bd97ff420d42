import { defaultProviderIds } from '../../src/domain/ids'
import { nonConformities } from './api-document'
import { Ask, Service, startService } from './api-support'

/** What a bad request is made against: a change awaiting provisioning, one provisioned, one failed, a Do Nothing subscription, a provider. */
interface World {
  readonly awaiting: { readonly subscriptionId: string; readonly licenseChangeId: string }
  readonly provisioned: string
  readonly failed: string
  readonly virtual: string
  readonly provider: string
}

interface BadRequest {
  readonly name: string
  readonly method: string
  readonly path: (w: World) => string
  readonly ask?: (w: World) => Ask
  readonly status: number
  readonly tag: string
  /** A line `problems` must hold (bad input), or a piece of `detail`. */
  readonly says?: RegExp
}

const v1 = '/api/v1'
const uuid0 = '00000000-0000-4000-8000-000000000000'
const subscription = { product: 'Exchange Online (Plan 2)', providerId: defaultProviderIds.manual, quantity: 3, billingContractId: 'BC-1', contractOwnerEmail: 'owner@customer.example' }
const create = (change: Readonly<Record<string, unknown>>, base: Readonly<Record<string, unknown>> = subscription): Pick<BadRequest, 'method' | 'path' | 'ask'> =>
  ({ method: 'POST', path: () => `${v1}/subscriptions`, ask: () => ({ body: { ...base, ...change } }) })
const without = (field: string): Readonly<Record<string, unknown>> => Object.fromEntries(Object.entries(subscription).filter(([k]) => k !== field))
const quantity = (body: unknown, headers: Readonly<Record<string, string>> = {}): Pick<BadRequest, 'method' | 'path' | 'ask'> =>
  ({ method: 'POST', path: (w) => `${v1}/subscriptions/${w.awaiting.subscriptionId}/change-quantity`, ask: () => ({ body, headers }) })
const raw = (text: string, type = 'application/json'): Pick<BadRequest, 'method' | 'path' | 'ask'> =>
  ({ method: 'POST', path: (w) => `${v1}/subscriptions/${w.awaiting.subscriptionId}/change-quantity`, ask: () => ({ raw: text, headers: { 'content-type': type } }) })
const provider = (body: Readonly<Record<string, unknown>>): Pick<BadRequest, 'method' | 'path' | 'ask'> =>
  ({ method: 'POST', path: () => `${v1}/providers`, ask: () => ({ body }) })
const list = (query: string): Pick<BadRequest, 'method' | 'path'> => ({ method: 'GET', path: () => `${v1}/license-changes?${query}` })
const invalid = (says: RegExp) => ({ status: 400, tag: 'InvalidCommand', says })
const request = (says: RegExp) => ({ status: 400, tag: 'InvalidRequest', says })

const badRequests: ReadonlyArray<BadRequest> = [
  // text (product, billing contract, by, reason, note, changedBy, provider name)
  { name: 'a text missing', ...create({}, without('product')), ...invalid(/^product: expected NonEmptyString, got nothing$/) },
  { name: 'a text of the wrong type', ...create({ product: 12 }), ...invalid(/^product: expected NonEmptyString, got 12$/) },
  { name: 'a text with a carriage return', ...create({ product: 'Teams\r\nBcc: x' }), ...invalid(/^product: must not contain control characters \(U\+000D at 6\)$/) },
  { name: 'a text with a bidi override', ...create({ billingContractId: 'BC-\u202e1' }), ...invalid(/^billingContractId: must not contain control characters \(U\+202E at 4\)$/) },
  { name: 'a text with a lone surrogate', ...create({ product: 'Teams \ud800' }), ...invalid(/^product: must be well-formed unicode \(lone surrogate U\+D800 at 7\)$/) },
  { name: 'a text too long', ...create({ product: 'x'.repeat(201) }), ...invalid(/^product: must be at most 200 characters \(got 201\)$/) },
  { name: 'a text of spaces', ...create({ product: '   ' }), ...invalid(/^product: expected NonEmptyString, got " {3}"$/) },
  { name: 'a note too long', method: 'POST', path: (w) => `${v1}/license-changes/${w.awaiting.licenseChangeId}/mark-provisioned`, ask: () => ({ body: { by: 'Dana', note: 'n'.repeat(2001) } }), ...invalid(/^note: must be at most 2000 characters \(got 2001\)$/) },
  { name: 'a person missing', method: 'POST', path: (w) => `${v1}/license-changes/${w.awaiting.licenseChangeId}/mark-provisioned`, ask: () => ({ body: {} }), ...invalid(/^by: expected NonEmptyString, got nothing$/) },
  { name: 'an empty reason', method: 'POST', path: (w) => `${v1}/license-changes/${w.failed}/requeue`, ask: () => ({ body: { by: 'Dana', reason: '' } }), ...invalid(/^reason: expected NonEmptyString, got ""$/) },
  // ids
  { name: 'an id that is not a uuid', ...create({ providerId: 'contoso' }), ...invalid(/^providerId: expected ProviderId, got "contoso"$/) },
  { name: 'an id nobody has', ...create({ providerId: uuid0 }), status: 404, tag: 'ProviderNotFound', says: new RegExp(`provider ${uuid0} does not exist`) },
  { name: 'a bundle parent nobody has', ...create({ bundle: { parentId: uuid0, multiplier: 2 }, quantity: 0 }), status: 404, tag: 'BundleParentNotFound' },
  { name: 'an id taken already', ...create({ subscriptionId: 'AWAITING' }), status: 409, tag: 'SubscriptionAlreadyExists' },
  { name: 'a path id that is not a uuid', ...quantity({ quantity: 2 }), path: () => `${v1}/subscriptions/nope/change-quantity`, ...request(/^subscriptionId: expected a uuid, got "nope"$/) },
  { name: 'a path id with a line feed', method: 'GET', path: () => `${v1}/subscriptions/%0Aab%E2%80%AE`, ...request(/^subscriptionId: expected a uuid, got "\\nab\\u202e"$/) },
  { name: 'a License Change nobody has', method: 'GET', path: () => `${v1}/license-changes/${uuid0}`, status: 404, tag: 'LicenseChangeNotFound' },
  { name: 'a subscription nobody has', ...quantity({ quantity: 2 }), path: () => `${v1}/subscriptions/${uuid0}/change-quantity`, status: 404, tag: 'SubscriptionNotFound' },
  { name: 'a provider nobody has', method: 'PATCH', path: () => `${v1}/providers/${uuid0}`, ask: () => ({ body: { name: 'Renamed' } }), status: 404, tag: 'ProviderNotFound' },
  // email addresses
  { name: 'an address that is not one', ...create({ contractOwnerEmail: 'owner at customer' }), ...invalid(/^contractOwnerEmail: expected Email, got "owner at customer"$/) },
  { name: 'an address with a line feed', ...create({ contractOwnerEmail: 'owner@customer.example\nBcc: x@y.z' }), ...invalid(/^contractOwnerEmail: must not contain control characters \(U\+000A at 23\)$/) },
  // numbers
  { name: 'a negative quantity', ...quantity({ quantity: -1 }), ...invalid(/^quantity: expected Quantity, got -1$/) },
  { name: 'a fractional quantity', ...quantity({ quantity: 1.5 }), ...invalid(/^quantity: expected Quantity, got 1.5$/) },
  { name: 'a quantity as text', ...quantity({ quantity: '12' }), ...invalid(/^quantity: expected Quantity, got "12"$/) },
  { name: 'a quantity too large', ...quantity({ quantity: 10_000_001 }), ...invalid(/^quantity: expected Quantity, got 10000001$/) },
  { name: 'a quantity of null', ...quantity({ quantity: null }), ...invalid(/^quantity: expected Quantity, got null$/) },
  { name: 'attempts out of range', ...provider({ name: 'Acme', kind: 'Automatic', system: 'Synnex', maxAttempts: 21 }), ...invalid(/^maxAttempts: expected Attempts, got 21$/) },
  // choices, times, lists, objects
  { name: 'a kind nobody knows', ...provider({ name: 'Acme', kind: 'Carrier pigeon' }), ...invalid(/^kind: expected ProviderKind, got "Carrier pigeon"$/) },
  { name: 'a Manual provider without its address', ...provider({ name: 'Acme', kind: 'Manual' }), ...invalid(/^provisioningEmail: expected Email, got nothing$/) },
  { name: 'a system nobody knows', ...provider({ name: 'Acme', kind: 'Automatic', system: 'Acme API' }), ...invalid(/^system: expected AutomaticSystem, got "Acme API"$/) },
  { name: 'a time that is not ISO-8601', method: 'POST', path: (w) => `${v1}/subscriptions/${w.virtual}/provider-sync`, ask: () => ({ body: { quantity: 9, changedAt: 'yesterday' } }), ...invalid(/^changedAt: expected IsoTime, got "yesterday"$/) },
  { name: 'a list that is not one', method: 'PUT', path: () => `${v1}/settings/copied-email-addresses`, ask: () => ({ body: { addresses: 'a@b.example' } }), ...invalid(/^addresses: expected/) },
  { name: 'a list too long', method: 'PUT', path: () => `${v1}/settings/copied-email-addresses`, ask: () => ({ body: { addresses: Array.from({ length: 51 }, (_, i) => `a${i}@b.example`) } }), ...invalid(/^addresses: must hold at most 50 addresses \(got 51\)$/) },
  { name: 'a list with an address twice', method: 'PUT', path: () => `${v1}/settings/copied-email-addresses`, ask: () => ({ body: { addresses: ['a@b.example', 'A@B.example'] } }), ...invalid(/^addresses: A@B.example is given twice/) },
  { name: 'a bad address in a list', method: 'PUT', path: () => `${v1}/settings/copied-email-addresses`, ask: () => ({ body: { addresses: ['a@b.example', 'nobody'] } }), ...invalid(/^addresses.1: expected Email, got "nobody"$/) },
  { name: 'a nested object wrong twice', ...create({ bundle: { parentId: 'x', multiplier: 0 } }), ...invalid(/^bundle.multiplier: expected Multiplier, got 0$/) },
  { name: 'a field nobody knows', ...create({ colour: 'blue' }), ...request(/^colour: is not a field of this request \(fields: product, providerId, billingContractId/) },
  { name: 'an actor of its own', ...quantity({ quantity: 12, actor: 'Mallory' }), ...request(/^actor: is not a field of this request \(fields: quantity\)$/) },
  { name: 'a field name with a bell', ...quantity({ quantity: 12, 'a\u0007b': 1 }), ...request(/^a\\u0007b: is not a field/) },
  // the body itself
  { name: 'a body that is not JSON', ...raw('{"quantity":'), status: 400, tag: 'BodyNotJson' },
  { name: 'an empty JSON body', ...raw(''), status: 400, tag: 'BodyNotJson' },
  { name: 'a body with __proto__', ...raw('{"quantity":12,"__proto__":{"admin":true}}'), status: 400, tag: 'BodyNotJson' },
  { name: 'a body that is a list', ...raw('[12]'), ...request(/^body: expected a JSON object, got \[12\]$/) },
  { name: 'a body that is a string', ...raw('"12"'), ...request(/^body: expected a JSON object, got "12"$/) },
  { name: 'no body', ...quantity(undefined), ...request(/^body: expected a JSON object with quantity, got nothing$/) },
  { name: 'a body that is not JSON by its type', ...raw('quantity=12', 'application/x-www-form-urlencoded'), status: 415, tag: 'UnsupportedMediaType' },
  { name: 'a body over 1 MiB', ...raw(JSON.stringify({ quantity: 12, padding: 'x'.repeat(1_100_000) })), status: 413, tag: 'BodyTooLarge' },
  // the query
  { name: 'a status nobody knows', ...list('status=Lost'), ...request(/^status: expected one of Not Applicable, Awaiting Provisioning, Provisioned, Failed Provisioning; got "Lost"$/) },
  { name: 'a limit of 0', ...list('limit=0'), ...request(/^limit: expected a whole number from 1 to 500, got "0"$/) },
  { name: 'a limit that is no number', ...list('limit=ten'), ...request(/^limit: expected a whole number/) },
  { name: 'a since that is no time', ...list('since=yesterday'), ...request(/^since: expected an ISO-8601 instant/) },
  { name: 'a cursor that is no id', ...list('after=page-2'), ...request(/^after: expected a uuid, got "page-2"$/) },
  { name: 'a parameter given twice', ...list('status=Provisioned&status=Failed%20Provisioning'), ...request(/^status: given more than once$/) },
  { name: 'a parameter nobody knows', ...list('colour=blue&limit=0'), ...request(/^colour: is not a parameter of this route \(it takes status, provider/) },
  { name: 'a parameter name with a bidi override', method: 'GET', path: () => `${v1}/subscriptions?%E2%80%AEx=1`, ...request(/^\\u202ex: is not a parameter of this route \(it takes none\)$/) },
  { name: 'a provider filter with a tab', ...list('provider=Contoso%09Ltd'), ...request(/^provider: must not contain control characters \(U\+0009 at 8\)$/) },
  { name: 'an audit at a position and a time', method: 'GET', path: () => `${v1}/audit/summary?position=3&asOf=2026-01-05`, ...request(/^position, asOf: give one of them, not both$/) },
  { name: 'reminders at no time', method: 'GET', path: () => `${v1}/reminders/due?at=soon`, ...request(/^at: expected an ISO-8601 instant/) },
  // refused by the domain
  { name: 'an unchanged quantity', ...quantity({ quantity: 10 }), status: 422, tag: 'QuantityUnchanged', says: /already has quantity 10; nothing was recorded/ },
  { name: 'marking a provisioned change again', method: 'POST', path: (w) => `${v1}/license-changes/${w.provisioned}/mark-provisioned`, ask: () => ({ body: { by: 'Dana' } }), status: 422, tag: 'NotAwaitingProvisioning' },
  { name: 're-queueing a change that has not failed', method: 'POST', path: (w) => `${v1}/license-changes/${w.awaiting.licenseChangeId}/requeue`, ask: () => ({ body: { by: 'Dana', reason: 'again' } }), status: 422, tag: 'NotFailedProvisioning' },
  { name: 'a provider registered twice', ...provider({ name: 'Again', kind: 'Do Nothing', providerId: defaultProviderIds.doNothing }), status: 409, tag: 'ProviderAlreadyRegistered' },
  { name: 'a provider changed to what it is', method: 'PATCH', path: (w) => `${v1}/providers/${w.provider}`, ask: () => ({ body: { name: 'Contoso Distribution' } }), status: 422, tag: 'ProviderUnchanged' },
]

/** Characters an answer must never carry raw: C0 (but none is in JSON text anyway), DEL, C1, line separators, bidi controls. */
// eslint-disable-next-line no-control-regex -- the point: find raw control characters
const rawControl = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

describe.each(['memory', 'sqlite'] as const)('bad input and refused commands, on %s: a problem, and nothing written', (store) => {
  let s: Service
  let w: World
  beforeAll(async () => {
    s = await startService({ store })
    const provisioned = await s.awaitingChange()
    await s.seatflow.markProvisioned({ licenseChangeId: provisioned.licenseChangeId, by: 'Dana' })
    w = { awaiting: await s.awaitingChange(), provisioned: provisioned.licenseChangeId, failed: (await s.failedChange()).licenseChangeId, virtual: await s.virtualSubscription(), provider: await s.provider('Contoso Distribution') }
  })
  afterAll(async () => { await s.close() })

  test.each(badRequests)('$name: $status $tag', async (bad) => {
    const before = await s.position()
    const asked = bad.ask?.(w) ?? {}
    const body = JSON.parse(JSON.stringify(asked.body ?? null).replace('"AWAITING"', JSON.stringify(w.awaiting.subscriptionId))) as unknown
    const reply = await s.ask(bad.method, bad.path(w), { token: s.tokens.admin, ...asked, ...(asked.body === undefined ? {} : { body }) })
    expect(reply.status).toBe(bad.status)
    expect(reply.headers.get('content-type')).toBe('application/problem+json; charset=utf-8')
    expect(reply.body).toMatchObject({ type: `https://seatflow.dev/problems/${bad.tag}`, title: expect.any(String), status: bad.status, detail: expect.any(String), tag: bad.tag })
    const problem = reply.body as { readonly detail: string; readonly problems?: ReadonlyArray<string> }
    if (bad.status === 400 && bad.tag !== 'BodyNotJson') expect(problem.problems).toContainEqual(expect.stringMatching(bad.says ?? /./))
    else if (bad.says !== undefined) expect(problem.detail).toMatch(bad.says)
    expect(reply.text).not.toMatch(rawControl)
    expect(nonConformities(reply)).toEqual([])
    expect(await s.position()).toBe(before)
  })
})
