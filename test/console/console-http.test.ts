import { parse } from 'node:querystring'
import { emailLinks } from '../../src/server'
import { consoleCsp } from '../../src/server/console'
import { client, confirmLinkOf, ConsoleService, hostile, startConsole, testLinkSecret } from './console-support'

let service: ConsoleService

beforeAll(async () => { service = await startConsole() }, 30_000)
afterAll(async () => { await service.close() })

const pages = () => ['/', '/changes', `/changes/${service.manual.licenseChangeId ?? ''}`, `/subscriptions/${service.manual.subscriptionId}`, '/subscriptions', '/providers', '/settings', '/audit']

describe('the console over HTTP', () => {
  it('sends a browser without a session to sign in, and signs in only with a live token', async () => {
    const browser = client(service.base)
    expect((await browser.get('/changes')).headers.get('location')).toBe('/signin?next=%2Fchanges')
    const form = await browser.get('/signin')
    const refused = await browser.post('/signin', { _csrf: browser.csrfOf(form.text), token: `${service.tokens.viewer}x` })
    expect(refused.status).toBe(401)
    const signed = await browser.post('/signin', { _csrf: browser.csrfOf(refused.text), token: service.tokens.viewer, next: '//evil.example/' })
    expect(signed.status).toBe(303)
    expect(signed.headers.get('location')).toBe('/')
    expect(signed.headers.getSetCookie().join('\n')).toMatch(/seatflow_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict/)
    expect((await browser.get('/')).status).toBe(200)
    const change = await browser.get(`/changes/${service.manual.licenseChangeId ?? ''}`)
    expect(change.text).toContain('Awaiting Provisioning')
    expect(change.text).not.toContain('Mark provisioned')
    expect(change.text).not.toContain('<form class="panel"')
    expect((await client(service.base).get('/console/events')).status).toBe(303)
  })

  it('serves every page with a CSP without unsafe-inline, and shows hostile names as text', async () => {
    const browser = client(service.base)
    await browser.signIn(service.tokens.operator)
    for (const where of pages()) {
      const page = await browser.get(where)
      expect([where, page.status]).toEqual([where, 200])
      expect(page.headers.get('content-security-policy')).toBe(consoleCsp)
      expect(page.text).not.toContain('unsafe-inline')
      expect(page.text).not.toContain('<img src=x')
      expect(page.text).not.toContain('<script>alert')
      expect(page.text.match(/<script/g)?.length).toBe(1)
    }
    const dashboard = await browser.get('/')
    expect(dashboard.text).toContain('&lt;img src=x onerror=alert(1)&gt;')
    const chart = await browser.get(`/subscriptions/${service.manual.subscriptionId}`)
    expect(chart.text).toContain('<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;: 0 → 10')
  })

  it('downloads the log as the CLI\'s CSV, hostile names as text cells', async () => {
    const browser = client(service.base)
    await browser.signIn(service.tokens.viewer)
    const csv = await browser.get(`/changes.csv?provider=${encodeURIComponent(hostile.img)}`)
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    const lines = csv.text.trimEnd().split('\r\n')
    expect(lines[0]).toMatch(/^licenseChangeId,subscriptionId,product,/)
    expect(lines).toHaveLength(5)
    expect(csv.text).toContain(`${hostile.script},BC-1`)
  })

  it('sorts the log by a column header, ties by id, and pages the sorted log with the filters kept, none skipped or repeated', async () => {
    const browser = client(service.base)
    await browser.signIn(service.tokens.viewer)
    const log = await service.seatflow.licenseChangeLog()
    const byQuantity = [...log].sort((a, b) => a.newQuantity - b.newQuantity || (a.licenseChangeId < b.licenseChangeId ? -1 : 1)).map((row) => row.licenseChangeId)
    const first = await browser.get('/changes?provider=Do%20Nothing')
    expect(first.text).toContain('href="/changes?provider=Do+Nothing&amp;sort=quantity"')
    const seen: string[] = []
    let where: string | undefined = '/changes?sort=quantity&limit=7'
    while (where !== undefined) {
      const page = await browser.get(where)
      expect(page.text).toMatch(/<th scope="col" class="num" aria-sort="ascending"><a href="\/changes\?limit=7&amp;sort=-quantity"/)
      seen.push(...[...page.text.matchAll(/<tr data-change="([^"]+)"/g)].map((match) => match[1] ?? ''))
      where = /rel="next" href="([^"]+)"/.exec(page.text)?.[1]?.replaceAll('&amp;', '&')
    }
    expect(seen).toEqual(byQuantity)
    const doNothing = log.filter((row) => row.providerKind === 'Do Nothing').sort((a, b) => (a.product.toLowerCase() < b.product.toLowerCase() ? 1 : -1))
    const sorted = await browser.get('/changes?provider=Do+Nothing&sort=-product&limit=4')
    expect([...sorted.text.matchAll(/<tr data-change="([^"]+)"/g)].map((match) => match[1])).toEqual(doNothing.slice(0, 4).map((row) => row.licenseChangeId))
    expect(sorted.text).toContain('aria-sort="descending"')
    expect(/rel="next" href="([^"]+)"/.exec(sorted.text)?.[1]).toMatch(/^\/changes\?provider=Do\+Nothing&amp;limit=4&amp;sort=-product&amp;after=[\w-]+$/)
    expect(sorted.text).toContain('<input type="hidden" name="sort" value="-product">')
    const bad = await browser.get(`/changes?sort=${encodeURIComponent(hostile.script)}`)
    expect([bad.status, bad.text.includes('sort: choose one of recorded, -recorded, product'), bad.text.includes('alert(1)')]).toEqual([400, true, false])
    expect((await browser.get('/changes.csv?sort=sideways')).status).toBe(400)
    expect((await browser.get(`/changes?sort=quantity&after=${byQuantity[3] ?? ''}`)).text).toContain('after: not a page of this order; the first page is shown')
    const csv = (await browser.get('/changes.csv?sort=-quantity')).text.trimEnd().split('\r\n')
    expect(csv[0]).toMatch(/^licenseChangeId,/)
    expect(csv.slice(1).map((line) => line.split(',')[0])).toEqual([...byQuantity].reverse())
  })

  it('refuses a form without its CSRF token, or a write the role may not make, and writes nothing', async () => {
    const browser = client(service.base)
    await browser.signIn(service.tokens.operator)
    const before = await service.seatflow.positions()
    const forged = await browser.post(`/changes/${service.manual.licenseChangeId ?? ''}/mark-provisioned`, { note: 'forged' })
    expect(forged.status).toBe(403)
    const provider = await browser.post('/providers', { _csrf: browser.csrfOf((await browser.get('/')).text), name: 'Sneaky', kind: 'Do Nothing' })
    expect(provider.status).toBe(403)
    expect(provider.text).toContain('this needs the admin role')
    expect(await service.seatflow.positions()).toEqual(before)
    expect((await browser.get('/providers')).text).not.toContain('Register a provider')
  })

  it('lets an admin change and deactivate a provider through the API\'s own commands; a bad field writes nothing', async () => {
    const browser = client(service.base)
    await browser.signIn(service.tokens.admin)
    const csrf = browser.csrfOf((await browser.get('/providers')).text)
    const registered = await browser.post('/providers', { _csrf: csrf, name: 'Short-lived distributor', kind: 'Manual', provisioningEmail: 'short@lived.example' })
    expect([registered.status, registered.headers.get('location')]).toEqual([303, '/providers?done=registered'])
    const provider = (await service.seatflow.providers()).find((row) => row.name === 'Short-lived distributor')
    const id = provider?.providerId ?? ''
    const bad = await browser.post(`/providers/${id}`, { _csrf: csrf, name: 'Renamed', provisioningEmail: 'not an address' })
    expect(bad.status).toBe(400)
    expect(bad.text).toContain('Nothing was written')
    expect((await browser.post(`/providers/${id}`, { _csrf: csrf, name: `${hostile.img} renamed`, provisioningEmail: 'short@lived.example' })).status).toBe(303)
    expect((await browser.post(`/providers/${id}/deactivate`, { _csrf: csrf })).status).toBe(303)
    expect(await service.seatflow.provider(id)).toMatchObject({ name: `${hostile.img} renamed`, active: false })
    const page = await browser.get('/providers?done=deactivated')
    expect(page.text).toContain('Provider deactivated.')
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt; renamed')
  })

  it('makes links that hold for their change and recipient only, until they expire', () => {
    let now = new Date('2026-01-01T00:00:00Z')
    const links = emailLinks({ publicUrl: 'https://seatflow.example/', linkSecret: 's'.repeat(40), linkExpiryDays: 2, now: () => now })
    const other = emailLinks({ publicUrl: 'https://seatflow.example', linkSecret: 't'.repeat(40), now: () => now })
    const id = '0b6d5f6e-9d7c-4c55-9a3f-53b1c6f1a001'
    const url = new URL(links.mail.confirm?.(id, 'team@distributor.example') ?? '')
    expect(url.origin + url.pathname).toBe(`https://seatflow.example/confirm/${id}`)
    const parts = { licenseChangeId: id, ...(parse(url.search.slice(1)) as { to: string; until: string; sig: string }) }
    expect(links.check(parts)).toMatchObject({ _tag: 'Valid', recipient: 'team@distributor.example' })
    expect(links.check({ ...parts, to: 'someone@else.example' })).toEqual({ _tag: 'Invalid', reason: 'tampered' })
    expect(links.check({ ...parts, licenseChangeId: id.replace('a001', 'a002') })).toEqual({ _tag: 'Invalid', reason: 'tampered' })
    expect(links.check({ ...parts, until: String(Number(parts.until) + 86_400) })).toEqual({ _tag: 'Invalid', reason: 'tampered' })
    expect(other.check(parts)).toEqual({ _tag: 'Invalid', reason: 'tampered' })
    now = new Date('2026-01-03T00:00:01Z')
    expect(links.check(parts)).toEqual({ _tag: 'Invalid', reason: 'expired' })
    expect(() => emailLinks({ publicUrl: 'ftp://x', linkSecret: 'short' })).toThrow(/publicUrl.*linkSecret/)
  })

  it('confirms from the email link once, by its recipient; a GET writes nothing; a tampered, expired or foreign link writes nothing', async () => {
    const id = service.second.licenseChangeId ?? ''
    const link = await confirmLinkOf(service.mails(), id)
    const browser = client(service.base)
    const before = await service.seatflow.positions()
    const local = (href: string): string => { const url = new URL(href); return url.pathname + url.search }
    const tampered = await browser.get(local(link.replace('to=provisioning', 'to=attacker')))
    expect(tampered.status).toBe(400)
    const shown = await browser.get(local(link))
    expect(shown.status).toBe(200)
    expect(shown.text).toContain('I have made this change')
    expect(await service.seatflow.positions()).toEqual(before)
    const url = new URL(link)
    const form = { _csrf: browser.csrfOf(shown.text), to: url.searchParams.get('to') ?? '', until: url.searchParams.get('until') ?? '', sig: url.searchParams.get('sig') ?? '' }
    const confirmed = await browser.post(url.pathname, form)
    expect(confirmed.text).toContain('Recorded: provisioned by <strong>provisioning@distributor.example</strong>')
    expect(await service.seatflow.licenseChange(id)).toMatchObject({ status: 'Provisioned', provisionedBy: 'provisioning@distributor.example' })
    const again = await browser.post(url.pathname, form)
    expect(again.text).toContain('already confirmed: provisioned by <strong>provisioning@distributor.example</strong>')
    const awaiting = service.manual.licenseChangeId ?? ''
    const made = (days: number, secret = testLinkSecret, to = 'provisioning@distributor.example') =>
      local(emailLinks({ publicUrl: service.base, linkSecret: secret, now: () => new Date(Date.now() - days * 86_400_000) }).mail.confirm?.(awaiting, to) ?? '')
    const atRest = await service.seatflow.positions()
    expect((await browser.get(made(15))).text).toContain('This link has expired')
    expect((await browser.get(made(0, 'another seatflow\'s secret, long enough to be used'))).text).toContain('not one this seatflow made')
    expect((await browser.get(made(0, testLinkSecret, 'someone@else.example'))).text).toContain('made for a different recipient')
    expect((await browser.post(new URL(`${service.base}${made(15)}`).pathname, { ...form, _csrf: browser.csrfOf(shown.text) })).status).toBe(400)
    expect(await service.seatflow.positions()).toEqual(atRest)
    expect(await service.seatflow.licenseChange(awaiting)).toMatchObject({ status: 'Awaiting Provisioning' })
  })
})
