import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh folder for one benchmark's files, and a way to remove it. */
export const scratchFolder = (name: string) => {
  const folder = mkdtempSync(join(tmpdir(), `seatflow-bench-${name}-`))
  return { path: (file: string): string => join(folder, file), remove: (): void => rmSync(folder, { recursive: true, force: true }) }
}
