import { isMainThread, parentPort, workerData } from 'node:worker_threads'
import { createViewsFold, finishFold, ViewsFold } from './replayFold'
import { FromFold, foldWorkerRole, ToFold } from './replayMessages'

/**
 * The replay's fold worker: it receives the log in batches of validated events from the thread
 * that reads the store (and audits it), folds them into the projections' scratch views and answers after
 * each batch, so the reading and the folding run on two cores.
 */

const failure = (error: unknown): FromFold => ({
  kind: 'failed',
  message: error instanceof Error ? error.message : String(error),
  stack: error instanceof Error ? error.stack ?? '' : '',
})

const answer = (fold: ViewsFold, message: ToFold): FromFold => {
  switch (message.kind) {
    case 'batch':
      fold.apply(message.events)
      return { kind: 'folded', ...fold.progress() }
    case 'finish':
      return { kind: 'finished', ...finishFold(fold, message.inspect) }
    case 'close':
      fold.close()
      return { kind: 'closed' }
  }
}

const serve = (): void => {
  const port = parentPort
  if (port === null) return
  const fold = createViewsFold()
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
