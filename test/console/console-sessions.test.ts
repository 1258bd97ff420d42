import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import pino from 'pino'
import { createSeatflow } from '../../src/app/seatflow'
import { createSeatflowServer } from '../../src/server'
import { client, freePort } from './console-support'

/** A `seatflow serve` of the console on a SQLite file (no worker: these tests only sign in and read). */
const instance = async (file: string, sessionIdleMinutes?: number) => {
  const seatflow = await createSeatflow({ store: `sqlite:${file}` })
  const server = createSeatflowServer(seatflow, {
    port: await freePort(), worker: false, logger: pino({ level: 'silent' }), rateLimitPerMinute: 100_000,
    console: sessionIdleMinutes === undefined ? {} : { sessionIdleMinutes },
  })
  return { server, base: await server.listen(), tokens: server.context.tokens, sessions: () => seatflow.records.list('console-sessions') }
}

type Instance = Awaited<ReturnType<typeof instance>>

/** Whether a browser with this cookie jar is signed in on an instance. */
const signedIn = async (on: Instance, jar: ReadonlyMap<string, string>): Promise<boolean> => {
  const other = client(on.base)
  jar.forEach((value, name) => other.jar.set(name, value))
  return (await other.get('/changes')).status === 200
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('console sessions, kept in the store by every instance on it', () => {
  let dir: string
  const running: Instance[] = []
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-sessions-')) })
  afterEach(async () => {
    await Promise.all(running.splice(0).map((one) => one.server.close()))
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('signs in on one instance and reads on the other, survives a restart, signs out on both, ends on revocation', async () => {
    const file = path.join(dir, 'seatflow.db')
    const [one, two] = [await instance(file), await instance(file)] as const
    running.push(one, two)
    const token = one.tokens.create('Vera Viewer', 'viewer').token
    const browser = client(one.base)
    await browser.signIn(token)
    expect(await signedIn(two, browser.jar)).toBe(true)
    const stored = JSON.stringify(one.sessions())
    expect(stored).not.toContain(browser.jar.get('seatflow_session') ?? 'no session')
    expect(stored).not.toContain(token.slice(-20))

    await two.server.close()
    running.splice(running.indexOf(two), 1)
    const restarted = await instance(file)
    running.push(restarted)
    expect(await signedIn(restarted, browser.jar)).toBe(true)

    expect((await client(restarted.base).get('/changes')).status).toBe(303)
    const ended = new Map([['seatflow_session', browser.jar.get('seatflow_session') ?? '']])
    const csrf = browser.csrfOf((await browser.get('/changes')).text)
    expect((await browser.post('/signout', { _csrf: csrf })).status).toBe(200)
    expect(one.sessions()).toEqual([])
    expect(await signedIn(restarted, ended)).toBe(false)
    expect(await signedIn(one, ended)).toBe(false)

    const again = client(restarted.base)
    await again.signIn(token)
    expect(await signedIn(one, again.jar)).toBe(true)
    one.tokens.revoke('Vera Viewer')
    expect(await signedIn(restarted, again.jar)).toBe(false)
    expect(await signedIn(one, again.jar)).toBe(false)
    expect(one.sessions()).toEqual([])
  }, 30_000)

  it('keeps a session alive while it is used, and ends it after inactivity on every instance', async () => {
    const file = path.join(dir, 'seatflow.db')
    const [brief, patient] = [await instance(file, 0.01), await instance(file)] as const
    running.push(brief, patient)
    const browser = client(brief.base)
    await browser.signIn(brief.tokens.create('Ada Admin', 'admin').token)
    for (let request = 0; request < 6; request += 1) {
      await pause(200)
      expect(await signedIn(request % 2 === 0 ? brief : patient, browser.jar)).toBe(true)
    }
    await pause(900)
    expect(await signedIn(brief, browser.jar)).toBe(false)
    expect(brief.sessions()).toEqual([])
    expect(await signedIn(patient, browser.jar)).toBe(false)
  }, 30_000)
})
