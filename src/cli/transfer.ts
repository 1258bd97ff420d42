import { once } from 'node:events'
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { pipeline } from 'node:stream/promises'
import * as E from 'fp-ts/Either'
import { describeImportRefused, exportEvents, importEvents, LineSource } from '../app/transfer/transfer'
import { Storage } from '../store/storage'
import { Flags, Io, UsageError, wholeFlag, writeOut } from './io'
import { createProgress } from './progress'
import { filesNotYetThere, openStore, storeOf, takeBack } from './store'

/** `seatflow export`: every event from a position on, as NDJSON on stdout. */
export const exportCommand = async (flags: Flags, io: Io): Promise<number> => {
  const from = wholeFlag(flags.from, '--from', 1)
  const storage = openStore(storeOf(flags), 'read')
  try {
    const progress = createProgress(io, 'exporting', await storage.events.lastPosition())
    const done = await exportEvents(storage.events, {
      ...(from === undefined ? {} : { from }), write: (chunk) => writeOut(io, chunk), ...(progress.tick === undefined ? {} : { onProgress: progress.tick }),
    })
    progress.end()
    if (io.errIsTTY === true) io.err(`exported ${done.events} event(s)${done.events > 0 ? ` up to position ${done.position}` : ''}`)
    return 0
  } finally { await storage.close() }
}

/** Copy the input to a file first: an import reads its input twice (validate all, then write). */
const spool = async (input: NodeJS.ReadableStream): Promise<{ readonly source: LineSource; readonly remove: () => void }> => {
  const folder = mkdtempSync(join(tmpdir(), 'seatflow-import-'))
  const file = join(folder, 'events.ndjson')
  try {
    await pipeline(input, createWriteStream(file))
  } catch (error) {
    rmSync(folder, { recursive: true, force: true })
    throw error
  }
  return {
    source: () => createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY }),
    remove: () => rmSync(folder, { recursive: true, force: true }),
  }
}

/** Import the spooled input into an open store: 0 when imported, 1 when refused (nothing written). */
const importInto = async (storage: Storage, input: LineSource, io: Io): Promise<number> => {
  const progress = createProgress(io, 'importing')
  const result = await importEvents(storage.events, input, progress.tick)
  progress.end()
  if (E.isLeft(result)) {
    io.err(`seatflow: ${describeImportRefused(result.left)}`)
    return 1
  }
  const { events, written, alreadyThere } = result.right
  io.out(`imported ${written} of ${events} event(s)${alreadyThere > 0 ? `; ${alreadyThere} were there already` : ''}`)
  return 0
}

/** Whether a storage holds no event (false when that cannot be told). */
const holdsNothing = async (storage: Storage): Promise<boolean> => storage.events.lastPosition().then((last) => last === 0, () => false)

/**
 * `seatflow import`: validate a whole export from stdin, then write it (nothing when a line is bad).
 * A store this run made is taken back when the run writes nothing: a refused import leaves no file.
 */
export const importCommand = async (flags: Flags, io: Io): Promise<number> => {
  const store = storeOf(flags)
  if (io.input === undefined) throw new UsageError('pipe an export into import: seatflow import --store URL < events.ndjson')
  const made = filesNotYetThere(store)
  const input = await spool(io.input)
  let keep = false
  try {
    const storage = openStore(store, 'make')
    try {
      const code = await importInto(storage, input.source, io)
      keep = code === 0
      return code
    } catch (error) {
      keep = !await holdsNothing(storage) // a run that stopped half-way keeps what it wrote: run it again to finish
      throw error
    } finally {
      await storage.close()
    }
  } finally {
    input.remove()
    if (!keep) takeBack(made)
  }
}

/** Write to stdout and wait while it is full, so a slow reader slows the export instead of filling memory. */
export const writeStdout = async (chunk: string): Promise<void> => {
  if (!process.stdout.write(chunk)) await once(process.stdout, 'drain')
}
