import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { BenchResult } from './support/report'

const peakOf = (path: string, until: number): { readonly events: number; readonly maxRssBytes: number } =>
  JSON.parse(execFileSync(process.execPath, [join(__dirname, 'memoryChild.js'), path, String(until)], { encoding: 'utf8' })) as {
    readonly events: number; readonly maxRssBytes: number
  }

const megabytes = (bytes: number): number => bytes / 1024 / 1024

/** Benchmark 3: peak RSS of a replay of the whole log against a replay of its first tenth, each in a fresh process. */
export const memoryBenchmark = (path: string, events: number): BenchResult => {
  const small = peakOf(path, Math.floor(events / 10))
  const large = peakOf(path, events)
  const ratio = large.maxRssBytes / small.maxRssBytes
  const underCap = megabytes(large.maxRssBytes) < 200
  return {
    name: `memory: peak RSS replaying ${large.events} events vs ${small.events} events`,
    seatflow: { label: `MB peak RSS, ${large.events} events`, value: megabytes(large.maxRssBytes) },
    baseline: { label: `MB peak RSS, ${small.events} events`, value: megabytes(small.maxRssBytes) },
    ratio, target: '<= 1.3 and under 200 MB', met: ratio <= 1.3 && underCap,
  }
}
