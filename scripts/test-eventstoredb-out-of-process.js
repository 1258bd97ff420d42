#!/usr/bin/env node
// Runs the store contract once against the EventStoreDB stand-in started in another process, as a
// real node would be: the client and the node share no event loop, so timings are a network's
// (a read left early once hung close() only then). Starts the stand-in on a free port, runs
//   EVENTSTOREDB_URL=esdb://127.0.0.1:PORT?tls=false jest test/store/eventstoredb.test.ts -t 'eventstoredb at '
// and stops the stand-in; the whole run is bounded (default 180 s, `--bound-seconds N`).
//   npm run test:eventstoredb:out-of-process
const { spawn } = require('node:child_process')
const { join } = require('node:path')
const { parseArgs } = require('node:util')
const { setTimeout, clearTimeout } = require('node:timers')

const { values } = parseArgs({ options: { 'bound-seconds': { type: 'string', default: '180' } } })
const boundSeconds = Number(values['bound-seconds'])
if (!Number.isFinite(boundSeconds) || boundSeconds <= 0) {
  console.error(`--bound-seconds ${values['bound-seconds']} is not a number of seconds`)
  process.exit(2)
}
const root = join(__dirname, '..')
const startedAt = Date.now()
const children = new Set()

const run = (args, options = {}) => {
  const child = spawn(process.execPath, args, { cwd: root, ...options })
  children.add(child)
  child.on('exit', () => children.delete(child))
  return child
}
const stopAll = () => { for (const child of children) child.kill('SIGKILL') }
process.on('exit', stopAll)

const bound = setTimeout(() => {
  console.error(`eventstoredb out of process: not done within ${boundSeconds} s; stopping the run`)
  stopAll()
  process.exit(1)
}, boundSeconds * 1000)

/** Start the stand-in on a free port and answer its URL once it listens. */
const startStandIn = () => new Promise((resolve, reject) => {
  const standIn = run([join(root, 'scripts', 'standin-eventstoredb.js'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] })
  let output = ''
  standIn.stdout.on('data', (chunk) => {
    output += chunk
    const url = /listening: (esdb:\/\/\S+)/.exec(output)?.[1]
    if (url !== undefined) resolve({ standIn, url })
  })
  standIn.on('exit', (code) => reject(new Error(`the stand-in exited (${code}) before it listened: ${output.trim()}`)))
})

/** Stop the stand-in as Ctrl-C would, and wait for it to end. */
const stop = (standIn) => new Promise((resolve) => {
  if (standIn.exitCode !== null) return resolve()
  standIn.once('exit', resolve)
  standIn.kill('SIGTERM')
})

const main = async () => {
  const { standIn, url } = await startStandIn()
  console.log(`eventstoredb out of process: the contract against the stand-in at ${url}`)
  const jest = run([require.resolve('jest/bin/jest'), 'test/store/eventstoredb.test.ts', '-t', 'eventstoredb at '], {
    stdio: 'inherit', env: { ...process.env, EVENTSTOREDB_URL: url },
  })
  const code = await new Promise((resolve) => jest.on('exit', (exit, signal) => resolve(exit ?? (signal === null ? 1 : 128))))
  await stop(standIn)
  clearTimeout(bound)
  console.log(`eventstoredb out of process: ${code === 0 ? 'passed' : `failed (exit code ${code})`} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`)
  process.exitCode = code
}

main().catch((error) => {
  console.error(`eventstoredb out of process: ${error.message}`)
  clearTimeout(bound)
  stopAll()
  process.exitCode = 1
})
