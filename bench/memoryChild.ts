// Run in a child process by the memory benchmark: replay a log up to a position, print the peak RSS and how long the replay took.
import { replayLog } from './replay'

const main = async (): Promise<void> => {
  const [path, until] = process.argv.slice(2)
  if (path === undefined || until === undefined) throw new Error('usage: memoryChild PATH UNTIL')
  const started = performance.now()
  const events = await replayLog(path, Number(until))
  const seconds = (performance.now() - started) / 1000
  process.stdout.write(JSON.stringify({ events, seconds, maxRssBytes: process.resourceUsage().maxRSS * 1024 }))
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
