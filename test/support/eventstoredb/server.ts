/**
 * An in-process gRPC stand-in for an EventStoreDB node, for tests and manual trials: it speaks
 * the protocol the unmodified `@eventstore/db-client` 6.2.1 uses, with the client's own generated
 * service definitions, and keeps its events in memory.
 *
 * What it models:
 * - ServerFeatures/GetSupportedMethods, advertising Streams/BatchAppend or not (`batchAppend`).
 * - Streams/Append (options, then one message per event) and Streams/BatchAppend (requests grouped
 *   by correlation id until `is_final`, answers echo the correlation id and the stream).
 * - Expected revision checks and the node's idempotency rules (a retry with the same ids and the
 *   same expected revision is acknowledged without writing; ANY/STREAM_EXISTS check ids; a partial
 *   match is a wrong expected version), wrong_expected_version on both append paths.
 * - The maximum append size (1,048,576 bytes of data and metadata by default), refused as the node
 *   refuses it on each path.
 * - Deadlines: BatchAppend requests carry one; a request decided after it is refused with Timeout.
 *   `behaviour.decideDelayMs` and `replyDelayMs` make the node slow before or after writing.
 * - Streams/Read: stream reads forwards and backwards from a revision, stream_not_found for a
 *   missing stream, $all reads (forward inclusive, backward exclusive), and catch-up subscriptions
 *   to $all with confirmation, caught_up, live events, server-side filters and checkpoints.
 * - Positions: sparse byte offsets; one-event appends commit implicitly (commit = prepare), the
 *   events of a multi-event append share one commit position after their prepares.
 * - `$`-prefixed system events at the start of $all, and optionally one more after every n appends.
 *
 * What it does NOT model (a real node may differ here, and only a run against one proves it):
 * - clusters, gossip, leader election, NotLeader redirects, TLS and authentication, ACLs;
 * - deleting and tombstoning streams, stream metadata ($maxCount, $maxAge, $tb), scavenging;
 * - link events and resolveLinkTos, projections and their streams, persistent subscriptions,
 *   subscriptions to a single stream, fell_behind, backpressure and the search window of filters;
 * - the node's own validation of JSON content, event type rules and message size limits of gRPC;
 * - durability: everything is gone when the process ends.
 */
import * as grpc from '@grpc/grpc-js'
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb'
import * as features from '@eventstore/db-client/generated/serverfeatures_pb'
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb'
import { appendCall, batchAppendCall, Behaviour } from './appends'
import { createLog, Log } from './log'
import { readCall } from './reads'

/** Options of a stand-in. */
export interface StandInOptions {
  /** Advertise Streams/BatchAppend (as every node since 21.10 does). Default: true. */
  readonly batchAppend?: boolean
  /** Default: 1,048,576, a node's default MaxAppendSize. */
  readonly maxAppendSize?: number
  /** Write a `$statsCollected` system event after every n appends (0: never). Default: 0. */
  readonly systemEventEvery?: number
  /** Port on 127.0.0.1; 0 picks a free one. Default: 0. */
  readonly port?: number
}

/** A running stand-in. */
export interface StandIn {
  readonly port: number
  /** A connection string the client accepts. */
  readonly url: string
  readonly log: Log
  readonly behaviour: Behaviour
  /** How many Append and BatchAppend calls the node answered: which path the client took. */
  readonly calls: { append: number; batchAppend: number }
  /** Stop serving; open calls are cut. */
  readonly stop: () => Promise<void>
}

const streamsService = (name: string) => ({ methodName: name, serviceName: 'event_store.client.streams.streams', features: [] as string[] })

const supportedMethods = (batchAppend: boolean): features.SupportedMethods => {
  const methods = ['read', 'append', ...(batchAppend ? ['batchappend'] : [])].map(streamsService)
  return new features.SupportedMethods().setEventStoreServerVersion('23.10.0-standin').setMethodsList(methods.map((method) =>
    new features.SupportedMethod().setMethodName(method.methodName).setServiceName(method.serviceName).setFeaturesList(method.features)))
}

const seedSystemEvents = (log: Log): void => {
  log.writeSystem('$$$settings', '$metadata', { $acl: { $r: '$admins' } })
  log.writeSystem('$settings', '$settings', { $userStreamAcl: { $r: '$all' } })
  log.writeSystem('$$$stats-127.0.0.1:2113', '$metadata', { $maxAge: 86400 })
  log.writeSystem('$stats-127.0.0.1:2113', '$statsCollected', { 'proc-cpu': 0.1 })
}

const unimplemented = (name: string) => (_call: unknown, callback?: grpc.sendUnaryData<never>): void => {
  callback?.({ code: grpc.status.UNIMPLEMENTED, details: `${name} is not modelled by the stand-in` })
}

/** Start a stand-in on 127.0.0.1. */
export const startStandIn = async (options: StandInOptions = {}): Promise<StandIn> => {
  const log = createLog({ maxAppendSize: options.maxAppendSize ?? 1_048_576 })
  seedSystemEvents(log)
  const behaviour: Behaviour = { replyDelayMs: 0, decideDelayMs: 0 }
  const every = options.systemEventEvery ?? 0
  let appends = 0
  const append = log.append
  const counted: Log = {
    ...log,
    append: (...args) => {
      const outcome = append(...args)
      appends += outcome._tag === 'Written' ? 1 : 0
      if (every > 0 && outcome._tag === 'Written' && appends % every === 0) log.writeSystem('$stats-127.0.0.1:2113', '$statsCollected', { appends })
      return outcome
    },
  }
  const calls = { append: 0, batchAppend: 0 }
  const append1 = appendCall(counted, behaviour)
  const batch = batchAppendCall(counted, behaviour)
  const server = new grpc.Server()
  server.addService(ServerFeaturesService, {
    getSupportedMethods: (_call: unknown, callback: grpc.sendUnaryData<features.SupportedMethods>) =>
      callback(null, supportedMethods(options.batchAppend ?? true)),
  })
  server.addService(StreamsService, {
    read: readCall(counted),
    append: (...args: Parameters<typeof append1>) => { calls.append += 1; append1(...args) },
    batchAppend: (...args: Parameters<typeof batch>) => { calls.batchAppend += 1; batch(...args) },
    delete: unimplemented('Streams/Delete'),
    tombstone: unimplemented('Streams/Tombstone'),
  })
  const port = await new Promise<number>((resolve, reject) => server.bindAsync(`127.0.0.1:${options.port ?? 0}`,
    grpc.ServerCredentials.createInsecure(), (error, bound) => (error === null ? resolve(bound) : reject(error))))
  return {
    port,
    url: `esdb://127.0.0.1:${port}?tls=false`,
    log: counted,
    behaviour,
    calls,
    // Open BatchAppend streams and subscriptions never end by themselves: cut them.
    stop: async () => { server.forceShutdown() },
  }
}
