/// <reference lib="dom" />
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Browser, BrowserContext, chromium, Page } from 'playwright-core'

/** Debian's Chromium: the browser suite drives it (never a downloaded browser). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Where the screenshots of each page go (gitignored). */
export const artifacts = path.join(__dirname, '..', '..', 'test-artifacts')

/**
 * Whether the browser suite runs here: with Chromium, yes; without it, it is skipped and says
 * why, except in CI (env CI set), where a missing browser is a failure.
 */
export const browserSuite = (): 'run' | 'skip' | 'fail' => {
  if (fs.existsSync(chromiumPath)) return 'run'
  return process.env.CI === undefined || process.env.CI === '' ? 'skip' : 'fail'
}

/** A page that fails the test on any dialog (alert, confirm, prompt) and on any CSP violation it reports. */
export interface WatchedPage {
  readonly page: Page
  readonly dialogs: string[]
  readonly violations: string[]
}

/** Launch Chromium headless (no sandbox: the tests may run as root in a container). */
export const launch = (): Promise<Browser> =>
  chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] })

/** A new page in a context, watched for dialogs and CSP violations. */
export const watchedPage = async (context: BrowserContext): Promise<WatchedPage> => {
  const page = await context.newPage()
  const dialogs: string[] = []
  const violations: string[] = []
  page.on('dialog', (dialog) => { dialogs.push(dialog.message()); void dialog.dismiss() })
  page.on('console', (message) => { if (/Content Security Policy|Refused to/.test(message.text())) violations.push(message.text()) })
  return { page, dialogs, violations }
}

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

/** The serious and critical axe-core violations of the page as it is (axe is evaluated by the driver, so the page's CSP does not block it). */
export const axeProblems = async (page: Page): Promise<ReadonlyArray<string>> => {
  await page.evaluate(axeSource)
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<{ passes: ReadonlyArray<unknown>; violations: ReadonlyArray<{ id: string; impact: string | null; help: string; nodes: ReadonlyArray<{ target: unknown }> }> }> } }).axe
    const result = await axe.run(document)
    // A run that checked nothing proves nothing.
    if (result.passes.length === 0) return ['axe checked nothing on this page']
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact ?? ''} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`)
  })
}

/** Save a screenshot of the page as a test artefact. */
export const screenshot = async (page: Page, name: string): Promise<void> => {
  fs.mkdirSync(artifacts, { recursive: true })
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true })
}

/** Sign a page in with a token (through the form, as a person does). */
export const signIn = async (page: Page, base: string, token: string): Promise<void> => {
  await page.goto(`${base}/signin`)
  await page.fill('#token', token)
  await page.click('button[type=submit]')
  await page.waitForSelector('h1:text("Dashboard")')
}
