// Writes dist/esm/index.mjs and dist/esm/store.mjs: ES module entries that re-export the CommonJS
// build by name, so `import { createSeatflow } from 'seatflow'` (and `from 'seatflow/store'`) works
// in ESM hosts as `require` does in CommonJS ones.
const { mkdirSync, writeFileSync } = require('node:fs')
const { join } = require('node:path')

const dist = join(__dirname, '..', 'dist')
const entries = [['index.mjs', '../src/index.js'], ['store.mjs', '../src/store/index.js'], ['server.mjs', '../src/server/index.js']]
mkdirSync(join(dist, 'esm'), { recursive: true })
for (const [file, target] of entries) {
  const api = require(join(dist, 'esm', target))
  const names = Object.keys(api).filter((name) => name !== 'default' && name !== '__esModule').sort()
  const lines = [`import api from '${target}'`, ...names.map((name) => `export const ${name} = api.${name}`), 'export default api', '']
  writeFileSync(join(dist, 'esm', file), lines.join('\n'))
}
