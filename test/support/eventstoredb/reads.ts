/** The stand-in's Streams/Read call: stream reads, $all reads and catch-up subscriptions to $all. */
import { randomUUID } from 'node:crypto'
import * as grpc from '@grpc/grpc-js'
import * as streams from '@eventstore/db-client/generated/streams_pb'
import { comparePositions, Log, LogPosition, LogRecord } from './log'
import { checkpointOf, identifierOf, readEventOf, streamNameOf } from './messages'

type ReadCall = grpc.ServerWritableStream<streams.ReadReq, streams.ReadResp>
type Options = streams.ReadReq.Options

/** How many events a filtered subscription considers between two checkpoints, per unit of the multiplier. */
const checkpointWindow = 32

const countOf = (options: Options): number => Math.min(Number(options.getCount() || '0'), Number.MAX_SAFE_INTEGER)

const isBackwards = (options: Options): boolean => options.getReadDirection() === streams.ReadReq.Options.ReadDirection.BACKWARDS

const positionOf = (all: streams.ReadReq.Options.AllOptions): LogPosition | 'start' | 'end' => {
  if (all.hasStart()) return 'start'
  if (all.hasEnd()) return 'end'
  const position = all.getPosition()
  return { commit: Number(position?.getCommitPosition() ?? 0), prepare: Number(position?.getPreparePosition() ?? 0) }
}

/** The events of a stream read, or undefined when the stream does not exist. */
const streamRead = (log: Log, options: Options): { readonly streamId: string; readonly events?: ReadonlyArray<LogRecord> } => {
  const stream = options.getStream() as streams.ReadReq.Options.StreamOptions
  const streamId = streamNameOf(stream.getStreamIdentifier())
  const events = log.stream(streamId)
  if (events === undefined) return { streamId }
  const from = stream.hasStart() ? 'start' : stream.hasEnd() ? 'end' : Number(stream.getRevision())
  const chosen = isBackwards(options)
    ? [...events].reverse().filter((event) => from === 'end' || (from !== 'start' && event.revision <= from))
    : events.filter((event) => from === 'start' || (from !== 'end' && event.revision >= from))
  return { streamId, events: chosen.slice(0, countOf(options)) }
}

/** Forward reads of $all start at the position (inclusive); backward ones give what lies strictly before it. */
const allRead = (log: Log, options: Options): ReadonlyArray<LogRecord> => {
  const from = positionOf(options.getAll() as streams.ReadReq.Options.AllOptions)
  const records = log.records()
  const chosen = isBackwards(options)
    ? [...records].reverse().filter((r) => from === 'end' || (from !== 'start' && comparePositions(r, from) < 0))
    : records.filter((r) => from === 'start' || (from !== 'end' && comparePositions(r, from) >= 0))
  return chosen.slice(0, countOf(options))
}

/** The predicate of a subscription's server-side filter (stream name or event type; prefixes or a regex). */
const filterOf = (options: Options): ((record: LogRecord) => boolean) => {
  if (!options.hasFilter()) return () => true
  const filter = options.getFilter() as streams.ReadReq.Options.FilterOptions
  const onStream = filter.hasStreamIdentifier()
  const expression = (onStream ? filter.getStreamIdentifier() : filter.getEventType()) as streams.ReadReq.Options.FilterOptions.Expression
  const prefixes = expression.getPrefixList()
  const regex = expression.getRegex() === '' ? undefined : new RegExp(expression.getRegex())
  return (record) => {
    const value = onStream ? record.streamId : record.type
    return prefixes.length > 0 ? prefixes.some((prefix) => value.startsWith(prefix)) : regex?.test(value) ?? true
  }
}

/** A catch-up subscription to $all: confirmation, events after the start point, caught_up, then live events. */
const subscribeToAll = (log: Log, call: ReadCall, options: Options): void => {
  const from = positionOf(options.getAll() as streams.ReadReq.Options.AllOptions)
  const allowed = filterOf(options)
  const filtered = options.hasFilter()
  const interval = checkpointWindow * Math.max(1, options.getFilter()?.getCheckpointintervalmultiplier() ?? 1)
  let last: LogPosition | 'start' = from === 'end' ? log.records().at(-1) ?? 'start' : from
  let considered = 0
  const send = (): void => {
    const fresh = log.records().filter((r) => last === 'start' || comparePositions(r, last) > 0)
    for (const record of fresh) {
      last = record
      considered += 1
      if (allowed(record)) call.write(readEventOf(record))
      if (filtered && considered % interval === 0) call.write(checkpointOf(record))
    }
  }
  call.write(new streams.ReadResp().setConfirmation(new streams.ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())))
  send()
  if (filtered && last !== 'start') call.write(checkpointOf(last))
  call.write(new streams.ReadResp().setCaughtUp(new streams.ReadResp.CaughtUp()))
  const stop = log.onWrite(() => { if (!call.cancelled) send() })
  call.on('cancelled', stop)
  call.on('close', stop)
}

/** Streams/Read. A missing stream is a stream_not_found message, then the end of the call. */
export const readCall = (log: Log) => (call: ReadCall): void => {
  const options = call.request.getOptions()
  if (options === undefined) {
    call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: 'Read sent no options' })
    return
  }
  if (options.hasSubscription()) {
    if (options.hasAll()) subscribeToAll(log, call, options)
    else call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'stream subscriptions are not modelled by the stand-in' })
    return
  }
  if (options.hasStream()) {
    const { streamId, events } = streamRead(log, options)
    if (events === undefined) {
      call.write(new streams.ReadResp().setStreamNotFound(new streams.ReadResp.StreamNotFound().setStreamIdentifier(identifierOf(streamId))))
    } else {
      events.forEach((event) => call.write(readEventOf(event)))
    }
    call.end()
    return
  }
  allRead(log, options).forEach((event) => call.write(readEventOf(event)))
  call.end()
}
