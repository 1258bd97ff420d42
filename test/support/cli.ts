import { run } from '../../src/cli/main'

/** Run the CLI in-process with these arguments: its exit code and what it printed. */
export const cli = async (...argv: string[]) => {
  const out: string[] = []
  const err: string[] = []
  const code = await run(argv, { out: (text) => out.push(text), err: (text) => err.push(text) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}
