import * as E from 'fp-ts/Either'
import { decodeOrThrow, decodeRecorded } from '../../domain/envelope'
import { EventStore, NewEvent } from '../../store/port'
import { EventLine, fingerprintOf, metadataOf, parseEventLine, rawOf, toEventLine } from './eventLine'

/** How far a long read or write has come: events done, and the global position reached (when known). */
export interface ProgressTick {
  readonly events: number
  readonly position?: number
  /** How many events there are in all, when known. */
  readonly total?: number
}

/** Told after every batch of a long read or write. */
export type ProgressListener = (tick: ProgressTick) => void

/** Options of an export. */
export interface ExportOptions {
  /** Export the events at this global position and after (default 1: all). */
  readonly from?: number
  /** Where each batch of lines goes; awaited, so a slow reader slows the export instead of filling memory. */
  readonly write: (chunk: string) => void | Promise<void>
  readonly onProgress?: ProgressListener
  readonly batchSize?: number
}

/**
 * Write every event from a position on as NDJSON, one batch at a time (never the whole log in
 * memory). Every event is validated first: an unreadable one stops the export with where it is.
 */
export const exportEvents = async (store: EventStore, options: ExportOptions): Promise<{ readonly events: number; readonly position: number }> => {
  let events = 0
  let position = 0
  const after = Math.max(0, (options.from ?? 1) - 1)
  for await (const batch of store.readAll({ after, ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }) })) {
    batch.forEach((event) => decodeOrThrow(event))
    await options.write(batch.map((event) => `${JSON.stringify(toEventLine(event))}\n`).join(''))
    events += batch.length
    position = batch[batch.length - 1]?.position ?? position
    options.onProgress?.({ events, position })
  }
  return { events, position }
}

/** Where an import reads its lines: called once to validate the whole input and once more to write it. */
export type LineSource = () => AsyncIterable<string>

/** Why an import wrote nothing: the first bad line and what is wrong with it. */
export interface ImportRefused {
  readonly _tag: 'ImportRefused'
  readonly line: number
  readonly reason: string
}

/** One sentence for a refused import. */
export const describeImportRefused = (refused: ImportRefused): string => `line ${refused.line}: ${refused.reason}; nothing was imported`

/** What an import did. */
export interface ImportReport {
  /** Events in the input. */
  readonly events: number
  /** Events written now. */
  readonly written: number
  /** Events the store held already (an earlier, interrupted run of the same import). */
  readonly alreadyThere: number
}

interface StreamPlan {
  /** Fingerprints of the events the store holds in this stream, by revision. */
  readonly stored: ReadonlyArray<string>
  next: number | null
}

const planOf = async (store: EventStore, stream: string): Promise<StreamPlan> => ({
  stored: (await store.readStream(stream)).map((event) => fingerprintOf(toEventLine(event))),
  next: null,
})

/** Check one line against its stream: dense revisions from the store's state, and the same events where the store has them. */
const checkRevision = (line: EventLine, plan: StreamPlan): string | null => {
  const expected = plan.next ?? Math.min(line.revision, plan.stored.length)
  if (line.revision !== expected) {
    return `stream ${line.stream} goes to revision ${line.revision} where ${expected} must come (the store holds ${plan.stored.length} event(s) of it): revisions of a stream must follow each other`
  }
  const stored = plan.stored[line.revision]
  if (stored !== undefined && stored !== fingerprintOf(line)) {
    return `the store already holds another event at stream ${line.stream} revision ${line.revision}: it holds a conflicting stream; import into a fresh store`
  }
  plan.next = line.revision + 1
  return null
}

const checkLine = async (store: EventStore, text: string, number: number, seen: Set<string>, plans: Map<string, StreamPlan>)
: Promise<string | null> => {
  const parsed = parseEventLine(text)
  if (E.isLeft(parsed)) return parsed.left
  const line = parsed.right
  const decoded = decodeRecorded(rawOf(line, number))
  if (E.isLeft(decoded)) return `${line.type} of stream ${line.stream} revision ${line.revision} is unreadable: ${decoded.left.reason}`
  if (seen.has(line.id)) return `event id ${line.id} appears twice in the input`
  seen.add(line.id)
  const plan = plans.get(line.stream) ?? await planOf(store, line.stream)
  plans.set(line.stream, plan)
  return checkRevision(line, plan)
}

/** Validate the whole input; answers how many events of each stream the store already holds. */
const validate = async (store: EventStore, source: LineSource, onProgress?: ProgressListener)
: Promise<E.Either<ImportRefused, { readonly events: number; readonly storedCounts: ReadonlyMap<string, number> }>> => {
  const plans = new Map<string, StreamPlan>()
  const seen = new Set<string>()
  let number = 0
  for await (const text of source()) {
    number += 1
    if (text.trim() === '') continue
    const problem = await checkLine(store, text, number, seen, plans)
    if (problem !== null) return E.left({ _tag: 'ImportRefused', line: number, reason: problem })
    if (seen.size % 1000 === 0) onProgress?.({ events: seen.size })
  }
  return E.right({ events: seen.size, storedCounts: new Map([...plans].map(([stream, plan]) => [stream, plan.stored.length])) })
}

const maxBatchEvents = 200
const maxBatchBytes = 512 * 1024

/**
 * Import an export into a store: the whole input is validated first (every line parses, every
 * event decodes through the codecs and upcasters, revisions are dense per stream from the
 * store's current state, and events the store already holds are the same) and nothing is
 * written if any line is bad. Ids, order and metadata are kept. Appends carry exact expected
 * revisions and the original ids, so a run interrupted half-way can be run again: what is there
 * is skipped, the rest is written once.
 */
export const importEvents = async (store: EventStore, source: LineSource, onProgress?: ProgressListener)
: Promise<E.Either<ImportRefused, ImportReport>> => {
  const checked = await validate(store, source, onProgress)
  if (E.isLeft(checked)) return checked
  const { events, storedCounts } = checked.right
  let written = 0
  let alreadyThere = 0
  let batch: { stream: string; revision: number; events: NewEvent[]; bytes: number } | null = null
  const flush = async (): Promise<void> => {
    if (batch === null) return
    const { stream, revision } = batch
    const appended = await store.append(stream, revision === 0 ? 'no_stream' : revision - 1, batch.events)
    if (E.isLeft(appended)) {
      throw new Error(`the store changed while importing (${appended.left._tag} at stream ${stream}); `
        + `${written} event(s) were written: run the import again to finish it`)
    }
    written += batch.events.length
    onProgress?.({ events: written + alreadyThere, total: events })
    batch = null
  }
  for await (const text of source()) {
    if (text.trim() === '') continue
    const line = E.getOrElseW((reason: string) => { throw new Error(`the input changed after it was validated: ${reason}`) })(parseEventLine(text))
    if (line.revision < (storedCounts.get(line.stream) ?? 0)) { alreadyThere += 1; continue }
    const event: NewEvent = { eventId: line.id, type: line.type, data: line.data, metadata: metadataOf(line) }
    if (batch !== null && (batch.stream !== line.stream || batch.events.length >= maxBatchEvents || batch.bytes >= maxBatchBytes)) await flush()
    batch ??= { stream: line.stream, revision: line.revision, events: [], bytes: 0 }
    batch.events.push(event)
    batch.bytes += text.length
  }
  await flush()
  return E.right({ events, written, alreadyThere })
}
