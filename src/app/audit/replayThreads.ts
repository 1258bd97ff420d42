import { extname, join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { InspectedViews } from '../../projections/mismatches'
import { StoredEvent } from '../../store/port'
import { StreamingViewStore } from '../../store/scratch'
import { AuditFold, createAuditFold, createViewsFold, finishFold, FoldResult } from './replayFold'
import { FromFold, foldWorkerRole, ToFold } from './replayMessages'

/** Told after each batch is folded: how many events so far, and the position of the last. */
export type FoldProgress = (progress: { readonly events: number; readonly position: number }) => void

/** A fold the reading thread feeds: in a worker thread, or in its own. */
export interface FoldClient {
  /** Hand a batch over; resolves when the fold can take another (a few batches wait at most). */
  readonly send: (batch: ReadonlyArray<StoredEvent>) => Promise<void>
  /** Wait for every batch, then the digest and the violations, and the views' summary and mismatch report if asked. */
  readonly finish: (inspect: boolean) => Promise<FoldFinished>
  /** Stop and remove the scratch views: after finish, or when the replay stops early. */
  readonly close: () => Promise<void>
}

/** What a fold gave at the end. */
export interface FoldFinished {
  readonly result: FoldResult
  readonly inspected: InspectedViews | null
}

/** A fold in the caller's thread, whose views stay at hand (to inspect them after the replay). */
export const foldInThread = (onFolded: FoldProgress): FoldClient & { readonly views: StreamingViewStore } => {
  const fold = createViewsFold()
  const audit = createAuditFold()
  return {
    send: async (batch) => {
      fold.apply(audit.observe(batch))
      onFolded(fold.progress())
    },
    finish: async (inspect) => {
      const { digest, inspected } = finishFold(fold, inspect)
      return { result: { digest, violations: audit.violations() }, inspected }
    },
    close: async () => {
      fold.close()
    },
    views: fold.views,
  }
}

/**
 * Starts the worker's module: compiled JavaScript as built, or TypeScript sources when seatflow
 * runs from them (its tests), compiled on load with @swc/core, the transform the tests use.
 */
const bootstrap = `
const { workerData } = require('node:worker_threads')
const load = require('node:module').createRequire(workerData.entry)
if (workerData.entry.endsWith('.ts')) {
  const { readFileSync } = require('node:fs')
  const { transformSync } = load('@swc/core')
  require.extensions['.ts'] = (module, filename) => module._compile(transformSync(readFileSync(filename, 'utf8'), {
    filename, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' },
  }).code, filename)
}
load(workerData.entry)
`

const errorOf = (reply: Extract<FromFold, { readonly kind: 'failed' }>): Error => {
  const error = new Error(`the replay's fold failed: ${reply.message}`)
  error.stack = `${error.message}\n${reply.stack}`
  return error
}

/** Replies in the order the messages went; the first failure fails every one still awaited. */
const repliesOf = (worker: Worker, onFolded: FoldProgress) => {
  const waiting: Array<{ readonly resolve: (reply: FromFold) => void; readonly reject: (error: Error) => void }> = []
  let broken: Error | null = null
  const breakWith = (error: Error): void => {
    broken ??= error
    for (const next of waiting.splice(0)) next.reject(broken)
  }
  worker.on('message', (reply: FromFold) => {
    const next = waiting.shift()
    if (reply.kind === 'failed') {
      const error = errorOf(reply)
      next?.reject(error)
      breakWith(error)
      return
    }
    if (reply.kind === 'folded') onFolded({ events: reply.events, position: reply.position })
    next?.resolve(reply)
  })
  worker.on('error', breakWith)
  worker.on('exit', (code) => breakWith(new Error(`the replay's fold worker stopped (exit code ${code})`)))
  return {
    ask: (message: ToFold): Promise<FromFold> => {
      if (broken !== null) return Promise.reject(broken)
      const reply = new Promise<FromFold>((resolve, reject) => waiting.push({ resolve, reject }))
      worker.postMessage(message)
      return reply
    },
    isBroken: (): boolean => broken !== null,
  }
}

/**
 * A fold in a worker thread: this thread validates and audits each batch, and the worker folds
 * the views; batches go over as validated events (structured clone), at most `inFlight` of them waiting.
 */
export const foldInWorker = (onFolded: FoldProgress, inFlight = 4): FoldClient => {
  const audit: AuditFold = createAuditFold()
  const entry = join(__dirname, `replayWorker${extname(__filename)}`)
  const worker = new Worker(bootstrap, { eval: true, workerData: { role: foldWorkerRole, entry } })
  const { ask, isBroken } = repliesOf(worker, onFolded)
  const sent: Array<Promise<FromFold>> = []
  const track = (reply: Promise<FromFold>): Promise<FromFold> => {
    reply.catch(() => undefined)
    sent.push(reply)
    return reply
  }
  return {
    send: async (batch) => {
      track(ask({ kind: 'batch', events: audit.observe(batch) }))
      while (sent.length >= inFlight) await sent.shift()
    },
    finish: async (inspect) => {
      while (sent.length > 0) await sent.shift()
      const reply = await ask({ kind: 'finish', inspect })
      if (reply.kind !== 'finished') throw new Error(`the replay's fold worker answered ${reply.kind} to finish`)
      return { result: { digest: reply.digest, violations: audit.violations() }, inspected: reply.inspected }
    },
    close: async () => {
      try {
        if (!isBroken()) await ask({ kind: 'close' })
      } catch {
        // It failed and closed its views already: nothing more to ask it.
      } finally {
        await worker.terminate()
      }
    },
  }
}
