import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { BenchResult } from './support/report'

/** A replay in a fresh process: how many events, how long the replay took and the process's peak RSS. */
interface ChildReplay {
  readonly events: number
  readonly seconds: number
  readonly maxRssBytes: number
}

const replayInChild = (path: string, until: number): ChildReplay =>
  JSON.parse(execFileSync(process.execPath, [join(__dirname, 'memoryChild.js'), path, String(until)], { encoding: 'utf8' })) as ChildReplay

const megabytes = (bytes: number): number => bytes / 1024 / 1024
const microsecondsPerEvent = (replay: ChildReplay): number => (replay.seconds * 1e6) / replay.events

/**
 * Benchmarks 3 and 4, from the same two runs: a replay of the whole log and of its first tenth,
 * each in a fresh process; their peak RSS, and their time per event (flat as the log grows).
 */
export const memoryBenchmark = (path: string, events: number): ReadonlyArray<BenchResult> => {
  const small = replayInChild(path, Math.floor(events / 10))
  const large = replayInChild(path, events)
  const ratio = large.maxRssBytes / small.maxRssBytes
  const underCap = megabytes(large.maxRssBytes) < 200
  const perEvent = microsecondsPerEvent(large) / microsecondsPerEvent(small)
  return [{
    name: `memory: peak RSS replaying ${large.events} events vs ${small.events} events`,
    seatflow: { label: `MB peak RSS, ${large.events} events`, value: megabytes(large.maxRssBytes) },
    baseline: { label: `MB peak RSS, ${small.events} events`, value: megabytes(small.maxRssBytes) },
    ratio, target: '<= 1.3 and under 200 MB', met: ratio <= 1.3 && underCap,
  }, {
    name: `time per event: replaying ${large.events} events vs ${small.events} events (the same two runs)`,
    seatflow: { label: `µs per event, ${large.events} events`, value: microsecondsPerEvent(large) },
    baseline: { label: `µs per event, ${small.events} events`, value: microsecondsPerEvent(small) },
    ratio: perEvent, target: '<= 1.2', met: perEvent <= 1.2,
  }]
}
