/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }],
    // ES-module-only packages (cookie 2, under Fastify's inject) are compiled to CommonJS for Jest's loader.
    '^.+/node_modules/cookie/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!cookie/)'],
  testTimeout: 30000,
  // Jest's default on a 2-core machine is one worker; the slow suites (the crash test, the browser,
  // served processes) mostly wait on children and timers, so two overlap them with the rest.
  maxWorkers: 2,
}
