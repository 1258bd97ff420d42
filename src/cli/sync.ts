import { DriftReport, SyncReport } from '../app/seatflow'
import { SyncResult } from '../app/processes/sync'
import { Drift } from '../providers/sync'
import { answer, withSeatflow } from './answer'
import { gatewaysFrom } from './gateways'
import { Flags, Io, isoFlag, json, required, UsageError, uuidFlag, wholeFlag } from './io'
import { mailOf, storeOf } from './store'
import { table } from './table'

/** One sync's outcome in words. */
export const syncLine = (result: SyncResult): string => {
  switch (result.outcome) {
    case 'recorded': return `subscription ${result.subscriptionId}: recorded the provider's quantity ${result.providerQuantity} (was ${result.seatflowQuantity}) as License Change ${result.licenseChangeId ?? ''}, Not Applicable`
    case 'unchanged': return `subscription ${result.subscriptionId}: the provider has ${result.providerQuantity}, as seatflow does; nothing recorded`
    case 'pending change': return `subscription ${result.subscriptionId}: the provider's ${result.providerQuantity} is explained by License Change ${result.waitingFor ?? ''}, still unresolved; nothing recorded`
  }
}

const failedLines = (io: Io, failed: SyncReport['failed']): number => {
  failed.forEach((failure) => io.err(`seatflow: subscription ${failure.subscriptionId} could not be read or synced: ${failure.reason}`))
  return failed.length === 0 ? 0 : 1
}

/** `sync --all`: read every Automatic subscription through the gateways and record what the providers changed. */
const syncAll = (flags: Flags, io: Io): Promise<number> => {
  for (const flag of ['subscription', 'quantity', 'changed-by', 'changed-at'] as const) {
    if (flags[flag] !== undefined) throw new UsageError(`--all reads every subscription's quantity from its provider: it takes no --${flag}`)
  }
  const store = storeOf(flags)
  const gateways = gatewaysFrom(required(flags.gateways, '--gateways'))
  return withSeatflow(store, 'write', { mailer: mailOf(store).mailer, gateways, autoProcess: true }, async (app) => {
    const report = await app.syncNow()
    const recorded = report.results.filter((result) => result.outcome === 'recorded').length
    io.out(flags.json === true ? json(report) : [...report.results.map(syncLine),
      `read ${report.results.length} subscription(s): ${recorded} recorded, ${report.results.length - recorded} unchanged or explained; ${report.failed.length} could not be read`].join('\n'))
    return failedLines(io, report.failed)
  })
}

/** `seatflow sync`: record the quantity a provider reports for one subscription, or with `--all` read them through the gateways. */
export const syncCommand = (flags: Flags, io: Io): Promise<number> => {
  if (flags.all === true) return syncAll(flags, io)
  if (flags.gateways !== undefined) throw new UsageError('--gateways goes with --all (sync --all --gateways MODULE)')
  const subscriptionId = uuidFlag(required(flags.subscription, '--subscription'), '--subscription', 'subscription') as string
  const quantity = wholeFlag(required(flags.quantity, '--quantity'), '--quantity', 0) as number
  const changedAt = isoFlag(flags['changed-at'], '--changed-at')
  const changedBy = flags['changed-by'] === undefined ? undefined : required(flags['changed-by'], '--changed-by')
  const store = storeOf(flags)
  const input = {
    subscriptionId, quantity, ...(changedBy === undefined ? {} : { changedBy }), ...(changedAt === undefined ? {} : { changedAt: changedAt.toISOString() }),
  }
  return withSeatflow(store, 'write', { mailer: mailOf(store).mailer, autoProcess: true }, async (app) =>
    answer(io, await app.syncFromProvider(input), (result) => flags.json === true ? json(result) : syncLine(result)))
}

const wouldRecord = (drift: Drift): string => drift.wouldRecord === null
  ? `nothing yet: License Change ${drift.waitingFor ?? ''} is unresolved`
  : `${drift.wouldRecord.previousQuantity} -> ${drift.wouldRecord.newQuantity}, Not Applicable, from the provider`

/** The drift report as people read it. */
export const driftTable = (report: DriftReport, products: ReadonlyMap<string, string>): string =>
  report.drift.length === 0 ? '(no drift)' : table(
    ['Subscription', 'Product', 'seatflow', 'Provider', 'Changed by', 'Changed at', 'A sync would record'],
    report.drift.map((drift) => [
      drift.subscriptionId, products.get(drift.subscriptionId) ?? '', String(drift.seatflowQuantity), String(drift.providerQuantity),
      drift.changedBy ?? '', drift.changedAt ?? '', wouldRecord(drift),
    ]),
    80,
  )

/** `seatflow drift`: the subscriptions whose provider quantity differs, and what a sync would record; reads, never writes. */
export const driftCommand = (flags: Flags, io: Io): Promise<number> => {
  const store = storeOf(flags)
  const gateways = gatewaysFrom(flags.gateways)
  return withSeatflow(store, 'read', { gateways }, async (app) => {
    const report = await app.driftReport()
    if (flags.json === true) io.out(json(report))
    else {
      const products = new Map((await app.subscriptions()).map((row) => [row.subscriptionId, row.product]))
      io.out(driftTable(report, products))
      if (flags.gateways === undefined) io.out('(no provider was read: give --gateways MODULE to read the automatic providers)')
    }
    return failedLines(io, report.failed)
  })
}

