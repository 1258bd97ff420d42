// Run in a child process by the memory benchmark: replay a log up to a position, print the peak RSS.
import { replayLog } from './replay'

const main = async (): Promise<void> => {
  const [path, until] = process.argv.slice(2)
  if (path === undefined || until === undefined) throw new Error('usage: memoryChild PATH UNTIL')
  const events = await replayLog(path, Number(until))
  process.stdout.write(JSON.stringify({ events, maxRssBytes: process.resourceUsage().maxRSS * 1024 }))
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
