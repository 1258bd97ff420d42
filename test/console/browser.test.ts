/// <reference lib="dom" />
import * as E from 'fp-ts/Either'
import { Browser, BrowserContext, Page } from 'playwright-core'
import { axeProblems, browserSuite, chromiumPath, launch, screenshot, signIn, watchedPage, WatchedPage } from './browser-support'
import { confirmLinkOf, ConsoleService, hostile, rowsWanted, startConsole } from './console-support'

const mode = browserSuite()
if (mode === 'skip') console.log(`browser suite skipped: no Chromium at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH); in CI (env CI set) this fails instead`)
const suite = mode === 'skip' ? describe.skip : describe

let service: ConsoleService
let browser: Browser
const watched: WatchedPage[] = []

const open = async (context: BrowserContext): Promise<Page> => {
  const one = await watchedPage(context)
  watched.push(one)
  return one.page
}

const signedContexts = new Map<string, BrowserContext>()

/** A page signed in with a token: the first signs in through the form, later ones share its context (and session). */
const signedPage = async (token: string): Promise<Page> => {
  const known = signedContexts.get(token)
  if (known !== undefined) {
    const page = await open(known)
    await page.goto(`${service.base}/`)
    return page
  }
  const context = await browser.newContext()
  signedContexts.set(token, context)
  const page = await open(context)
  await signIn(page, service.base, token)
  return page
}

/**
 * Follow a link by clicking it, and wait until the page is the link's target (waiting for "a
 * navigation" instead races with the click: Playwright calls that wait inherently racy).
 */
const follow = async (page: Page, selector: string): Promise<void> => {
  const href = await page.getAttribute(selector, 'href')
  if (href === null) throw new Error(`${selector} has no href`)
  await page.click(selector)
  await page.waitForURL((url) => `${url.pathname}${url.search}` === href)
}

suite('the console in Chromium', () => {
  // A browser shares the machine with the rest of `npm test`: each step is given a minute.
  jest.setTimeout(60_000)
  if (mode === 'fail') it('has Chromium', () => { throw new Error(`CI is set but there is no Chromium at ${chromiumPath}: .ci/run installs it (apt-get install -y chromium)`) })
  if (mode === 'fail') return

  beforeAll(async () => {
    service = await startConsole()
    browser = await launch()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await service?.close()
  })
  afterEach(() => {
    // No script of a hostile name ever ran (an alert would be a dialog), and the CSP blocked nothing of the console's own.
    expect(watched.flatMap((one) => one.dialogs)).toEqual([])
    expect(watched.flatMap((one) => one.violations)).toEqual([])
  })

  it('signs in with a token and out again', async () => {
    const page = await open(await browser.newContext())
    await page.goto(`${service.base}/changes`)
    expect(new URL(page.url()).pathname).toBe('/signin')
    await page.fill('#token', 'sft_000000000000_wrongwrongwrongwrongwrongwrongwr')
    await page.click('button[type=submit]')
    await page.waitForSelector('text=That is not a live API token')
    await page.fill('#token', service.tokens.viewer)
    await page.click('button[type=submit]')
    await page.waitForSelector('h1:text("License Change Log")')
    await page.click('text=Sign out')
    await page.waitForSelector('h1:text("Signed out")')
    await page.goto(`${service.base}/`)
    expect(new URL(page.url()).pathname).toBe('/signin')
  })

  it('filters the log and pages through it', async () => {
    const page = await signedPage(service.tokens.viewer)
    await page.goto(`${service.base}/changes`)
    await page.selectOption('#status', 'Not Applicable')
    await page.fill('#limit', '10')
    await page.click('form.filters button[type=submit]')
    await page.waitForURL(/status=Not\+Applicable/)
    const seen = new Set<string>()
    for (let pageNumber = 0; ; pageNumber += 1) {
      const rows = await page.$$eval('tr[data-change]', (trs) => trs.map((tr) => [tr.getAttribute('data-change') ?? '', tr.querySelector('.status')?.textContent ?? '']))
      rows.forEach(([id, status]) => { expect(status).toBe('Not Applicable'); seen.add(id ?? '') })
      if (await page.$('a[rel=next]') === null) break
      await follow(page, 'a[rel=next]')
    }
    expect(seen.size).toBe(rowsWanted)
    // Sorted by a header link (no script needed), twice for descending; the next page continues the order, the filter kept.
    const quantities = () => page.$$eval('tr[data-change] td.num', (tds) => tds.map((td) => Number(td.textContent?.split('→')[1])))
    await follow(page, 'th a[data-sort="quantity"]')
    await follow(page, 'th a[data-sort="-quantity"]')
    expect(await page.getAttribute('th[aria-sort]', 'aria-sort')).toBe('descending')
    const top = await quantities()
    expect(top).toEqual(Array.from({ length: 10 }, (_, n) => rowsWanted - n))
    await follow(page, 'a[rel=next]')
    expect(new URL(page.url()).searchParams.get('status')).toBe('Not Applicable')
    expect(await quantities()).toEqual(top.map((quantity) => quantity - 10).filter((quantity) => quantity > 0))
  })

  it('marks a change provisioned and a second page sees the dashboard count change live', async () => {
    const watcher = await signedPage(service.tokens.viewer)
    await watcher.waitForSelector('body[data-live-connected]')
    const count = () => watcher.textContent('[data-count="Provisioned"]')
    const before = Number(await count())
    const page = await signedPage(service.tokens.operator)
    await page.goto(`${service.base}/changes/${service.manual.licenseChangeId ?? ''}`)
    await page.fill('#note', `set at ${hostile.img}`)
    await page.click('text=Mark provisioned')
    await page.waitForSelector('text=Marked provisioned.')
    await watcher.waitForFunction((expected) => document.querySelector('[data-count="Provisioned"]')?.textContent === String(expected), before + 1)
    await watcher.waitForFunction((id) => document.querySelector(`#awaiting a[href="/changes/${id}"]`) === null, service.manual.licenseChangeId ?? '')
    expect(await watcher.textContent('#by-provider')).toContain(hostile.img)
    expect(await page.textContent('dl.facts')).toContain(hostile.img)
  })

  it('adds a hostile change to an open log page live, as text', async () => {
    const page = await signedPage(service.tokens.viewer)
    await page.goto(`${service.base}/changes?provider=${service.providerId}&limit=100`)
    await page.waitForSelector('body[data-live-connected]')
    const rows = await page.$$('tr[data-change]')
    const made = await service.seatflow.createSubscription({ product: `${hostile.img} live`, providerId: service.providerId, quantity: 2, billingContractId: 'BC-8', contractOwnerEmail: 'owner@customer.example' })
    expect(E.isRight(made)).toBe(true)
    await page.waitForFunction((count) => document.querySelectorAll('tr[data-change]').length === count, rows.length + 1)
    expect(await page.textContent('#log-rows')).toContain(`${hostile.img} live`)
    expect(await page.$('#log-rows img')).toBeNull()
  })

  it('marks a change provisioned with the keyboard alone', async () => {
    const page = await signedPage(service.tokens.operator)
    await page.goto(`${service.base}/changes/${service.second.licenseChangeId ?? ''}`)
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the content')
    await page.keyboard.press('Enter')
    for (let presses = 0; presses < 40 && await page.evaluate(() => document.activeElement?.id) !== 'note'; presses += 1) await page.keyboard.press('Tab')
    await page.keyboard.type('done in the portal')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Mark provisioned')
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')])
    await page.waitForSelector('text=Marked provisioned.')
    expect(await service.seatflow.licenseChange(service.second.licenseChangeId ?? '')).toMatchObject({ status: 'Provisioned' })
  })

  it('re-queues a failed change, and refuses a POST without the CSRF token', async () => {
    const page = await signedPage(service.tokens.operator)
    await page.goto(`${service.base}/changes/${service.failed.licenseChangeId ?? ''}`)
    await page.fill('#reason', 'the offer is back')
    await page.click('button:text("Re-queue")')
    await page.waitForSelector('text=Re-queued: it awaits provisioning again.')
    expect(await page.textContent('ol.timeline')).toContain('ProvisioningRequeued')
    const before = await service.seatflow.positions()
    const status = await page.evaluate(async (where) => (await fetch(where, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'reason=forged' })).status,
      `/changes/${service.failed.licenseChangeId ?? ''}/requeue`)
    expect(status).toBe(403)
    expect((await service.seatflow.positions()).log).toBe(before.log)
  })

  it('shows provider editing to an admin only; settings are checked as typed and again by the server', async () => {
    const operator = await signedPage(service.tokens.operator)
    await operator.goto(`${service.base}/providers`)
    expect(await operator.$('text=Register a provider')).toBeNull()
    expect(await operator.$('form[action^="/providers"]')).toBeNull()
    const admin = await signedPage(service.tokens.admin)
    await admin.goto(`${service.base}/providers`)
    await admin.fill('#new-name', `${hostile.script} distribution`)
    await admin.fill('#new-email', 'team@hostile.example')
    await admin.click('button:text("Register")')
    await admin.waitForSelector('text=Provider registered.')
    expect(await admin.textContent('table')).toContain(`${hostile.script} distribution`)
    await admin.goto(`${service.base}/settings`)
    await admin.fill('#addresses', 'billing@reseller.example\nnot-an-address')
    await admin.waitForSelector('#addresses-check:text("Not an email address: not-an-address")')
    await admin.click('button:text("Save")')
    await admin.waitForSelector('h1:text("Not done")')
    expect(await admin.textContent('main')).toContain('Nothing was written')
    await admin.goto(`${service.base}/settings`)
    await admin.fill('#addresses', `billing@reseller.example`)
    await admin.click('button:text("Save")')
    await admin.waitForSelector('text=Settings saved.')
    expect(await admin.textContent('main ul')).toContain('billing@reseller.example')
  })

  it('confirms a change from the email link, once; a tampered link writes nothing', async () => {
    const made = await service.seatflow.createSubscription({ product: 'Teams Rooms', providerId: service.providerId, quantity: 3, billingContractId: 'BC-7', contractOwnerEmail: 'owner@customer.example' })
    const licenseChangeId = E.isRight(made) ? made.right.licenseChangeId ?? '' : ''
    await service.seatflow.process()
    const link = await confirmLinkOf(service.mails(), licenseChangeId)
    const page = await open(await browser.newContext())
    await page.goto(link)
    await screenshot(page, 'confirm')
    expect(await axeProblems(page)).toEqual([])
    await page.click('button:text("I have made this change")')
    await page.waitForSelector('text=Recorded: provisioned by provisioning@distributor.example')
    const operator = await signedPage(service.tokens.operator)
    await operator.goto(`${service.base}/changes/${licenseChangeId}`)
    expect(await operator.textContent('dl.facts')).toContain('by provisioning@distributor.example')
    expect(await operator.textContent('ol.timeline')).toContain('email link: provisioning@distributor.example')
    await page.goto(link)
    await page.waitForSelector('text=This change was already confirmed: provisioned by provisioning@distributor.example')
    const before = await service.seatflow.positions()
    // Tampered: the signature's first character changed (to A, or to B when it was an A).
    await page.goto(link.replace(/sig=(.)/, (_, first: string) => `sig=${first === 'A' ? 'B' : 'A'}`))
    await page.waitForSelector('text=This link is not one this seatflow made')
    expect(await page.$('button:text("I have made this change")')).toBeNull()
    expect(await service.seatflow.positions()).toEqual(before)
  })

  it('passes axe on every page, shows hostile names as text everywhere, and saves a screenshot of each', async () => {
    const page = await signedPage(service.tokens.admin)
    const pages: ReadonlyArray<readonly [string, string, ReadonlyArray<string>]> = [
      ['dashboard', '/', [hostile.img]], ['log', '/changes?limit=500', [hostile.script, hostile.img]],
      ['change', `/changes/${service.manual.licenseChangeId ?? ''}`, [hostile.script, hostile.img]],
      ['subscription', `/subscriptions/${service.manual.subscriptionId}`, [hostile.script]], ['subscriptions', '/subscriptions', [hostile.script]],
      ['providers', '/providers', [hostile.img]], ['settings', '/settings', []], ['audit', '/audit', []],
    ]
    for (const [name, where, texts] of pages) {
      await page.goto(`${service.base}${where}`)
      const text = await page.textContent('main') ?? ''
      texts.forEach((hostileText) => expect([name, text.includes(hostileText)]).toEqual([name, true]))
      expect([name, await axeProblems(page)]).toEqual([name, []])
      await screenshot(page, name)
    }
    await page.goto(`${service.base}/subscriptions/${service.manual.subscriptionId}`)
    expect(await page.$$eval('svg.chart circle title', (titles) => titles.map((t) => t.textContent ?? '').join('\n'))).toContain(hostile.script)
    const signInPage = await open(await browser.newContext())
    await signInPage.goto(`${service.base}/signin`)
    expect(await axeProblems(signInPage)).toEqual([])
    await screenshot(signInPage, 'signin')
  }, 60_000)
})
