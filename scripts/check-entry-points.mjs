// Checks that hosts can load the built package both ways: `import` (ESM) and `require` (CommonJS),
// through the package's own name (Node resolves a package's self-reference through "exports").
import { createRequire } from 'node:module'
import * as esm from 'seatflow'
import * as esmStore from 'seatflow/store'

const require = createRequire(import.meta.url)
const cjs = require('seatflow')
const cjsStore = require('seatflow/store')
const checks = [
  ['seatflow', esm, cjs, ['createSeatflow', 'createSimulatedGateway', 'createMemoryMailer', 'defaultProviderIds', 'replay']],
  ['seatflow/store', esmStore, cjsStore, ['openStorage', 'openSqliteStorage', 'openMemoryStorage', 'NotAStoreError']],
]
for (const [entry, fromEsm, fromCjs, names] of checks) {
  for (const name of names) {
    if (typeof fromEsm[name] === 'undefined') throw new Error(`the ESM entry ${entry} lacks ${name}`)
    if (fromEsm[name] !== fromCjs[name]) throw new Error(`the ESM and CommonJS entries of ${entry} differ on ${name}`)
  }
}
const app = await esm.createSeatflow({ store: 'memory:' })
const providers = await app.providers()
await app.close()
if (providers.length !== 3) throw new Error(`expected the three default providers, got ${providers.length}`)
console.log(`entry points ok: ESM and CommonJS export ${Object.keys(cjs).length} names (seatflow/store ${Object.keys(cjsStore).length}); a memory seatflow starts with ${providers.length} providers`)
