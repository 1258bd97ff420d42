import { Readable } from 'node:stream'
import { run } from '../../src/cli/main'

/** Run the CLI in-process with these arguments: its exit code and what it printed. */
export const cli = async (...argv: string[]) => cliReading(undefined, ...argv)

/** Run the CLI in-process with `input` piped into it (import). */
export const cliReading = async (input: string | undefined, ...argv: string[]) => {
  const out: string[] = []
  const err: string[] = []
  const code = await run(argv, {
    out: (text) => out.push(text), err: (text) => err.push(text),
    ...(input === undefined ? {} : { input: Readable.from([input]) }),
  })
  return { code, out: out.join('\n'), err: err.join('\n') }
}
