import { parseArgs } from 'node:util'
import { Flags, options, UsageError } from './io'

/** A command line as read: the positionals (the command's name first) and the flags. */
export interface CommandLine {
  readonly positionals: ReadonlyArray<string>
  readonly flags: Flags
}

const isOptionName = (name: string): name is keyof typeof options => Object.hasOwn(options, name)

const takesValue = (token: string): boolean => {
  const name = token.slice(2)
  return token.startsWith('--') && isOptionName(name) && options[name].type === 'string'
}

/** Whether a token is one of seatflow's options (`--json`, `--db=x`, `-h`). */
const isOption = (token: string): boolean => token === '-h' || (token.startsWith('--') && isOptionName(token.slice(2).split('=')[0] ?? ''))

/** `--position -1`: a value that starts with a dash but is none of seatflow's options belongs to its flag. */
const joinDashedValues = (argv: ReadonlyArray<string>): ReadonlyArray<string> => {
  const joined: string[] = []
  for (let i = 0; i < argv.length; i += 1) {
    const token = argv[i] ?? ''
    const next = argv[i + 1]
    const dashed = next !== undefined && next.startsWith('-') && next !== '--' && !isOption(next)
    joined.push(takesValue(token) && dashed ? `${token}=${next}` : token)
    if (takesValue(token) && dashed) i += 1
  }
  return joined
}

/** One line for what node:util's parseArgs refused (its own text may run over several lines). */
const usageOf = (error: { readonly code?: unknown; readonly message?: unknown }): UsageError => {
  const message = String(error.message)
  const flag = /'(-[^' ]+)/.exec(message)?.[1] ?? 'an option'
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`unknown option ${flag}`)
  if (message.includes('does not take an argument')) return new UsageError(`${flag} takes no value`)
  if (/argument missing|ambiguous/.test(message)) return new UsageError(`${flag} needs a value (write ${flag}=VALUE for one that starts with a dash)`)
  return new UsageError(message.split('\n')[0] ?? message)
}

/** An option a command may take several times (`invoice-mark --change A --change B`); where one is taken, `single` refuses a second. */
const repeatable = (name: string | undefined): boolean => name !== undefined && isOptionName(name) && 'multiple' in options[name]

const refuseRepeats = (tokens: ReadonlyArray<{ readonly kind: string; readonly name?: string; readonly rawName?: string }>): void => {
  const seen = new Set<string>()
  for (const token of tokens) {
    if (token.kind !== 'option' || token.rawName === undefined || repeatable(token.name)) continue
    if (seen.has(token.rawName)) throw new UsageError(`${token.rawName} is given twice: give it once`)
    seen.add(token.rawName)
  }
}

/** Read a command line; any mistake in it is a one-line usage error naming the flag. */
export const readCommandLine = (argv: ReadonlyArray<string>): CommandLine => {
  let parsed
  try {
    parsed = parseArgs({ args: [...joinDashedValues(argv)], options, allowPositionals: true, strict: true, tokens: true })
  } catch (error) {
    const shaped = typeof error === 'object' && error !== null ? error as { readonly code?: unknown; readonly message?: unknown } : {}
    if (String(shaped.code).startsWith('ERR_PARSE_ARGS')) throw usageOf(shaped)
    throw error
  }
  refuseRepeats(parsed.tokens)
  return { positionals: parsed.positionals, flags: parsed.values }
}

/** Refuse a flag the command does not take: it would otherwise be silently ignored. */
export const refuseOtherFlags = (command: string, flags: Flags, takes: ReadonlyArray<keyof Flags>): void => {
  const other = Object.keys(flags).find((flag) => flag !== 'help' && !takes.some((taken) => taken === flag))
  if (other !== undefined) throw new UsageError(`${command} does not take --${other}`)
}
