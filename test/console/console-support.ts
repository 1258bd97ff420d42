import * as E from 'fp-ts/Either'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import pino from 'pino'
import { simpleParser } from 'mailparser'
import { createSeatflow, Seatflow } from '../../src/app/seatflow'
import { defaultProviderIds } from '../../src/domain/ids'
import { createFileMailer } from '../../src/providers/mail'
import { createSeatflowServer, emailLinks } from '../../src/server'
import { createScriptedGateway } from '../support/app'

/** The names a hostile user gives: they must show as these characters everywhere, and run nothing. */
export const hostile = { img: '<img src=x onerror=alert(1)>', script: '</script><script>alert(1)</script>' } as const

const must = <A>(result: E.Either<unknown, A>): A => {
  if (E.isLeft(result)) throw new Error(`expected Right, got ${JSON.stringify(result.left)}`)
  return result.right
}

/** The link secret of a test console. */
export const testLinkSecret = 'a test secret of more than thirty-two characters'

/** A port free on loopback just now. */
export const freePort = (): Promise<number> => new Promise((done, fail) => {
  const probe = net.createServer()
  probe.once('error', fail)
  probe.listen(0, '127.0.0.1', () => {
    const address = probe.address()
    probe.close(() => done(typeof address === 'object' && address !== null ? address.port : 0))
  })
})

/** What a console test starts with: how many plain changes to page through (CONSOLE_ROWS, default 30). */
export const rowsWanted = Number(process.env.CONSOLE_ROWS ?? '30')

const seed = async (seatflow: Seatflow, gateway: ReturnType<typeof createScriptedGateway>) => {
  const providerId = must(await seatflow.registerProvider({ name: hostile.img, kind: 'Manual', provisioningEmail: 'provisioning@distributor.example' })).providerId
  const manual = must(await seatflow.createSubscription({ product: hostile.script, providerId, quantity: 10, billingContractId: 'BC-1', contractOwnerEmail: 'owner@customer.example' }))
  must(await seatflow.changeQuantity({ subscriptionId: manual.subscriptionId, quantity: 14 }))
  must(await seatflow.changeQuantity({ subscriptionId: manual.subscriptionId, quantity: 12 }))
  const second = must(await seatflow.createSubscription({ product: 'Exchange Online (Plan 2)', providerId, quantity: 4, billingContractId: 'BC-2', contractOwnerEmail: 'owner@customer.example' }))
  gateway.queue({ _tag: 'PermanentFailure', reason: `offer not found for ${hostile.img}`, code: 'OfferNotFound' })
  const failed = must(await seatflow.createSubscription({ product: 'Microsoft 365 E3', providerId: defaultProviderIds.partnerCenter, quantity: 5, billingContractId: 'BC-3', contractOwnerEmail: 'owner@customer.example' }))
  for (let n = 0; n < rowsWanted; n += 1) {
    must(await seatflow.createSubscription({ product: `Support bundle ${n}`, providerId: defaultProviderIds.doNothing, quantity: n + 1, billingContractId: `BC-9${n}`, contractOwnerEmail: 'owner@customer.example' }))
  }
  return { providerId, manual, second, failed }
}

/** A service with the console on loopback: a file mailer, the worker, email links, tokens for every role (one named hostile), seeded data. */
export const startConsole = async (options: { readonly linkExpiryDays?: number } = {}) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-console-'))
  const mailDir = path.join(dir, 'mail')
  const port = await freePort()
  const links = emailLinks({ publicUrl: `http://127.0.0.1:${port}`, linkSecret: testLinkSecret, ...options })
  const gateway = createScriptedGateway()
  const seatflow = await createSeatflow({ store: `sqlite:${path.join(dir, 'seatflow.db')}`, mailer: createFileMailer(mailDir), gateways: { 'Partner Center': gateway }, mailLinks: links.mail })
  const server = createSeatflowServer(seatflow, { port, logger: pino({ level: 'silent' }), rateLimitPerMinute: 100_000, console: { links } })
  const tokens = {
    viewer: server.context.tokens.create('Vera Viewer', 'viewer').token,
    operator: server.context.tokens.create(hostile.img, 'operator').token,
    admin: server.context.tokens.create('Ada Admin', 'admin').token,
  }
  const seeded = await seed(seatflow, gateway)
  const base = await server.listen()
  return {
    seatflow, server, tokens, base, mailDir, links, ...seeded,
    /** The text of each mail the file mailer wrote. */
    mails: (): ReadonlyArray<string> => (fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml')).map((f) => fs.readFileSync(path.join(mailDir, f), 'utf8')) : []),
    close: async (): Promise<void> => {
      await server.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A console under test. */
export type ConsoleService = Awaited<ReturnType<typeof startConsole>>

/** A browser-less client: a cookie jar over fetch, no redirects followed. */
export const client = (base: string) => {
  const jar = new Map<string, string>()
  const remember = (response: Response): void => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const at = pair?.indexOf('=') ?? -1
      if (pair !== undefined && at > 0) jar.set(pair.slice(0, at), pair.slice(at + 1))
    }
  }
  const cookie = (): string => [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
  const request = async (method: string, where: string, form?: Readonly<Record<string, string>>): Promise<{ status: number; text: string; headers: Headers }> => {
    const response = await fetch(`${base}${where}`, {
      method, redirect: 'manual', headers: { cookie: cookie(), ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
      ...(form === undefined ? {} : { body: new URLSearchParams(form).toString() }),
    })
    remember(response)
    return { status: response.status, text: await response.text(), headers: response.headers }
  }
  return {
    get: (where: string) => request('GET', where),
    post: (where: string, form: Readonly<Record<string, string>>) => request('POST', where, form),
    jar,
    /** The CSRF token a page's forms carry. */
    csrfOf: (page: string): string => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '',
    signIn: async (token: string): Promise<void> => {
      const form = await request('GET', '/signin')
      const signed = await request('POST', '/signin', { _csrf: /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '', token, next: '/' })
      if (signed.status !== 303) throw new Error(`sign-in answered ${signed.status}`)
    },
  }
}

/** The confirmation link of a change's request mail, as the file mailer wrote it. */
export const confirmLinkOf = async (mails: ReadonlyArray<string>, licenseChangeId: string): Promise<string> => {
  for (const raw of mails) {
    const text = (await simpleParser(raw)).text ?? ''
    const link = new RegExp(`https?://\\S+/confirm/${licenseChangeId}\\S+`).exec(text)?.[0]
    if (link !== undefined) return link
  }
  throw new Error(`no confirmation link for ${licenseChangeId} among ${mails.length} mails`)
}

