import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { createSeatflow, Seatflow } from '../../src/app/seatflow'
import { defaultProviderIds } from '../../src/domain/ids'
import { integrityCheck, readLog, revisionProblems } from '../support/invariants'
import { right, subscription } from '../support/app'
import { startServe } from '../support/serveProcess'
import { eventually } from '../support/service'

/** A host module with a Partner Center gateway that notes each call in a file and answers after `ms`. */
const gatewayModule = (dir: string, name: string, ms: number): string => {
  const file = path.join(dir, `${name}.js`)
  const calls = path.join(dir, `${name}.calls`)
  fs.writeFileSync(file, `
const fs = require('node:fs')
const answer = () => new Promise((resolve) => setTimeout(() => resolve({ _tag: 'Provisioned' }), ${ms}))
exports.gateways = { 'Partner Center': {
  changeQuantity: (request) => { fs.appendFileSync(${JSON.stringify(calls)}, request.idempotencyKey + '\\n'); return answer() },
  checkPending: async () => ({ _tag: 'Provisioned' }),
} }
`)
  return file
}

const callsOf = (dir: string, name: string): ReadonlyArray<string> => {
  const file = path.join(dir, `${name}.calls`)
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((line) => line !== '') : []
}

describe('seatflow serve and signals', () => {
  let dir: string
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-signals-')) })
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('a second signal exits at once while a gateway call holds the shutdown; the next start takes the dead instance\'s call over at once and makes it once', async () => {
    const file = path.join(dir, 'seatflow.db')
    const host: Seatflow = await createSeatflow({ store: `sqlite:${file}`, autoProcess: false })
    const hanging = await startServe(['--db', file, '--gateways', gatewayModule(dir, 'hanging', 60_000)])
    const teams = right(await host.createSubscription(subscription('Teams', defaultProviderIds.partnerCenter, 5)))
    await eventually(() => callsOf(dir, 'hanging').length === 1, 10_000, 'the gateway call')

    hanging.serving.child.kill('SIGTERM')
    await hanging.serving.logged((line) => String(line.msg).startsWith('shutting down'))
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(hanging.serving.child.exitCode).toBeNull()
    const second = Date.now()
    hanging.serving.child.kill('SIGTERM')
    const exit = await hanging.serving.exited
    console.log(`second signal: exit ${exit.code} ${exit.at - second} ms after it`)
    expect(exit.code).toBe(143)
    expect(exit.at - second).toBeLessThan(1000)
    expect(hanging.serving.lines().some((line) => line.msg === 'second signal: exiting at once')).toBe(true)
    expect(integrityCheck(file)).toEqual(['ok'])

    const answering = await startServe(['--db', file, '--gateways', gatewayModule(dir, 'answering', 10)])
    await eventually(async () => (await host.licenseChange(String(teams.licenseChangeId)))?.status === 'Provisioned', 10_000, 'the change provisioned')
    answering.serving.child.kill('SIGTERM')
    expect((await answering.serving.exited).code).toBe(0)
    expect(callsOf(dir, 'answering')).toEqual(callsOf(dir, 'hanging'))
    expect(revisionProblems(await readLog(`sqlite:${file}`))).toEqual([])
    await host.close()
  })

  it('SIGINT stops it as SIGTERM does: exit 0', async () => {
    const { serving, base } = await startServe(['--db', path.join(dir, 'seatflow.db')])
    expect((await fetch(`${base}/healthz`)).status).toBe(200)
    const signalled = Date.now()
    serving.child.kill('SIGINT')
    const exit = await serving.exited
    expect(exit.code).toBe(0)
    expect(exit.at - signalled).toBeLessThan(10_000)
  })
})
