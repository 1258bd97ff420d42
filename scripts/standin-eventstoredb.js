#!/usr/bin/env node
// Start the in-process EventStoreDB stand-in (test/support/eventstoredb) for manual trials:
//   npm run standin:eventstoredb -- --port 2113 [--no-batch-append] [--system-event-every N]
// It is not EventStoreDB: see the top of test/support/eventstoredb/server.ts for what it does not model.
// The TypeScript sources are compiled on load with @swc/core (a dev dependency), so a fresh clone needs only `npm ci`.
const { readFileSync } = require('node:fs')
const { parseArgs } = require('node:util')
const { transformSync } = require('@swc/core')

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename, jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' },
  })
  module._compile(code, filename)
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '2113' },
    'no-batch-append': { type: 'boolean', default: false },
    'system-event-every': { type: 'string', default: '0' },
  },
})
const port = Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`standin: --port ${values.port} is not a port number`)
  process.exit(2)
}
const { startStandIn } = require('../test/support/eventstoredb/server.ts')
startStandIn({ port, batchAppend: !values['no-batch-append'], systemEventEvery: Number(values['system-event-every']) })
  .then((standIn) => {
    console.log(`EventStoreDB stand-in listening: ${standIn.url}  (Ctrl-C stops it; events live in memory only)`)
    const stop = () => standIn.stop().then(() => process.exit(0))
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  .catch((error) => {
    console.error(`standin: ${error.message}`)
    process.exit(1)
  })
