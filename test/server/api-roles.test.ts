import { defaultProviderIds } from '../../src/domain/ids'
import { Role } from '../../src/server/tokens'
import { apiRouteList } from '../../src/server/routes/api'
import { nonConformities, theDocument } from './api-document'
import { Service, startService, TokenName } from './api-support'

/** A route of the matrix: the least role that may call it, its answer when it may, and the request it makes (after making what it needs). */
interface RouteCase {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH'
  readonly route: string
  readonly role: Role | null
  readonly success: number
  readonly request: (s: Service, cell: string) => Promise<{ readonly path: string; readonly body?: unknown }>
}

const v1 = '/api/v1'
const at = (path: string) => async () => ({ path: `${v1}${path}` })

const routeCases: ReadonlyArray<RouteCase> = [
  { method: 'GET', route: '/openapi.json', role: null, success: 200, request: at('/openapi.json') },
  { method: 'GET', route: '/license-changes', role: 'viewer', success: 200, request: at('/license-changes?status=Awaiting%20Provisioning&provider=manual&since=2026-01-01&limit=5') },
  { method: 'GET', route: '/license-changes/{licenseChangeId}', role: 'viewer', success: 200, request: async (s) => ({ path: `${v1}/license-changes/${(await s.awaitingChange()).licenseChangeId}` }) },
  { method: 'POST', route: '/license-changes/{licenseChangeId}/mark-provisioned', role: 'operator', success: 200, request: async (s) => ({ path: `${v1}/license-changes/${(await s.awaitingChange()).licenseChangeId}/mark-provisioned`, body: { by: 'Dana', note: 'done in the portal' } }) },
  { method: 'POST', route: '/license-changes/{licenseChangeId}/requeue', role: 'operator', success: 200, request: async (s) => ({ path: `${v1}/license-changes/${(await s.failedChange()).licenseChangeId}/requeue`, body: { by: 'Dana', reason: 'the offer is back' } }) },
  { method: 'GET', route: '/subscriptions', role: 'viewer', success: 200, request: at('/subscriptions') },
  { method: 'GET', route: '/subscriptions/drift', role: 'viewer', success: 200, request: at('/subscriptions/drift') },
  { method: 'GET', route: '/subscriptions/{subscriptionId}', role: 'viewer', success: 200, request: async (s) => ({ path: `${v1}/subscriptions/${(await s.awaitingChange()).subscriptionId}` }) },
  { method: 'GET', route: '/subscriptions/{subscriptionId}/trail', role: 'viewer', success: 200, request: async (s) => ({ path: `${v1}/subscriptions/${(await s.awaitingChange()).subscriptionId}/trail` }) },
  { method: 'POST', route: '/subscriptions', role: 'operator', success: 201, request: async (_s, cell) => ({ path: `${v1}/subscriptions`, body: { product: `Visio ${cell}`, providerId: defaultProviderIds.manual, quantity: 3, billingContractId: 'BC-3003', contractOwnerEmail: 'owner@customer.example' } }) },
  { method: 'POST', route: '/subscriptions/{subscriptionId}/change-quantity', role: 'operator', success: 201, request: async (s) => ({ path: `${v1}/subscriptions/${(await s.awaitingChange()).subscriptionId}/change-quantity`, body: { quantity: 12 } }) },
  { method: 'POST', route: '/subscriptions/{subscriptionId}/provider-sync', role: 'operator', success: 200, request: async (s) => ({ path: `${v1}/subscriptions/${await s.virtualSubscription()}/provider-sync`, body: { quantity: 7, changedBy: 'admin@customer.example', changedAt: '2026-01-05T08:00:00.000Z' } }) },
  { method: 'POST', route: '/subscriptions/{subscriptionId}/move', role: 'operator', success: 200, request: async (s) => ({ path: `${v1}/subscriptions/${await s.virtualSubscription()}/move`, body: { providerId: defaultProviderIds.manual } }) },
  { method: 'POST', route: '/subscriptions/{subscriptionId}/suspend', role: 'operator', success: 200, request: async (s) => ({ path: `${v1}/subscriptions/${await s.virtualSubscription()}/suspend`, body: { reason: 'invoice 2026-01 unpaid' } }) },
  { method: 'POST', route: '/subscriptions/{subscriptionId}/reactivate', role: 'operator', success: 200, request: async (s) => ({ path: `${v1}/subscriptions/${await s.suspendedSubscription()}/reactivate` }) },
  { method: 'POST', route: '/subscriptions/{subscriptionId}/cancel', role: 'operator', success: 200, request: async (s) => ({ path: `${v1}/subscriptions/${await s.virtualSubscription()}/cancel` }) },
  { method: 'GET', route: '/invoicing/active', role: 'viewer', success: 200, request: at('/invoicing/active?from=2026-01-01&to=2026-02-01T00:00:00Z') },
  { method: 'POST', route: '/invoicing/runs/{billingRunId}', role: 'operator', success: 200, request: async (s, cell) => ({ path: `${v1}/invoicing/runs/${encodeURIComponent(`BR 2026-01 ${cell}`)}`, body: { licenseChangeIds: [(await s.awaitingChange()).licenseChangeId] } }) },
  { method: 'GET', route: '/providers', role: 'viewer', success: 200, request: at('/providers') },
  { method: 'GET', route: '/providers/{providerId}', role: 'viewer', success: 200, request: at(`/providers/${defaultProviderIds.manual}`) },
  { method: 'POST', route: '/providers', role: 'admin', success: 201, request: async (_s, cell) => ({ path: `${v1}/providers`, body: { name: `Contoso ${cell}`, kind: 'Manual', provisioningEmail: 'provisioning@contoso.example' } }) },
  { method: 'PATCH', route: '/providers/{providerId}', role: 'admin', success: 200, request: async (s, cell) => ({ path: `${v1}/providers/${await s.provider(`Fabrikam ${cell}`)}`, body: { name: `Fabrikam ${cell} (renamed)` } }) },
  { method: 'POST', route: '/providers/{providerId}/deactivate', role: 'admin', success: 200, request: async (s, cell) => ({ path: `${v1}/providers/${await s.provider(`Northwind ${cell}`)}/deactivate` }) },
  { method: 'GET', route: '/settings/copied-email-addresses', role: 'viewer', success: 200, request: at('/settings/copied-email-addresses') },
  { method: 'PUT', route: '/settings/copied-email-addresses', role: 'admin', success: 200, request: async (_s, cell) => ({ path: `${v1}/settings/copied-email-addresses`, body: { addresses: [`licensing-${cell}@reseller.example`] } }) },
  { method: 'GET', route: '/reminders/due', role: 'viewer', success: 200, request: at('/reminders/due?at=2026-01-07T09:00:00Z') },
  { method: 'GET', route: '/audit/summary', role: 'viewer', success: 200, request: at('/audit/summary') },
  { method: 'GET', route: '/audit/digest', role: 'viewer', success: 200, request: at('/audit/digest?position=5') },
  { method: 'GET', route: '/audit/mismatches', role: 'viewer', success: 200, request: at('/audit/mismatches?asOf=2026-01-05T09:00:00Z') },
  { method: 'GET', route: '/audit/violations', role: 'viewer', success: 200, request: at('/audit/violations') },
]

const tokenNames: ReadonlyArray<TokenName> = ['none', 'wrong', 'revoked', 'viewer', 'operator', 'admin']
const ranks: Readonly<Record<TokenName, number>> = { none: -1, wrong: -1, revoked: -1, viewer: 0, operator: 1, admin: 2 }
const expected = (c: RouteCase, token: TokenName): number => {
  if (c.role === null) return c.success
  if (ranks[token] < 0) return 401
  return ranks[token] >= ranks[c.role] ? c.success : 403
}
const cells = routeCases.flatMap((c, i) => tokenNames.map((token) => ({ ...c, token, status: expected(c, token), operationId: i })))
const effects: ReadonlyArray<string> = ['ProvisioningRequested', 'LicenseChangeProvisioned', 'ProvisioningAttemptFailed', 'ProvisioningFailed', 'ProvisioningAccepted']
const names: Readonly<Record<string, string>> = { viewer: 'Vera Viewer', operator: 'Otto Operator', admin: 'Ada Admin' }

test('the matrix has every route of the service and the document', () => {
  expect(routeCases.map((c) => `${c.method} ${c.route}`).sort())
    .toEqual([...apiRouteList.map((r) => `${r.method} ${r.path}`), 'GET /openapi.json'].sort())
  expect(Object.entries(theDocument.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort())
    .toEqual(routeCases.map((c) => `${c.method} ${c.route}`).sort())
  expect(cells).toHaveLength(180)
})

describe.each(['memory', 'sqlite'] as const)('who may do what, on %s: every route for every token', (store) => {
  let s: Service
  beforeAll(async () => { s = await startService({ store }) })
  afterAll(async () => { await s.close() })

  test.each(cells)('$method $route with $token: $status', async (cell) => {
    const request = await cell.request(s, `${cell.token}-${store}`)
    const before = await s.position()
    const correlationId = `matrix-${cell.token}-${cell.operationId}`
    const reply = await s.ask(cell.method, request.path, { token: s.tokens[cell.token], body: request.body, headers: { 'x-correlation-id': correlationId } })
    expect({ status: reply.status, body: reply.body }).toMatchObject({ status: cell.status })
    expect(nonConformities(reply)).toEqual([])
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff')
    const written = await s.eventsAfter(before)
    if (cell.status >= 400) {
      expect(reply.body).toMatchObject({ status: cell.status, tag: cell.status === 401 ? 'Unauthenticated' : 'Forbidden' })
      expect(written).toEqual([])
    } else if (cell.method !== 'GET') {
      expect(written.length).toBeGreaterThan(0)
      // The command's events and the reactions they cause carry the request's correlation id, by the token's name (reactions: by seatflow);
      // what processing then records of its effects (a mail sent, a gateway's answer) is in the effect's own correlation.
      const [command, ...after] = written
      expect(command?.metadata).toMatchObject({ actor: names[cell.token], correlationId })
      expect(after.filter((e) => e.metadata.correlationId !== correlationId).map((e) => e.type).filter((type) => !effects.includes(type))).toEqual([])
      expect(after.filter((e) => e.metadata.correlationId === correlationId).every((e) => [names[cell.token], 'seatflow'].includes(e.metadata.actor))).toBe(true)
    } else {
      expect(written).toEqual([])
    }
  })
})
