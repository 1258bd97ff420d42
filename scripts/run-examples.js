// Runs every built example (dist/examples/*.js) and fails if any exits non-zero.
const { readdirSync } = require('node:fs')
const { join } = require('node:path')
const { spawnSync } = require('node:child_process')

const folder = join(__dirname, '..', 'dist', 'examples')
const examples = readdirSync(folder).filter((name) => name.endsWith('.js')).sort()
let failed = 0
for (const name of examples) {
  console.log(`\n=== examples/${name.replace(/\.js$/, '.ts')}`)
  const result = spawnSync(process.execPath, [join(folder, name)], { stdio: 'inherit' })
  if (result.status !== 0) {
    failed += 1
    console.error(`example ${name} failed with exit code ${result.status}`)
  }
}
console.log(`\n${examples.length - failed} of ${examples.length} examples passed`)
process.exitCode = failed === 0 ? 0 : 1
