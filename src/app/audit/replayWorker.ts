import { isMainThread, parentPort, workerData } from 'node:worker_threads'
import { RawEvent, UndecodableEventError } from '../../domain/envelope'
import { inspectViews } from '../../projections/mismatches'
import { createReplayFold, ReplayFold } from './replayFold'
import { FromFold, foldWorkerRole, ToFold } from './replayMessages'

/**
 * The replay's fold worker: it receives the log in batches of JSON text from the thread that
 * reads the store, folds them (validation, projections, audit, scratch views) and answers after
 * each batch, so the reading and the folding run on two cores.
 */

const failure = (error: unknown): FromFold => ({
  kind: 'failed',
  undecodable: error instanceof UndecodableEventError ? error.detail : null,
  message: error instanceof Error ? error.message : String(error),
  stack: error instanceof Error ? error.stack ?? '' : '',
})

const answer = (fold: ReplayFold, message: ToFold): FromFold => {
  switch (message.kind) {
    case 'batch':
      fold.apply(JSON.parse(message.events) as ReadonlyArray<RawEvent>)
      return { kind: 'folded', ...fold.progress() }
    case 'finish': {
      const result = fold.finish()
      return { kind: 'finished', result, inspected: message.inspect ? inspectViews(fold.views) : null }
    }
    case 'close':
      fold.close()
      return { kind: 'closed' }
  }
}

const serve = (): void => {
  const port = parentPort
  if (port === null) return
  const fold = createReplayFold()
  port.on('message', (message: ToFold) => {
    try {
      const reply = answer(fold, message)
      port.postMessage(reply)
      if (reply.kind === 'closed') port.close()
    } catch (error) {
      fold.close()
      port.postMessage(failure(error))
      port.close()
    }
  })
}

if (!isMainThread && (workerData as { readonly role?: unknown } | null)?.role === foldWorkerRole) serve()
