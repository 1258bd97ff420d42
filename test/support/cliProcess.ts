import { spawn } from 'node:child_process'
import * as path from 'node:path'

const register = path.join(__dirname, 'register.js')
const main = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts')

/** What one command line did. */
export interface CliRun {
  readonly code: number
  readonly out: string
  readonly err: string
}

const script = `
const { run } = require(${JSON.stringify(main)})
;(async () => {
  const results = []
  for (const argv of JSON.parse(process.argv[1])) {
    const out = []
    const err = []
    const code = await run(argv, { out: (text) => out.push(text), err: (text) => err.push(text) })
    results.push({ code, out: out.join('\\n'), err: err.join('\\n') })
  }
  process.stdout.write(JSON.stringify(results))
})()`

/** The user a permission test runs as: nobody when this process is root (root may write any file), else this one. */
export const otherUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}

/**
 * Run command lines one after another in one child process, straight from the sources, as
 * `otherUser`, so that file permissions hold even when the tests run as root.
 */
export const cliAsOtherUser = (runs: ReadonlyArray<ReadonlyArray<string>>): Promise<ReadonlyArray<CliRun>> => new Promise((resolve, reject) => {
  const child = spawn(process.execPath, ['-r', register, '-e', script, JSON.stringify(runs)], { stdio: 'pipe', ...otherUser })
  let out = ''
  let err = ''
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString() })
  child.on('error', reject)
  child.on('close', (code) => {
    if (code === 0) resolve(JSON.parse(out) as ReadonlyArray<CliRun>)
    else reject(new Error(`the CLI process ended with code ${String(code)}: ${err}`))
  })
})
