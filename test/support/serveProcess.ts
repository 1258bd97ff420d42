import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import * as path from 'node:path'

const register = path.join(__dirname, 'register.js')
const main = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts')
const script = `require(${JSON.stringify(main)}).main(JSON.parse(process.argv[1])).then((code) => { process.exitCode = code })`

/** A `seatflow serve` process (or any seatflow command line) run straight from the sources, and what it printed. */
export interface SeatflowProcess {
  readonly child: ChildProcessWithoutNullStreams
  /** The JSON log lines it printed on stdout so far (other lines are skipped). */
  readonly lines: () => ReadonlyArray<Record<string, unknown>>
  readonly stderr: () => string
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly at: number }>
  /** Resolves with the first log line `match` accepts; rejects if the process exits first or after `ms`. */
  readonly logged: (match: (line: Record<string, unknown>) => boolean, ms?: number) => Promise<Record<string, unknown>>
}

/** Start `seatflow ...argv` in its own node process, from the TypeScript sources. */
export const startSeatflow = (argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv = {}): SeatflowProcess => {
  const child = spawn(process.execPath, ['-r', register, '-e', script, JSON.stringify(argv)], { stdio: 'pipe', env: { ...process.env, ...env } })
  const lines: Array<Record<string, unknown>> = []
  let pending = ''
  let err = ''
  const waiting: Array<() => void> = []
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString()
    const complete = pending.split('\n')
    pending = complete.pop() ?? ''
    for (const line of complete) {
      try { lines.push(JSON.parse(line) as Record<string, unknown>) } catch { /* not a log line */ }
    }
    waiting.forEach((wake) => wake())
  })
  child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString() })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    child.on('close', (code, signal) => { resolve({ code, signal, at: Date.now() }); waiting.forEach((wake) => wake()) })
  })
  let gone = false
  void exited.then(() => { gone = true })
  const logged = (match: (line: Record<string, unknown>) => boolean, ms = 20_000) => new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no such log line within ${ms} ms: ${err}`)), ms)
    const check = (): void => {
      const found = lines.find(match)
      if (found !== undefined) { clearTimeout(timer); resolve(found) } else if (gone) { clearTimeout(timer); reject(new Error(`the process exited before logging it: ${err}`)) }
    }
    waiting.push(check)
    check()
  })
  return { child, lines: () => [...lines], stderr: () => err, exited, logged }
}

/** Start `seatflow serve` and wait until it listens; answers the process and its base URL. */
export const startServe = async (argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv = {}) => {
  const serving = startSeatflow(['serve', '--port', '0', ...argv], env)
  const listening = await serving.logged((line) => typeof line.address === 'string')
  return { serving, base: String(listening.address) }
}
