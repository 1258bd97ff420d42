import { Name } from '../domain/fields'
import { visible } from '../domain/text'
import { Role, roles, TokenRecord, tokenRegistry } from '../server/tokens'
import { refuseOtherFlags } from './args'
import { Flags, Io, json, required, UsageError } from './io'
import { openSeatflow, openStore, storeOf } from './store'
import { createSeatflow } from '../app/seatflow'
import { table } from './table'

const subcommands = ['create', 'list', 'revoke'] as const
type Subcommand = typeof subcommands[number]

const flagsOf: Readonly<Record<Subcommand, ReadonlyArray<keyof Flags>>> = {
  create: ['db', 'store', 'name', 'role', 'json'],
  list: ['db', 'store', 'json'],
  revoke: ['db', 'store', 'json'],
}

const isSubcommand = (text: string | undefined): text is Subcommand => subcommands.some((sub) => sub === text)
const isRole = (text: string): text is Role => roles.some((role) => role === text)

/** The token's name: the actor of every event its requests write, so it is checked as an actor is. */
const nameOf = (flags: Flags): string => {
  const name = required(flags.name, '--name')
  if (!Name.is(name)) throw new UsageError(`--name "${visible(name)}" must be a trimmed name of at most 200 characters without control characters (it is the actor of what the token's requests write)`)
  return name
}

const roleOf = (flags: Flags): Role => {
  const role = required(flags.role, '--role')
  if (!isRole(role)) throw new UsageError(`--role must be one of ${roles.join(', ')}, got "${visible(role)}"`)
  return role
}

const tokenTable = (tokens: ReadonlyArray<TokenRecord>): string => tokens.length === 0 ? '(no tokens)' : table(
  ['Id', 'Name', 'Role', 'Created', 'Revoked'],
  tokens.map((token) => [token.id, token.name, token.role, token.createdAt, token.revokedAt ?? '']),
)

/** A store's token registry, for one use; the store is closed after it. `make`: a store is made where none is (the first step of setting up a service). */
const withTokens = async <A>(flags: Flags, use: 'read' | 'write' | 'make', act: (tokens: ReturnType<typeof tokenRegistry>) => A): Promise<A> => {
  const store = storeOf(flags)
  const seatflow = use === 'make'
    ? await createSeatflow({ store: openStore(store, 'make'), actor: 'cli', autoProcess: false })
    : await openSeatflow(store, use)
  try {
    return act(tokenRegistry(seatflow.records))
  } finally { await seatflow.close() }
}

/**
 * `seatflow token create --name NAME --role ROLE` prints a new API token once (only its hash is
 * kept, in the store's records, never in the event log); `token list` shows every token without
 * its secret; `token revoke ID|NAME` revokes it (its requests answer 401 from then on).
 */
export const tokenCommand = async (flags: Flags, io: Io, operands: ReadonlyArray<string>): Promise<number> => {
  const [sub, target, ...more] = operands
  if (!isSubcommand(sub)) throw new UsageError(`token needs one of ${subcommands.join(', ')}${sub === undefined ? '' : `, not "${visible(sub)}"`}`)
  refuseOtherFlags(`token ${sub}`, flags, flagsOf[sub])
  if (more.length > 0 || (sub !== 'revoke' && target !== undefined)) throw new UsageError(`token ${sub} takes ${sub === 'revoke' ? 'one id or name' : 'no operand'}`)
  if (sub === 'create') {
    const name = nameOf(flags)
    const role = roleOf(flags)
    const made = await withTokens(flags, 'make', (tokens) => tokens.create(name, role))
    io.out(flags.json === true ? json({ token: made.token, ...made.record }) : made.token)
    io.err(`token ${made.record.id} "${name}" (${role}) made: it is shown this once; keep it now`)
    return 0
  }
  if (sub === 'list') {
    const tokens = await withTokens(flags, 'read', (registry) => registry.list())
    io.out(flags.json === true ? json(tokens) : tokenTable(tokens))
    return 0
  }
  if (target === undefined || target.trim() === '') throw new UsageError('token revoke needs the id or name of a token')
  const revoked = await withTokens(flags, 'write', (tokens) => tokens.revoke(target))
  if (revoked.length === 0) {
    io.err(`seatflow: no live token has the id or name "${visible(target)}" (see seatflow token list)`)
    return 1
  }
  io.out(flags.json === true ? json(revoked) : `revoked ${revoked.map((token) => `${token.id} "${token.name}"`).join(', ')}`)
  return 0
}
