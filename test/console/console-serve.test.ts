import * as fs from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSeatflow } from '../../src/app/seatflow'
import { defaultProviderIds } from '../../src/domain/ids'
import { tokenRegistry } from '../../src/server/tokens'
import { cli } from '../support/cli'
import { isAbsent } from '../support/files'
import { startSeatflow } from '../support/serveProcess'
import { client, confirmLinkOf, freePort } from './console-support'

const secret = 'a serve test secret of more than thirty-two characters'

describe('seatflow serve with the console and email links', () => {
  let folder: string
  let db: string
  beforeEach(() => {
    folder = fs.mkdtempSync(join(tmpdir(), 'seatflow-console-serve-'))
    db = join(folder, 'seatflow.db')
  })
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }))

  it('refuses link flags it cannot use, before any store is opened', async () => {
    const usage = async (...argv: string[]) => {
      const result = await cli('serve', '--db', db, ...argv)
      expect(isAbsent(db)).toBe(true)
      return result
    }
    const before = process.env.SEATFLOW_LINK_SECRET
    delete process.env.SEATFLOW_LINK_SECRET
    try {
      expect(await usage('--public-url', 'https://seatflow.example')).toEqual({ code: 2, out: '', err: 'seatflow: SEATFLOW_LINK_SECRET must be at least 32 characters' })
      expect(await usage('--link-days', '3')).toEqual({ code: 2, out: '', err: 'seatflow: --link-days needs --public-url (and SEATFLOW_LINK_SECRET)' })
      process.env.SEATFLOW_LINK_SECRET = secret
      expect(await usage('--public-url', 'javascript:alert(1)')).toEqual({ code: 2, out: '', err: 'seatflow: --public-url must be an http(s) URL without query or fragment, not "javascript:alert(1)"' })
      expect(await usage('--public-url', 'https://seatflow.example', '--link-days', '0')).toMatchObject({ code: 2, err: 'seatflow: --link-days must be a number above 0 and at most 365, got "0"' })
      expect(await usage('--session-minutes', 'x')).toMatchObject({ code: 2, err: 'seatflow: --session-minutes must be a number above 0 and at most 10080, got "x"' })
    } finally {
      if (before === undefined) delete process.env.SEATFLOW_LINK_SECRET
      else process.env.SEATFLOW_LINK_SECRET = before
    }
  })

  it('mails the link a recipient confirms with, and records the change provisioned by them', async () => {
    const made = await createSeatflow({ store: `sqlite:${db}`, autoProcess: false })
    const operator = tokenRegistry(made.records).create('Billing', 'operator').token
    await made.close()
    const port = await freePort()
    const mailDir = join(folder, 'mail')
    const serving = startSeatflow(['serve', '--db', db, '--port', String(port), '--public-url', `http://127.0.0.1:${port}/`, '--link-days', '2'],
      { SEATFLOW_LINK_SECRET: secret, SEATFLOW_MAIL_DIR: mailDir })
    try {
      const base = String((await serving.logged((line) => typeof line.address === 'string')).address)
      const created = await fetch(`${base}/api/v1/subscriptions`, {
        method: 'POST', headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' },
        body: JSON.stringify({ product: 'Visio Plan 2', providerId: defaultProviderIds.manual, quantity: 7, billingContractId: 'BC-5', contractOwnerEmail: 'owner@customer.example' }),
      })
      const { licenseChangeId } = await created.json() as { licenseChangeId: string }
      const mails = (): ReadonlyArray<string> => (fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml')).map((f) => fs.readFileSync(join(mailDir, f), 'utf8')) : [])
      for (let waited = 0; mails().length === 0 && waited < 10_000; waited += 100) await new Promise((done) => setTimeout(done, 100))
      const link = new URL(await confirmLinkOf(mails(), licenseChangeId))
      expect(Number(link.searchParams.get('until')) * 1000 - Date.now()).toBeGreaterThan(2 * 86_400_000 - 60_000)
      const browser = client(base)
      const shown = await browser.get(link.pathname + link.search)
      expect(shown.status).toBe(200)
      const confirmed = await browser.post(link.pathname, { _csrf: browser.csrfOf(shown.text), to: link.searchParams.get('to') ?? '', until: link.searchParams.get('until') ?? '', sig: link.searchParams.get('sig') ?? '' })
      expect(confirmed.text).toContain('Recorded: provisioned by <strong>provisioning@example.com</strong>')
      const row = await (await fetch(`${base}/api/v1/license-changes/${licenseChangeId}`, { headers: { authorization: `Bearer ${operator}` } })).json() as { licenseChange: unknown; trail: ReadonlyArray<{ type: string; actor: string }> }
      expect(row.licenseChange).toMatchObject({ status: 'Provisioned', provisionedBy: 'provisioning@example.com' })
      expect(row.trail.find((event) => event.type === 'LicenseChangeProvisioned')?.actor).toBe('email link: provisioning@example.com')
    } finally {
      serving.child.kill('SIGTERM')
      expect((await serving.exited).code).toBe(0)
    }
  }, 60_000)
})
