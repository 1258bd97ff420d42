/** The stand-in's Append (client streaming) and BatchAppend (bidirectional) calls. */
import * as grpc from '@grpc/grpc-js'
import { Empty as GoogleEmpty } from 'google-protobuf/google/protobuf/empty_pb'
import * as shared from '@eventstore/db-client/generated/shared_pb'
import { Code } from '@eventstore/db-client/generated/code_pb'
import * as status from '@eventstore/db-client/generated/status_pb'
import * as streams from '@eventstore/db-client/generated/streams_pb'
import { AppendOutcome, Expected, Log, Proposed } from './log'
import {
  appendSuccess, appendWrongVersion, BadRequest, batchSuccess, detailsOf, expectedOfAppend, expectedOfBatch, identifierOf,
  proposedOf, streamNameOf, wrongVersionDetails,
} from './messages'

/** How the node behaves, changeable while it runs. */
export interface Behaviour {
  /** Milliseconds between deciding an append and answering it (a slow network after the write). */
  replyDelayMs: number
  /** Milliseconds before deciding an append (a busy node: the deadline may pass first). */
  decideDelayMs: number
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const errorWithMetadata = (code: grpc.status, details: string, entries: Record<string, string> = {}): Partial<grpc.StatusObject> => {
  const metadata = new grpc.Metadata()
  Object.entries(entries).forEach(([key, value]) => metadata.set(key, value))
  return { code, details, metadata }
}

const describeError = (error: unknown): Partial<grpc.StatusObject> =>
  errorWithMetadata(error instanceof BadRequest ? grpc.status.INVALID_ARGUMENT : grpc.status.INTERNAL, String(error instanceof Error ? error.message : error))

/** Streams/Append: options first, then one message per event; one answer. */
export const appendCall = (log: Log, behaviour: Behaviour) =>
  (call: grpc.ServerReadableStream<streams.AppendReq, streams.AppendResp>, callback: grpc.sendUnaryData<streams.AppendResp>): void => {
    let options: streams.AppendReq.Options | undefined
    const events: Proposed[] = []
    let failure: unknown
    call.on('data', (request: streams.AppendReq) => {
      try {
        if (request.hasOptions()) options = request.getOptions()
        else if (request.hasProposedMessage()) events.push(proposedOf(request.getProposedMessage() as streams.AppendReq.ProposedMessage))
      } catch (error) { failure ??= error }
    })
    call.on('end', () => {
      void (async () => {
        if (failure !== undefined || options === undefined) return callback(describeError(failure ?? new BadRequest('Append sent no options')))
        const streamId = streamNameOf(options.getStreamIdentifier())
        await sleep(behaviour.decideDelayMs)
        if (call.cancelled) return undefined
        const outcome = log.append(streamId, expectedOfAppend(options), events)
        await sleep(behaviour.replyDelayMs)
        return answerAppend(outcome, callback)
      })()
    })
  }

const answerAppend = (outcome: AppendOutcome, callback: grpc.sendUnaryData<streams.AppendResp>): void => {
  switch (outcome._tag) {
    case 'Written':
    case 'Idempotent':
      return callback(null, appendSuccess(outcome.currentRevision, outcome.position))
    case 'WrongExpectedVersion':
      return callback(null, appendWrongVersion(outcome.current, outcome.expected))
    case 'MaxAppendSizeExceeded':
      return callback(errorWithMetadata(grpc.status.INVALID_ARGUMENT, `Maximum Append Size of ${outcome.maxAppendSize} Exceeded.`, {
        exception: 'maximum-append-size-exceeded', 'maximum-append-size': String(outcome.maxAppendSize),
      }))
  }
}

interface PendingBatch {
  readonly streamId: string
  readonly expected: Expected
  readonly deadline: Date | undefined
  readonly events: Proposed[]
}

const batchError = (code: Code, message: string, details: ReturnType<typeof detailsOf>): status.Status =>
  new status.Status().setCode(code).setMessage(message).setDetails(details)

const batchAnswer = (request: PendingBatch, correlation: shared.UUID, outcome: AppendOutcome | 'Timeout'): streams.BatchAppendResp => {
  const answer = new streams.BatchAppendResp().setCorrelationId(correlation).setStreamIdentifier(identifierOf(request.streamId))
  switch (request.expected.kind) {
    case 'revision': answer.setStreamPosition(String(request.expected.revision)); break
    case 'no_stream': answer.setNoStream(new GoogleEmpty()); break
    case 'stream_exists': answer.setStreamExists(new GoogleEmpty()); break
    case 'any': answer.setAny(new GoogleEmpty()); break
  }
  if (outcome === 'Timeout') return answer.setError(batchError(Code.DEADLINE_EXCEEDED, 'Timeout', detailsOf('Timeout')))
  switch (outcome._tag) {
    case 'Written':
    case 'Idempotent':
      return answer.setSuccess(batchSuccess(outcome.currentRevision, outcome.position))
    case 'WrongExpectedVersion':
      return answer.setError(batchError(Code.FAILED_PRECONDITION, 'Wrong expected version', wrongVersionDetails(outcome.current, outcome.expected)))
    case 'MaxAppendSizeExceeded':
      return answer.setError(batchError(Code.INVALID_ARGUMENT, `Maximum Append Size of ${outcome.maxAppendSize} Exceeded.`,
        detailsOf('MaximumAppendSizeExceeded', outcome.maxAppendSize)))
  }
}

/** Streams/BatchAppend: requests grouped by correlation id until `is_final`, each answered on the same call. */
export const batchAppendCall = (log: Log, behaviour: Behaviour) =>
  (call: grpc.ServerDuplexStream<streams.BatchAppendReq, streams.BatchAppendResp>): void => {
    const pending = new Map<string, PendingBatch>()
    const decide = async (correlation: shared.UUID, request: PendingBatch): Promise<void> => {
      await sleep(behaviour.decideDelayMs)
      const expired = request.deadline !== undefined && request.deadline.getTime() < Date.now()
      const outcome = expired ? 'Timeout' : log.append(request.streamId, request.expected, request.events)
      await sleep(behaviour.replyDelayMs)
      if (!call.cancelled && call.writable) call.write(batchAnswer(request, correlation, outcome))
    }
    call.on('data', (request: streams.BatchAppendReq) => {
      try {
        const correlation = request.getCorrelationId()
        const key = correlation?.getString() ?? ''
        const options = request.getOptions()
        if (correlation === undefined || (options === undefined && !pending.has(key))) throw new BadRequest('a batch starts with its options and correlation id')
        const batch = pending.get(key) ?? {
          streamId: streamNameOf(options?.getStreamIdentifier()), expected: expectedOfBatch(options as streams.BatchAppendReq.Options),
          deadline: options?.getDeadline()?.toDate(), events: [],
        }
        pending.set(key, batch)
        batch.events.push(...request.getProposedMessagesList().map(proposedOf))
        if (!request.getIsFinal()) return
        pending.delete(key)
        void decide(correlation, batch)
      } catch (error) {
        call.emit('error', describeError(error))
      }
    })
    call.on('end', () => call.end())
  }
