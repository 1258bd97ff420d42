// Checks that the published types stand alone. Packs seatflow and installs the tarball into a fresh
// host project whose only own packages are typescript 5.9 and @types/node 20 (the lock's versions).
// Then, with `strict` and no `skipLibCheck`, a CommonJS and an ES module host each typecheck a small
// program that uses seatflow, run it with node and compare what it prints. The CommonJS host also
// typechecks every published declaration file, reachable from an entry point or not (deep imports,
// subpaths to come), but the service's: those a CommonJS host with esModuleInterop checks (see HOSTS). Needs a build first: `npm run check:host` does both.
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** What a host imports. A subpath export (e.g. 'seatflow/store') is one more line here. */
const ENTRY_POINTS = [
  'seatflow',
  'seatflow/store',
  'seatflow/server',
]

/** What the host program must print, in both hosts. */
const EXPECTED_OUTPUT = 'host ok: 0->10 Awaiting Provisioning, 10->12 Awaiting Provisioning; '
  + 'mail to provisioning@host.example, provisioning@host.example'

/** The two hosts: their package.json "type", their "module" setting and what they typecheck besides host.ts. */
const HOSTS = [
  { name: 'CommonJS', folder: 'cjs', type: 'commonjs', module: 'commonjs', include: ['../node_modules/seatflow/dist/**/*.d.ts'], exclude: ['../node_modules/seatflow/dist/src/server/**'], without: ['seatflow/server'] },
  { name: 'ESM', folder: 'esm', type: 'module', module: 'nodenext', include: [] },
  // seatflow/server's declarations reach Fastify's, which import pino's, which default-import a
  // CommonJS module (thread-stream): a CommonJS host of Fastify needs esModuleInterop (tsc --init's
  // default), so the service's declarations are checked in such a host; the rest in the one above.
  { name: 'CommonJS with esModuleInterop', folder: 'cjs-interop', type: 'commonjs', module: 'commonjs', include: ['../node_modules/seatflow/dist/src/server/**/*.d.ts'], interop: true },
]

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const started = Date.now()

const fail = (message) => {
  console.error(`check-host: ${message}`)
  process.exit(1)
}

/** Runs a command; resolves with whether it exited 0 and everything it printed. */
const run = (command, args, cwd) => new Promise((resolve) => {
  execFile(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
    if (error && typeof error.code !== 'number') fail(`${command} ${args.join(' ')} could not run: ${error.message}`)
    resolve({ ok: !error, output: `${stdout}${stderr}`.trim() })
  })
})

const writeJson = (file, value) => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`)

const lockedVersion = (name, major) => {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'))
  const version = lock.packages[`node_modules/${name}`]?.version
  if (!version?.startsWith(major)) fail(`package-lock.json has ${name} ${version ?? '(none)'}; the host check wants ${major}x`)
  return version
}

// The host program: a seatflow on memory: with the host's own Mailer, one Manual change, the License
// Change Log read back; seatflow's types in annotations. Every further entry point is imported for its types.
const hostProgram = (entries) => {
  const [main, ...others] = entries
  return [
    `import { createSeatflow, defaultProviderIds, describeError } from '${main}'`,
    `import type { LicenseChangeRow, Mail, Mailer, Seatflow, SeatflowOptions } from '${main}'`,
    ...others.map((entry, index) => `import type * as entry${index + 1} from '${entry}'`),
    ...others.map((_, index) => `export type Entry${index + 1} = keyof typeof entry${index + 1}`),
    '',
    'const sent: Mail[] = []',
    'const mailer: Mailer = { send: async (mail: Mail): Promise<void> => { sent.push(mail) } }',
    "const options: SeatflowOptions = { store: 'memory:', mailer, manualProvisioningEmail: 'provisioning@host.example' }",
    '',
    'const main = async (): Promise<void> => {',
    '  const seatflow: Seatflow = await createSeatflow(options)',
    '  const created = await seatflow.createSubscription({',
    "    product: 'Host Seats', providerId: defaultProviderIds.manual, quantity: 10,",
    "    billingContractId: 'BC-HOST', contractOwnerEmail: 'owner@host.example',",
    '  })',
    "  if (created._tag === 'Left') throw new Error(describeError(created.left))",
    '  const changed = await seatflow.changeQuantity({ subscriptionId: created.right.subscriptionId, quantity: 12 })',
    "  if (changed._tag === 'Left') throw new Error(describeError(changed.left))",
    '  const log: ReadonlyArray<LicenseChangeRow> = await seatflow.licenseChangeLog()',
    '  await seatflow.close()',
    "  const rows = log.map((row: LicenseChangeRow) => `${row.previousQuantity}->${row.newQuantity} ${row.status}`)",
    "  console.log(`host ok: ${rows.join(', ')}; mail to ${sent.map((mail: Mail) => mail.to.join(' ')).join(', ')}`)",
    '}',
    '',
    'main().catch((error: unknown) => {',
    '  console.error(error)',
    '  process.exitCode = 1',
    '})',
    '',
  ].join('\n')
}

const packAndInstall = async (work) => {
  if (!existsSync(join(root, 'dist', 'src', 'index.d.ts'))) fail('dist/src/index.d.ts is missing: run `npm run build` first')
  const pack = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], root)
  if (!pack.ok) fail(`npm pack failed:\n${pack.output}`)
  const tarball = join(work, pack.output.split('\n').pop())
  writeJson(join(work, 'package.json'), {
    name: 'seatflow-host-check', private: true,
    dependencies: { seatflow: `file:${tarball}` },
    devDependencies: { typescript: lockedVersion('typescript', '5.9.'), '@types/node': lockedVersion('@types/node', '20.') },
  })
  // No install scripts: the hosts run on memory:, so better-sqlite3's native addon is never built nor loaded.
  // --prefer-offline takes what `npm ci` left in npm's cache and asks the registry only for what is missing.
  const install = await run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], work)
  if (!install.ok) fail(`npm install of the packed seatflow into the host failed:\n${install.output}`)
}

const checkHost = async (work, host) => {
  const folder = join(work, host.folder)
  mkdirSync(folder)
  writeJson(join(folder, 'package.json'), { type: host.type })
  writeFileSync(join(folder, 'host.ts'), hostProgram(ENTRY_POINTS.filter((entry) => !(host.without ?? []).includes(entry))))
  const compilerOptions = { strict: true, skipLibCheck: false, target: 'es2022', lib: ['es2022'], module: host.module, outDir: 'out', ...(host.interop ? { esModuleInterop: true } : {}) }
  writeJson(join(folder, 'tsconfig.json'), { compilerOptions, files: ['host.ts'], include: host.include, exclude: host.exclude ?? [] })
  const tsc = await run(process.execPath, [join(work, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', folder, '--pretty', 'false'], folder)
  if (!tsc.ok) return `the ${host.name} host does not compile against the packed seatflow (strict, no skipLibCheck):\n${tsc.output}`
  const program = await run(process.execPath, [join(folder, 'out', 'host.js')], folder)
  if (!program.ok) return `the ${host.name} host compiled but failed when run:\n${program.output}`
  if (program.output !== EXPECTED_OUTPUT) return `the ${host.name} host printed\n  ${program.output}\nexpected\n  ${EXPECTED_OUTPUT}`
  const also = host.include.length === 0 ? '' : host.interop ? ", with seatflow/server's .d.ts" : ', with every other published .d.ts'
  console.log(`check-host: the ${host.name} host (module ${host.module}${also}) compiles and runs: ${program.output}`)
  return undefined
}

const work = mkdtempSync(join(tmpdir(), 'seatflow-host-'))
await packAndInstall(work)
const problems = (await Promise.all(HOSTS.map((host) => checkHost(work, host))))
  .filter((problem) => problem !== undefined)
if (problems.length > 0) fail(`${problems.join('\n\n')}\n\n(the host projects are kept in ${work})`)
rmSync(work, { recursive: true, force: true })
const seconds = ((Date.now() - started) / 1000).toFixed(1)
console.log(`check-host: the published types stand alone (entry points: ${ENTRY_POINTS.join(', ')}; ${seconds} s)`)
