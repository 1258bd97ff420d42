import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Where a record lies in a spill file: its first byte and its length in bytes. */
export interface Place {
  readonly offset: number
  readonly length: number
}

/**
 * A throwaway file of records that only grows: each record is written once, at the end, and read
 * back by its place. Appends gather in a buffer written out a few megabytes at a time; no sync,
 * no journal: it is scratch space, removed with its folder when closed.
 */
export interface SpillFile {
  /** Write a record (UTF-8) at the end and say where it lies. */
  readonly append: (text: string) => Place
  /** The bytes of a record (a view of a shared buffer: valid until the next read). */
  readonly read: (place: Place) => Uint8Array
  /** The record as text. */
  readonly readText: (place: Place) => string
  readonly close: () => void
}

const bufferBytes = 1024 * 1024

/** Open a spill file in a fresh folder under the system's temporary folder. */
export const openSpillFile = (): SpillFile => {
  const folder = mkdtempSync(join(tmpdir(), 'seatflow-replay-'))
  const fd = openSync(join(folder, 'rows.spill'), 'w+')
  const pending = Buffer.allocUnsafe(bufferBytes)
  let pendingBytes = 0
  let written = 0
  let reading = Buffer.allocUnsafe(64 * 1024)
  let open = true
  const live = (): void => { if (!open) throw new Error('the replay\'s spill file is closed') }

  const flush = (): void => {
    let done = 0
    while (done < pendingBytes) done += writeSync(fd, pending, done, pendingBytes - done, written + done)
    written += pendingBytes
    pendingBytes = 0
  }

  const append = (text: string): Place => {
    live()
    // A UTF-8 character takes at most three bytes per UTF-16 code unit.
    if (pendingBytes + text.length * 3 > bufferBytes) flush()
    if (text.length * 3 > bufferBytes) {
      const bytes = Buffer.from(text, 'utf8')
      let done = 0
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, written + done)
      written += bytes.length
      return { offset: written - bytes.length, length: bytes.length }
    }
    const length = pending.write(text, pendingBytes, 'utf8')
    pendingBytes += length
    return { offset: written + pendingBytes - length, length }
  }

  const read = ({ offset, length }: Place): Uint8Array => {
    live()
    if (offset >= written) return pending.subarray(offset - written, offset - written + length)
    if (reading.length < length) reading = Buffer.allocUnsafe(Math.max(length, reading.length * 2))
    let done = 0
    while (done < length) {
      const got = readSync(fd, reading, done, length - done, offset + done)
      if (got === 0) throw new Error(`the replay's spill file ends before the record at ${offset}`)
      done += got
    }
    return reading.subarray(0, length)
  }

  return {
    append,
    read,
    readText: (place) => {
      const bytes = read(place)
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
    },
    close: () => {
      if (!open) return
      open = false
      closeSync(fd)
      rmSync(folder, { recursive: true, force: true })
    },
  }
}
