import { createHash } from 'node:crypto'
import pino from 'pino'
import { createSeatflow } from '../../src/app/seatflow'
import { Existing } from '../../src/domain/licenseChange'
import { Email } from '../../src/domain/values'
import { provisioningRequestMail, reminderMail } from '../../src/providers/manual'
import { reminderDigestMail } from '../../src/providers/reminderDigest'
import { html, markupOf } from '../../src/server/console/html'
import { createSeatflowServer, emailLinks } from '../../src/server'
import { sessionStore } from '../../src/server/console/session'
import { tokenRegistry } from '../../src/server/tokens'
import { createMemoryRecords, Records } from '../../src/store/records'
import { hostile } from './console-support'

const change = {
  licenseChangeId: '0b6d5f6e-9d7c-4c55-9a3f-53b1c6f1a001', status: 'Awaiting Provisioning', providerKind: 'Manual', requestedAt: null, recordedAt: '2026-01-05T09:00:00.000Z',
  lastNotifiedAt: null, remindersSent: 0,
  change: {
    kind: 'change', subscriptionId: '0b6d5f6e-9d7c-4c55-9a3f-53b1c6f1a002', product: hostile.script, billingContractId: 'BC-1', contractOwnerEmail: 'owner@customer.example',
    previousQuantity: 10, newQuantity: 12, provider: { providerId: 'p', name: hostile.img, kind: 'Manual', provisioningEmail: 'team@distributor.example', copiedEmails: ['cc@reseller.example'] },
  },
} as unknown as Existing

describe('the console\'s parts', () => {
  it('escapes every interpolated text and keeps only the markup templates made', () => {
    const made = html`<p title="${hostile.img}">${hostile.script}${html`<b>${'"&\''}</b>`}${[1, null, undefined, 'x']}</p>`
    expect(markupOf(made)).toBe('<p title="&lt;img src=x onerror=alert(1)&gt;">&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;<b>&quot;&amp;&#39;</b>1x</p>')
    expect(markupOf({ _tag: 'Html', markup: 5 } as unknown as string)).toBe('[object Object]')
  })

  it('puts the confirmation link in the request mail for its recipient, and the change\'s page in the reminder; none without links', () => {
    const asked: string[] = []
    const links = { confirm: (id: string, to: string) => { asked.push(`${id} ${to}`); return `https://s.example/confirm/${id}?a=1&b="2"` }, page: (id: string) => `https://s.example/changes/${id}` }
    const request = provisioningRequestMail(change, links)
    expect(asked).toEqual([`${change.licenseChangeId} team@distributor.example`])
    expect(request.text).toContain(`I have made this change:\n  https://s.example/confirm/${change.licenseChangeId}?a=1&b="2"`)
    expect(request.html).toContain(`<a href="https://s.example/confirm/${change.licenseChangeId}?a=1&amp;b=&quot;2&quot;">I have made this change</a>`)
    const reminder = reminderMail(change, 1, links)
    expect(reminder.text).toContain(`https://s.example/changes/${change.licenseChangeId}`)
    expect(reminder.text).not.toContain('/confirm/')
    const digest = reminderDigestMail('owner@customer.example' as Email, [{ change, sequence: 2 }, { change: { ...change, licenseChangeId: 'second' } as Existing, sequence: 1 }], links)
    expect(digest.text).toContain(`  https://s.example/changes/${change.licenseChangeId}\n`)
    expect(digest.html).toContain('<a href="https://s.example/changes/second">in the console</a>')
    expect(reminderDigestMail('owner@customer.example' as Email, [{ change, sequence: 2 }]).text).not.toContain('https://')
    expect(provisioningRequestMail(change)).toEqual({ ...request, text: request.text.split('\n\nI have made')[0], html: request.html?.split('\n<p><a href')[0] })
  })

  it('keeps sessions hashed in the records, touches last-seen at most once a minute, ends them idle or revoked, and sweeps ended ones', () => {
    let now = Date.parse('2026-01-05T09:00:00.000Z')
    const records = createMemoryRecords()
    const writes: string[] = []
    const counted: Records = { ...records, put: (table, key, value) => { writes.push(table); records.put(table, key, value) } }
    const tokens = tokenRegistry(records, () => new Date(now))
    const { token, record } = tokens.create('Vera', 'viewer')
    const sessions = sessionStore(counted, tokens, 10 * 60_000, () => now)
    expect(sessions.open(`${token}x`)).toBeNull()
    const id = sessions.open(token) ?? ''
    const stored = records.list('console-sessions')
    expect(stored.map(({ key }) => key)).toEqual([createHash('sha256').update(id).digest('hex')])
    expect(stored[0]?.value).toEqual({ tokenId: record.id, csrf: expect.any(String), lastSeen: '2026-01-05T09:00:00.000Z' })
    expect(JSON.stringify(stored)).not.toContain(id)
    expect(JSON.stringify(stored)).not.toContain(token.slice(-20))
    const opened = now
    for (const second of [10, 30, 59]) {
      now = opened + second * 1000
      expect(sessions.signed(id)?.token.name).toBe('Vera')
    }
    expect(writes).toEqual([])
    now += 2000
    expect(sessions.signed(id)?.csrf).toBe((stored[0]?.value as { csrf: string }).csrf)
    expect(writes).toEqual(['console-sessions-seen'])
    now += 10 * 60_000
    expect(sessions.signed(id)).not.toBeNull()
    now += 10 * 60_000 + 1
    expect(sessions.signed(id)).toBeNull()
    expect(records.list('console-sessions')).toEqual([])
    const revoked = sessions.open(token) ?? ''
    tokens.revoke(record.id)
    expect(sessions.signed(revoked)).toBeNull()
    expect(records.list('console-sessions')).toEqual([])
    const fresh = tokens.create('Ada', 'admin').token
    sessions.open(fresh)
    now += 11 * 60_000
    expect(sessions.open(fresh)).not.toBeNull()
    expect(records.list('console-sessions')).toHaveLength(1)
    expect(records.list('console-sessions-seen')).toEqual([])
  })

  it('marks the console\'s cookies Secure over TLS, or always when the public URL is https', async () => {
    const seatflow = await createSeatflow({ store: 'memory:' })
    const cookieOf = async (options: Parameters<typeof createSeatflowServer>[1], headers: Readonly<Record<string, string>> = {}) => {
      const server = createSeatflowServer(seatflow, { worker: false, logger: pino({ level: 'silent' }), ...options })
      const answer = await server.app.inject({ method: 'GET', url: '/signin', headers })
      await server.app.close()
      return String(answer.headers['set-cookie'])
    }
    const links = (publicUrl: string) => emailLinks({ publicUrl, linkSecret: 's'.repeat(32) })
    expect(await cookieOf({})).toMatch(/^seatflow_signin=[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=600$/)
    expect(await cookieOf({ console: { links: links('https://seatflow.example') } })).toMatch(/; HttpOnly; SameSite=Strict; Secure; Max-Age=600$/)
    expect(await cookieOf({ console: { links: links('http://127.0.0.1:8080') } })).not.toMatch(/Secure/)
    expect(await cookieOf({ console: { secureCookies: true } })).toMatch(/; Secure;/)
    // The console parses forms in its own scope: the API still takes JSON alone.
    const server = createSeatflowServer(seatflow, { worker: false, logger: pino({ level: 'silent' }) })
    const token = server.context.tokens.create('Ada', 'admin').token
    const form = await server.app.inject({ method: 'POST', url: '/api/v1/providers', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'name=x&kind=Manual' })
    expect(form.statusCode).toBe(415)
    await server.app.close()
    await seatflow.close()
  })
})
