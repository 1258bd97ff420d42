// A require hook that runs TypeScript sources straight from disk in a child process (no stale dist):
//   node -r ./test/support/register.js test/reliability/writer.ts ...
// It transforms each .ts file with @swc/core (the transform @swc/jest uses) to CommonJS; no typecheck.
const fs = require('node:fs')
const { transformSync } = require('@swc/core')

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  })
  module._compile(code, filename)
}
