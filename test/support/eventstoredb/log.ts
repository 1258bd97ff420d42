/**
 * The stand-in's transaction log: events in memory with the positions, revisions and append
 * decisions an EventStoreDB node gives them (see server.ts for what is not modelled).
 *
 * Positions are byte offsets, as on a real node: sparse, starting after the system records.
 * A one-event append is committed implicitly (commit position = prepare position); the events of
 * a multi-event append share the commit position of a commit record written after them, and $all
 * is ordered by (commit, prepare), which is what makes resuming from inside such an append tricky.
 */

/** A position in $all. */
export interface LogPosition {
  readonly commit: number
  readonly prepare: number
}

/** An event as the log holds it. */
export interface LogRecord extends LogPosition {
  readonly id: string
  readonly streamId: string
  readonly revision: number
  readonly type: string
  readonly contentType: string
  data: Uint8Array
  metadata: Uint8Array
  /** .NET ticks (100 ns) since the Unix epoch. */
  readonly created: bigint
}

/** What an append expects of its stream. */
export type Expected =
  | { readonly kind: 'any' } | { readonly kind: 'no_stream' } | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: number }

/** An event an append proposes. */
export interface Proposed {
  readonly id: string
  readonly type: string
  readonly contentType: string
  readonly data: Uint8Array
  readonly metadata: Uint8Array
}

/** How the log answered an append. */
export type AppendOutcome =
  | { readonly _tag: 'Written'; readonly currentRevision: number; readonly position: LogPosition }
  | { readonly _tag: 'Idempotent'; readonly currentRevision: number; readonly position: LogPosition }
  | { readonly _tag: 'WrongExpectedVersion'; readonly current: number | 'no_stream'; readonly expected: Expected }
  | { readonly _tag: 'MaxAppendSizeExceeded'; readonly maxAppendSize: number }

const headerBytes = 100
const commitRecordBytes = 50

/** Compare two positions in $all order. */
export const comparePositions = (a: LogPosition, b: LogPosition): number =>
  a.commit !== b.commit ? a.commit - b.commit : a.prepare - b.prepare

const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8')

type Decision = { readonly _tag: 'Write' } | AppendOutcome

/** The log of one stand-in node. */
export const createLog = (options: { readonly maxAppendSize: number; readonly now?: () => Date }) => {
  const records: LogRecord[] = []
  const streams = new Map<string, LogRecord[]>()
  /** The last place each event id was committed at, as the node's idempotency cache. */
  const committed = new Map<string, LogRecord>()
  const listeners = new Set<() => void>()
  let end = 0

  const ticks = (): bigint => BigInt((options.now ?? (() => new Date()))().getTime()) * 10000n

  const write = (streamId: string, events: ReadonlyArray<Proposed>): ReadonlyArray<LogRecord> => {
    const first = (streams.get(streamId)?.length ?? 0)
    const prepares = events.map((event) => {
      const prepare = end
      end += headerBytes + byteLength(streamId) + byteLength(event.type) + event.data.length + event.metadata.length
      return prepare
    })
    const commit = events.length === 1 ? prepares[0] ?? end : end
    if (events.length > 1) end += commitRecordBytes
    const created = ticks()
    const written = events.map((event, i): LogRecord => ({
      ...event, streamId, revision: first + i, prepare: prepares[i] ?? 0, commit, created,
    }))
    records.push(...written)
    streams.set(streamId, [...(streams.get(streamId) ?? []), ...written])
    written.forEach((record) => committed.set(record.id, record))
    listeners.forEach((notify) => notify())
    return written
  }

  const placeOf = (record: LogRecord | undefined): LogPosition =>
    record === undefined ? { commit: -1, prepare: -1 } : { commit: record.commit, prepare: record.prepare }

  /** The idempotency check for ANY and STREAM_EXISTS: every id already in this stream, in a row. */
  const checkByIds = (streamId: string, ids: ReadonlyArray<string>, current: number): Decision => {
    const found = ids.map((id) => committed.get(id)).map((record) => (record?.streamId === streamId ? record : undefined))
    if (ids.length === 0 || found[0] === undefined) return { _tag: 'Write' }
    const last = found[found.length - 1]
    if (found.some((record) => record === undefined) || last === undefined) {
      return { _tag: 'WrongExpectedVersion', current, expected: { kind: 'any' } }
    }
    return { _tag: 'Idempotent', currentRevision: last.revision, position: placeOf(last) }
  }

  /** The idempotency check for a stale expected revision: the same ids stand right after it. */
  const checkStale = (stream: ReadonlyArray<LogRecord>, expectedRevision: number, ids: ReadonlyArray<string>, expected: Expected): Decision => {
    const current = stream.length - 1
    const matches = ids.every((id, i) => stream[expectedRevision + 1 + i]?.id === id)
    if (ids.length === 0 || !matches) return { _tag: 'WrongExpectedVersion', current, expected }
    const last = stream[expectedRevision + ids.length]
    return { _tag: 'Idempotent', currentRevision: expectedRevision + ids.length, position: placeOf(last) }
  }

  const decide = (streamId: string, expected: Expected, ids: ReadonlyArray<string>): Decision => {
    const stream = streams.get(streamId) ?? []
    if (stream.length === 0) {
      return expected.kind === 'any' || expected.kind === 'no_stream'
        ? { _tag: 'Write' } : { _tag: 'WrongExpectedVersion', current: 'no_stream', expected }
    }
    const current = stream.length - 1
    if (expected.kind === 'any' || expected.kind === 'stream_exists') {
      const byIds = checkByIds(streamId, ids, current)
      return byIds._tag === 'WrongExpectedVersion' ? { ...byIds, expected } : byIds
    }
    const expectedRevision = expected.kind === 'no_stream' ? -1 : expected.revision
    if (expectedRevision < current) return checkStale(stream, expectedRevision, ids, expected)
    if (expectedRevision > current) return { _tag: 'WrongExpectedVersion', current, expected }
    return { _tag: 'Write' }
  }

  const append = (streamId: string, expected: Expected, events: ReadonlyArray<Proposed>): AppendOutcome => {
    const size = events.reduce((sum, event) => sum + event.data.length + event.metadata.length, 0)
    if (size > options.maxAppendSize) return { _tag: 'MaxAppendSizeExceeded', maxAppendSize: options.maxAppendSize }
    const decision = decide(streamId, expected, events.map((event) => event.id))
    if (decision._tag !== 'Write') return decision
    const stream = streams.get(streamId) ?? []
    if (events.length === 0) return { _tag: 'Written', currentRevision: stream.length - 1, position: placeOf(stream.at(-1)) }
    const written = write(streamId, events)
    const last = written[written.length - 1]
    // The node answers with the commit position and the prepare position of the last event.
    return { _tag: 'Written', currentRevision: last?.revision ?? -1, position: placeOf(last) }
  }

  return {
    append,
    /** Write an event as the node itself does (system streams), bypassing the checks. */
    writeSystem: (streamId: string, type: string, data: object): LogRecord | undefined => write(streamId, [{
      id: crypto.randomUUID(), type, contentType: 'application/json', data: Buffer.from(JSON.stringify(data)), metadata: new Uint8Array(),
    }])[0],
    stream: (streamId: string): ReadonlyArray<LogRecord> | undefined => streams.get(streamId),
    records: (): ReadonlyArray<LogRecord> => records,
    /** Be told after every write; answers the function that stops it. */
    onWrite: (notify: () => void): (() => void) => { listeners.add(notify); return () => listeners.delete(notify) },
  }
}

/** A stand-in log. */
export type Log = ReturnType<typeof createLog>
