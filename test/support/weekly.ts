import * as fs from 'node:fs'
import * as path from 'node:path'
import { cli } from './cli'

/** What the test's provider holds and answers: quantities by subscription id, and the answer to a change by product. */
export interface ProviderScript {
  readonly quantities: Readonly<Record<string, number>>
  readonly answers: Readonly<Record<string, unknown>>
}

/**
 * A host module (as `--gateways MODULE` loads it) with a Partner Center gateway that answers from a
 * JSON file the test rewrites: each change's answer by product, and each subscription's quantity
 * when read (a subscription it does not hold cannot be read). Calls are noted in `calls.ndjson`.
 */
export const scriptedGatewayModule = (dir: string): { readonly module: string; readonly script: (script: ProviderScript) => void; readonly calls: () => ReadonlyArray<Record<string, unknown>> } => {
  const scriptFile = path.join(dir, 'provider.json')
  const callsFile = path.join(dir, 'calls.ndjson')
  const module = path.join(dir, 'gateways.js')
  fs.writeFileSync(module, `
const fs = require('node:fs')
const script = () => JSON.parse(fs.readFileSync(${JSON.stringify(scriptFile)}, 'utf8'))
const note = (call) => fs.appendFileSync(${JSON.stringify(callsFile)}, JSON.stringify(call) + '\\n')
exports.gateways = { 'Partner Center': {
  changeQuantity: async (request) => { note({ call: 'change', product: request.product, target: request.targetQuantity, action: request.action }); return script().answers[request.product] ?? { _tag: 'Provisioned' } },
  checkPending: async () => ({ _tag: 'Provisioned' }),
  readSubscription: async (reference) => {
    note({ call: 'read', subscriptionId: reference.subscriptionId })
    const quantity = script().quantities[reference.subscriptionId]
    if (quantity === undefined) throw new Error('the provider does not know subscription ' + reference.subscriptionId)
    return { subscriptionId: reference.subscriptionId, quantity, changedBy: 'admin@tenant.example', changedAt: '2026-01-06T10:00:00.000Z' }
  },
} }
`)
  const script = (value: ProviderScript): void => fs.writeFileSync(scriptFile, JSON.stringify(value))
  script({ quantities: {}, answers: {} })
  const calls = (): ReadonlyArray<Record<string, unknown>> => fs.existsSync(callsFile)
    ? fs.readFileSync(callsFile, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>)
    : []
  return { module, script, calls }
}

/** How many events the store holds (through `seatflow export`, which only reads). */
export const eventCount = async (db: string): Promise<number> => {
  const exported = await cli('export', '--db', db)
  if (exported.code !== 0) throw new Error(`export failed: ${exported.err}`)
  return exported.out.split('\n').filter((line) => line.trim() !== '').length
}

/** The License Change Log as `log --json` gives it. */
export const logRows = async (db: string): Promise<ReadonlyArray<Record<string, unknown> & { readonly licenseChangeId: string; readonly subscriptionId: string; readonly status: string }>> =>
  JSON.parse((await cli('log', '--db', db, '--json')).out) as ReadonlyArray<Record<string, unknown> & { readonly licenseChangeId: string; readonly subscriptionId: string; readonly status: string }>
