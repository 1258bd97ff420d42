import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import * as path from 'node:path'

const register = path.join(__dirname, 'register.js')
const worker = path.join(__dirname, '..', 'reliability', 'worker.ts')

/** A worker process and what it printed so far. */
export interface Worker {
  readonly child: ChildProcessWithoutNullStreams
  readonly stdout: () => string
  readonly stderr: () => string
  /** Resolves when the process has exited, with its code or the signal that ended it. */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>
}

/** Start test/reliability/worker.ts in its own node process, straight from the TypeScript sources. */
export const startWorker = (args: ReadonlyArray<string>): Worker => {
  const child = spawn(process.execPath, ['-r', register, worker, ...args], { stdio: 'pipe' })
  let out = ''
  let err = ''
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString() })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }))
  })
  return { child, stdout: () => out, stderr: () => err, exited }
}

/** Resolves once the worker printed `line` on a line of its own; rejects if it exits first. */
export const printed = (worker: Worker, line: string): Promise<void> => new Promise((resolve, reject) => {
  const check = (): void => {
    if (worker.stdout().split('\n').includes(line)) resolve()
  }
  worker.child.stdout.on('data', check)
  check()
  void worker.exited.then(({ code, signal }) =>
    reject(new Error(`worker exited (code ${code}, signal ${signal}) before printing "${line}": ${worker.stderr()}`)))
})

/** Run a worker to its end and fail unless it exits 0; returns its output. */
export const runWorker = async (args: ReadonlyArray<string>): Promise<string> => {
  const started = startWorker(args)
  const { code, signal } = await started.exited
  if (code !== 0) throw new Error(`worker ${args.join(' ')} ended with code ${code}, signal ${signal}:\n${started.stderr()}`)
  return started.stdout()
}

/** The JSON a worker printed on its last line. */
export const lastJsonLine = <A>(output: string): A => JSON.parse(output.trim().split('\n').at(-1) ?? 'null') as A
