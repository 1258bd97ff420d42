import { NotAStoreError } from '../store/storage'
import { readCommandLine, refuseOtherFlags } from './args'
import { auditCommand, trailCommand } from './audit'
import { demoCommand } from './demo'
import { invoiceExportCommand, invoiceMarkCommand } from './invoicing'
import { Flags, Io, UsageError } from './io'
import { cancelCommand, moveCommand, reactivateCommand, suspendCommand } from './lifecycle'
import { logCommand } from './log'
import { processCommand, requeueCommand } from './processing'
import { provisionCommand, remindersCommand } from './provisioning'
import { serveCommand } from './serve'
import { providersCommand, subscriptionsCommand } from './subscriptions'
import { driftCommand, syncCommand } from './sync'
import { tokenCommand } from './tokens'
import { exportCommand, importCommand, writeStdout } from './transfer'

export type { Io } from './io'

const usage = `usage: seatflow <command> [options]
  demo       [--db FILE]                           the story of a seat change on all three providers
  log        --db FILE [--format table|json|csv] [--status S] [--provider NAME|ID|KIND] [--since ISO]
                                                   the License Change Log (--json: --format json)
  reminders  --db FILE [--now ISO] [--send] [--json]  reminders due (and send them)
  provision  --db FILE --change ID --by WHO [--note TEXT]  mark a Manual change provisioned
  requeue    --db FILE --change ID --by WHO --reason TEXT [--json]  re-queue a Failed Provisioning change
  subscriptions --db FILE [--json]                 every subscription: product, provider, quantity, status, bundle parent
  providers  --db FILE [--json]                    every provider: kind, what it is set up to do, active or not
  sync       --db FILE --subscription ID --quantity N [--changed-by WHO] [--changed-at ISO] [--json]
             --db FILE --all --gateways MODULE [--json]
                                                   record the provider's quantity (Not Applicable), or read them all
  drift      --db FILE [--gateways MODULE] [--json]  where the providers' quantities differ, and what a sync would record
  process    --db FILE [--gateways MODULE] [--json]  reactions, provisioning mails and gateway calls once; when to run again
  move       --db FILE --subscription ID --provider NAME|ID [--withdraw-unresolved] [--read-provider --gateways MODULE] [--json]
  suspend    --db FILE --subscription ID --reason TEXT [--json]   its changes are Not Applicable, its reminders stop
  reactivate --db FILE --subscription ID [--json]   bring the provider back to today's quantity
  cancel     --db FILE --subscription ID [--json]   a change to zero; it takes no further change
  invoice-export --db FILE --from ISO --to ISO [--json] > changes.csv
                                                   the Active License Changes recorded in the period (to exclusive)
  invoice-mark   --db FILE --run RUN_ID (--from ISO --to ISO | --change ID [--change ID ...]) [--json]
                                                   mark them invoiced (Archived); idempotent per billing run
  audit      --db FILE [--as-of ISO | --position N] [--json]
                                                   replay the log (up to a moment), check the invariants,
                                                   the License Change Log mismatch report
  trail      --db FILE (--subscription ID | --change ID) [--json]
                                                   every event that concerns it: when, who, caused by, result
  export     --db FILE [--from POSITION] > events.ndjson   every event, one JSON object a line
  import     --db FILE < events.ndjson             validate all, then write (nothing if a line is bad)
  serve      --store URL [--host 127.0.0.1] [--port 8080] [--sync-minutes N] [--recheck-seconds N]
             [--check-seconds N] [--ready-lag EVENTS] [--rate-limit N] [--reminder-hours H] [--gateways MODULE]
             [--public-url URL (with env SEATFLOW_LINK_SECRET)] [--link-days D] [--session-minutes M]
                                                   the HTTP API, the browser console at /, /healthz, /readyz,
                                                   /metrics and the worker, until SIGTERM or SIGINT (JSON logs on stdout)
  token      create --store URL --name NAME --role viewer|operator|admin [--json]   print a new API token once
  token      list --store URL [--json]  |  token revoke --store URL ID|NAME
  (--store URL may replace --db FILE: sqlite:PATH or a bare PATH, memory: or esdb://host:port?tls=false&views=PATH)
  log, reminders (without --send), audit, trail, export, subscriptions, providers, drift and invoice-export
  only read: they never create or change a file;
  every command refuses a file that is not a seatflow store, and leaves it as it was.
  mail goes to FILE-mail/ as .eml files (SEATFLOW_MAIL_DIR to change),
  or through an SMTP server when SEATFLOW_SMTP_URL is set (e.g. smtp://127.0.0.1:2525)`

/** A command: the flags it takes (any other is refused), how many operands it takes after its name, and what it does. */
interface Command {
  readonly takes: ReadonlyArray<keyof Flags>
  readonly operands?: number
  readonly run: (flags: Flags, io: Io, operands: ReadonlyArray<string>) => Promise<number>
}

const commands: Readonly<Record<string, Command>> = {
  demo: { takes: ['db', 'store'], run: demoCommand },
  log: { takes: ['db', 'store', 'format', 'json', 'status', 'provider', 'since'], run: logCommand },
  reminders: { takes: ['db', 'store', 'now', 'send', 'json'], run: remindersCommand },
  provision: { takes: ['db', 'store', 'change', 'by', 'note'], run: provisionCommand },
  requeue: { takes: ['db', 'store', 'change', 'by', 'reason', 'json'], run: requeueCommand },
  subscriptions: { takes: ['db', 'store', 'json'], run: subscriptionsCommand },
  providers: { takes: ['db', 'store', 'json'], run: providersCommand },
  sync: { takes: ['db', 'store', 'subscription', 'quantity', 'changed-by', 'changed-at', 'all', 'gateways', 'json'], run: syncCommand },
  drift: { takes: ['db', 'store', 'gateways', 'json'], run: driftCommand },
  process: { takes: ['db', 'store', 'gateways', 'json'], run: processCommand },
  move: { takes: ['db', 'store', 'subscription', 'provider', 'withdraw-unresolved', 'read-provider', 'gateways', 'json'], run: moveCommand },
  suspend: { takes: ['db', 'store', 'subscription', 'reason', 'json'], run: suspendCommand },
  reactivate: { takes: ['db', 'store', 'subscription', 'json'], run: reactivateCommand },
  cancel: { takes: ['db', 'store', 'subscription', 'json'], run: cancelCommand },
  'invoice-export': { takes: ['db', 'store', 'from', 'to', 'json'], run: invoiceExportCommand },
  'invoice-mark': { takes: ['db', 'store', 'run', 'from', 'to', 'change', 'json'], run: invoiceMarkCommand },
  audit: { takes: ['db', 'store', 'as-of', 'position', 'json'], run: auditCommand },
  trail: { takes: ['db', 'store', 'subscription', 'change', 'json'], run: trailCommand },
  export: { takes: ['db', 'store', 'from'], run: exportCommand },
  import: { takes: ['db', 'store'], run: importCommand },
  serve: {
    takes: ['db', 'store', 'host', 'port', 'sync-minutes', 'recheck-seconds', 'check-seconds', 'ready-lag', 'rate-limit', 'gateways', 'reminder-hours',
      'public-url', 'link-days', 'session-minutes'],
    run: serveCommand,
  },
  // token checks its flags per subcommand (create, list, revoke).
  token: { takes: ['db', 'store', 'name', 'role', 'json'], operands: 2, run: tokenCommand },
}

/** Run the CLI with these arguments; answers the exit code. User mistakes and broken stores print one line, never a stack. */
export const run = async (argv: ReadonlyArray<string>, io: Io): Promise<number> => {
  try {
    const { positionals, flags } = readCommandLine(argv)
    const name = positionals[0]
    if (flags.help === true || name === undefined) {
      io.out(usage)
      return name === undefined && flags.help !== true ? 2 : 0
    }
    const command = Object.hasOwn(commands, name) ? commands[name] : undefined
    const operands = positionals.slice(1)
    if (command === undefined || operands.length > (command.operands ?? 0)) throw new UsageError(`unknown command "${positionals.join(' ')}"`)
    refuseOtherFlags(name, flags, command.takes)
    return await command.run(flags, io, operands)
  } catch (error) {
    return reportFailure(error, io)
  }
}

/** One line for what went wrong; exit code 2 for a usage mistake (a bad flag, a file that is not a store), 1 otherwise. */
const reportFailure = (error: unknown, io: Io): number => {
  // Errors from Node itself may come from another realm (under a test runner): read them by shape.
  const shaped = typeof error === 'object' && error !== null ? error as { message?: unknown; stack?: unknown } : {}
  const message = shaped.message === undefined ? String(error) : String(shaped.message)
  io.err(`seatflow: ${message.replace(/\s*\n\s*/g, ' ')}`)
  if (process.env.SEATFLOW_DEBUG !== undefined && typeof shaped.stack === 'string') io.err(shaped.stack)
  return error instanceof UsageError || error instanceof NotAStoreError ? 2 : 1
}

/** The `seatflow` binary. */
export const main = (argv: ReadonlyArray<string>): Promise<number> => run(argv, {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  write: writeStdout,
  errIsTTY: process.stderr.isTTY === true,
  errRaw: (text) => process.stderr.write(text),
  ...(process.stdin.isTTY === true ? {} : { input: process.stdin }),
})
