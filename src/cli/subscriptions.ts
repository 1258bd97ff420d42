import { ProviderRow, SubscriptionRow } from '../projections/catalog'
import { withSeatflow } from './answer'
import { Flags, Io, json } from './io'
import { storeOf } from './store'
import { table } from './table'

/** A subscription as `subscriptions --json` gives it: its row and its provider's name. */
export type SubscriptionLine = SubscriptionRow & { readonly provider: string }

/** What a provider is set up to do, in a few words: its email or its system. */
const setup = (row: ProviderRow): string => {
  switch (row.configuration.kind) {
    case 'Do Nothing': return 'nothing to provision'
    case 'Manual': return `email ${row.configuration.provisioningEmail}`
    case 'Automatic': return `${row.configuration.system} API, ${row.configuration.maxAttempts} attempts`
  }
}

const statusText = (row: SubscriptionRow): string => row.status === 'Suspended' ? `Suspended (${row.suspendedReason ?? 'no reason'})` : row.status

/** Subscriptions as people read them. */
export const subscriptionTable = (lines: ReadonlyArray<SubscriptionLine>): string =>
  lines.length === 0 ? '(no subscriptions)' : table(
    ['Subscription', 'Product', 'Provider', 'Quantity', 'Status', 'Bundle parent'],
    lines.map((line) => [
      line.subscriptionId, line.product, line.provider, String(line.quantity), statusText(line),
      line.bundle === null ? '' : `${line.bundle.parentId} x${line.bundle.multiplier}`,
    ]),
    80,
  )

/** Providers as people read them. */
export const providerTable = (rows: ReadonlyArray<ProviderRow>): string =>
  rows.length === 0 ? '(no providers)' : table(
    ['Provider', 'Name', 'Kind', 'Active', 'Set up'],
    rows.map((row) => [row.providerId, row.name, row.kind, row.active ? 'yes' : 'no (deactivated)', setup(row)]),
    80,
  )

/** `seatflow subscriptions`: every subscription with its provider, quantity, status and bundle parent (read-only). */
export const subscriptionsCommand = (flags: Flags, io: Io): Promise<number> =>
  withSeatflow(storeOf(flags), 'read', {}, async (app) => {
    const names = new Map((await app.providers()).map((row) => [row.providerId, row.name]))
    const lines = [...await app.subscriptions()]
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.subscriptionId.localeCompare(b.subscriptionId))
      .map((row): SubscriptionLine => ({ ...row, provider: names.get(row.providerId) ?? row.providerId }))
    io.out(flags.json === true ? json(lines) : subscriptionTable(lines))
    return 0
  })

/** `seatflow providers`: every provider with its kind and what it is set up to do (read-only). */
export const providersCommand = (flags: Flags, io: Io): Promise<number> =>
  withSeatflow(storeOf(flags), 'read', {}, async (app) => {
    const rows = [...await app.providers()].sort((a, b) => a.registeredAt.localeCompare(b.registeredAt) || a.name.localeCompare(b.name))
    io.out(flags.json === true ? json(rows) : providerTable(rows))
    return 0
  })
