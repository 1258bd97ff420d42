// npm run bench [-- --only replay,commands,memory,page,long,http,console] [--events N] [--commands N] [--changes N] [--runs N]
import { cpus, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { commandsBenchmark } from './commands'
import { consolePageBenchmark } from './consolePage'
import { httpChangesBenchmark, httpPageBenchmark } from './http'
import { longStreamBenchmark } from './longStream'
import { memoryBenchmark } from './memory'
import { pageBenchmark } from './page'
import { replayBenchmark } from './replay'
import { realisticLog } from './support/log'
import { BenchResult, describeResult } from './support/report'

const { values } = parseArgs({
  options: {
    only: { type: 'string' }, events: { type: 'string' }, commands: { type: 'string' }, changes: { type: 'string' },
    runs: { type: 'string' }, 'log-changes': { type: 'string' },
  },
})

const count = (text: string | undefined, fallback: number, flag: string): number => {
  const value = text === undefined ? fallback : Number(text)
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${flag} must be a positive integer, got ${text}`)
  return value
}

const say = (line: string): void => { process.stderr.write(`${line}\n`) }

const main = async (): Promise<void> => {
  const chosen = new Set((values.only ?? 'replay,commands,memory,page,long,http,console').split(','))
  const events = count(values.events, 1_000_000, 'events')
  const runs = count(values.runs, 2, 'runs')
  console.log(`seatflow benchmarks on Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`)
  const results: BenchResult[] = []
  const show = (result: BenchResult): void => {
    results.push(result)
    console.log(describeResult(result).join('\n'))
  }
  if (chosen.has('replay') || chosen.has('memory') || chosen.has('page')) {
    const log = await realisticLog(events, say)
    if (chosen.has('replay')) show(await replayBenchmark(log, runs))
    if (chosen.has('memory')) memoryBenchmark(log, events).forEach(show)
    if (chosen.has('page')) show(await pageBenchmark(log))
  }
  if (chosen.has('commands')) show(await commandsBenchmark(count(values.commands, 2000, 'commands'), runs))
  if (chosen.has('long')) show(await longStreamBenchmark(count(values.changes, 10_000, 'changes'), runs))
  if (chosen.has('http')) { show(await httpChangesBenchmark(runs)); show(await httpPageBenchmark(runs, say)) }
  if (chosen.has('console')) show(await consolePageBenchmark(count(values['log-changes'], 100_000, 'log-changes'), 51, say))
  console.log(`\n${results.filter((r) => r.met).length} of ${results.length} targets met`)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
