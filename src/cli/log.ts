import { LicenseChangeFilter, passes } from '../app/queries'
import { ProvisioningStatus } from '../domain/values'
import { LicenseChangeRow } from '../projections/licenseChangeLog'
import { csv } from './csv'
import { Flags, Io, isoFlag, json, UsageError, writeOut } from './io'
import { openSeatflow, storeOf } from './store'
import { licenseChangeTable } from './table'

/** The columns of `log --format csv`, in order. */
export const logColumns: ReadonlyArray<keyof LicenseChangeRow & string> = [
  'licenseChangeId', 'subscriptionId', 'product', 'billingContractId', 'contractOwnerEmail', 'providerId', 'provider',
  'providerKind', 'system', 'provisioningEmail', 'copiedEmails', 'previousQuantity', 'newQuantity', 'delta', 'origin',
  'status', 'recordedAt', 'requestedAt', 'lastNotifiedAt', 'remindersSent', 'attempts', 'pendingReference',
  'provisionedAt', 'provisionedBy', 'message',
]

const statuses: ReadonlyArray<ProvisioningStatus> = ['Not Applicable', 'Awaiting Provisioning', 'Provisioned', 'Failed Provisioning']
const formats = ['table', 'json', 'csv'] as const
type Format = (typeof formats)[number]

const formatOf = (flags: Flags): Format => {
  if (flags.json === true && flags.format !== undefined && flags.format !== 'json') throw new UsageError('--json and --format disagree: give one')
  const format = flags.format ?? (flags.json === true ? 'json' : 'table')
  const known = formats.find((f) => f === format)
  if (known === undefined) throw new UsageError(`--format must be table, json or csv, not "${format}"`)
  return known
}

const statusOf = (text: string | undefined): ProvisioningStatus | undefined => {
  if (text === undefined) return undefined
  const status = statuses.find((s) => s.toLowerCase() === text.trim().toLowerCase())
  if (status === undefined) throw new UsageError(`--status must be one of ${statuses.map((s) => `"${s}"`).join(', ')}, not "${text}"`)
  return status
}

/** Which License Changes `log` shows (the same filter as the service's listing). */
export type LogFilter = LicenseChangeFilter

/** The filter the flags ask for; a bad value is a usage error. */
export const logFilterOf = (flags: Flags): LogFilter => {
  if (flags.provider !== undefined && flags.provider.trim() === '') throw new UsageError('--provider needs a provider name, id or kind')
  const status = statusOf(flags.status)
  const since = isoFlag(flags.since, '--since')
  return {
    ...(status === undefined ? {} : { status }), ...(since === undefined ? {} : { since }),
    ...(flags.provider === undefined ? {} : { provider: flags.provider.trim() }),
  }
}

/** How to show the License Change Log as the flags ask; checks the flags now, before any store is opened. */
export const logRenderer = (flags: Flags): (rows: ReadonlyArray<LicenseChangeRow>) => string => {
  const format = formatOf(flags)
  const filter = passes(logFilterOf(flags))
  return (rows) => render(format, rows.filter(filter))
}

const render = (format: Format, shown: ReadonlyArray<LicenseChangeRow>): string => {
  switch (format) {
    case 'json': return `${json(shown)}\n`
    case 'csv': return csv(logColumns, shown)
    case 'table': return `${licenseChangeTable(shown)}\n`
  }
}

/** `seatflow log`: the License Change Log, read-only; every flag is checked before the store is opened. */
export const logCommand = async (flags: Flags, io: Io): Promise<number> => {
  const render = logRenderer(flags)
  const app = await openSeatflow(storeOf(flags), 'read')
  try {
    await writeOut(io, render(await app.licenseChangeLog()))
    return 0
  } finally { await app.close() }
}
