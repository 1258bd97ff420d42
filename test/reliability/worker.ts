/**
 * A seatflow process for the reliability suite, run from the TypeScript sources:
 *   node -r ./test/support/register.js test/reliability/worker.ts --store sqlite:F --acks A --sink S ...
 * `--mode hammer` waits for "go" on stdin, then changes quantities and prints a summary line;
 * `--mode write` sends due reminders and runs commands (changes, two-way syncs, manual provisioning)
 * until `--commands` are done or it is killed; `--commands 0` only recovers: start (which processes
 * what is pending) and send what is due. Every acknowledged command is logged durably.
 */
import * as E from 'fp-ts/Either'
import { randomUUID } from 'node:crypto'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { Seatflow } from '../../src/app/seatflow'
import { defaultProviderIds } from '../../src/domain/ids'
import { openStorage } from '../../src/store/open'
import {
  Acknowledged, appendDurably, countingConflicts, createSharedClock, createSinkMailer, openReliabilityApp,
} from '../support/reliability'

const { values: args } = parseArgs({
  options: {
    mode: { type: 'string', default: 'write' },
    store: { type: 'string' },
    acks: { type: 'string' },
    sink: { type: 'string' },
    subscriptions: { type: 'string', default: '' },
    commands: { type: 'string', default: String(Number.MAX_SAFE_INTEGER) },
    'kill-after-sends': { type: 'string', default: '0' },
    clock: { type: 'string', default: '2026-01-05T09:00:00.000Z,0,0' },
  },
})

const required = (name: 'store' | 'acks' | 'sink'): string => {
  const value = args[name]
  if (value === undefined) throw new Error(`--${name} is required`)
  return value
}

const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(Math.random() * items.length)] as A
const quantity = (): number => 1 + Math.floor(Math.random() * 1000)
const refusals: Record<string, number> = {}

/** Run a command with a fresh correlation id; log it only once it is acknowledged. */
const acknowledge = async (
  command: Omit<Acknowledged, 'correlationId' | 'licenseChangeId'>,
  run: (correlationId: string) => Promise<E.Either<{ readonly _tag: string }, { readonly licenseChangeId: string }>>,
): Promise<void> => {
  const correlationId = randomUUID()
  const result = await run(correlationId)
  if (E.isLeft(result)) refusals[result.left._tag] = (refusals[result.left._tag] ?? 0) + 1
  else appendDurably(required('acks'), JSON.stringify({ ...command, correlationId, licenseChangeId: result.right.licenseChangeId }))
}

const changeQuantity = (app: Seatflow, subscriptionId: string, kind: 'change' | 'sync'): Promise<void> => {
  const target = quantity()
  const input = (correlationId: string) => ({ subscriptionId, quantity: target, correlationId })
  return acknowledge({ kind, subscriptionId, quantity: target }, (correlationId) =>
    (kind === 'change' ? app.changeQuantity(input(correlationId)) : app.recordProviderQuantity(input(correlationId))))
}

/** A person provisions the oldest Manual change whose request went out. */
const provisionOldest = async (app: Seatflow): Promise<boolean> => {
  const open = (await app.licenseChangeLog()).find((row) =>
    row.providerKind === 'Manual' && row.status === 'Awaiting Provisioning' && row.requestedAt !== null)
  if (open === undefined) return false
  await acknowledge({ kind: 'provision' }, (correlationId) =>
    app.markProvisioned({ licenseChangeId: open.licenseChangeId, by: 'Dana', correlationId }))
  return true
}

const writeOnce = async (app: Seatflow, subscriptions: ReadonlyArray<string>): Promise<void> => {
  await app.sendDueReminders()
  const roll = Math.random()
  if (roll < 0.2 && await provisionOldest(app)) return
  const automatic = (await app.subscriptions()).filter((row) => row.providerId === defaultProviderIds.partnerCenter)
  if (roll < 0.3 && automatic.length > 0) return changeQuantity(app, pick(automatic).subscriptionId, 'sync')
  return changeQuantity(app, pick(subscriptions), 'change')
}

const waitForGo = (): Promise<void> => new Promise((resolve) => {
  const lines = createInterface({ input: process.stdin })
  lines.on('line', (line) => { if (line === 'go') { lines.close(); process.stdin.destroy(); resolve() } })
})

const main = async (): Promise<void> => {
  const [base = '', t0 = '0', speed = '0'] = (args.clock ?? '').split(',')
  const killAfter = Number(args['kill-after-sends'])
  const mailer = createSinkMailer(required('sink'), (sends) => { if (sends === killAfter) process.kill(process.pid, 'SIGKILL') })
  const counted = countingConflicts(openStorage(required('store')))
  const app = await openReliabilityApp({ storage: counted.storage, mailer, clock: createSharedClock(base, Number(t0), Number(speed)) })
  const subscriptions = (args.subscriptions ?? '').split(',').filter((id) => id !== '')
  const commands = Number(args.commands)
  console.log('ready')
  if (args.mode === 'hammer') await waitForGo()
  else await app.sendDueReminders()
  for (let done = 0; done < commands; done += 1) {
    if (args.mode === 'hammer') await changeQuantity(app, pick(subscriptions), 'change')
    else await writeOnce(app, subscriptions)
  }
  await app.close()
  console.log(JSON.stringify({ refusals, conflicts: counted.conflicts }))
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error))
  process.exit(1)
})
