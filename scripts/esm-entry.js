// Writes dist/esm/index.mjs: an ES module entry that re-exports the CommonJS build by name,
// so `import { createSeatflow } from 'seatflow'` works in ESM hosts as `require` does in CJS ones.
const { mkdirSync, writeFileSync } = require('node:fs')
const { join } = require('node:path')

const api = require(join(__dirname, '..', 'dist', 'src', 'index.js'))
const names = Object.keys(api).filter((name) => name !== 'default' && name !== '__esModule').sort()
const lines = [
  "import api from '../src/index.js'",
  ...names.map((name) => `export const ${name} = api.${name}`),
  'export default api',
  '',
]
mkdirSync(join(__dirname, '..', 'dist', 'esm'), { recursive: true })
writeFileSync(join(__dirname, '..', 'dist', 'esm', 'index.mjs'), lines.join('\n'))
