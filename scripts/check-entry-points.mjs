// Checks that hosts can load the built package both ways: `import` (ESM) and `require` (CommonJS),
// through the package's own name (Node resolves a package's self-reference through "exports").
import { createRequire } from 'node:module'
import * as esm from 'seatflow'

const require = createRequire(import.meta.url)
const cjs = require('seatflow')
const names = ['createSeatflow', 'createSimulatedGateway', 'createMemoryMailer', 'defaultProviderIds', 'openStorage', 'replay']
for (const name of names) {
  if (typeof esm[name] === 'undefined') throw new Error(`ESM entry lacks ${name}`)
  if (esm[name] !== cjs[name]) throw new Error(`ESM and CommonJS entries differ on ${name}`)
}
const app = await esm.createSeatflow({ store: 'memory:' })
const providers = await app.providers()
await app.close()
if (providers.length !== 3) throw new Error(`expected the three default providers, got ${providers.length}`)
console.log(`entry points ok: ESM and CommonJS export ${Object.keys(cjs).length} names; a memory seatflow starts with ${providers.length} providers`)
