import { ProviderKind, ProvisioningStatus } from '../domain/values'
import { FieldEquals, RowFilter } from '../store/views'

const statuses = Object.keys(ProvisioningStatus.keys) as ReadonlyArray<ProvisioningStatus>
const kinds = Object.keys(ProviderKind.keys).map((kind) => kind.toLowerCase())

const statusIs = (status: ProvisioningStatus): FieldEquals => ({ field: 'status', value: status, folded: false })
const folded = (field: string, value: string): FieldEquals => ({ field, value, folded: true })

/** The conditions one of which a row's provider meets: its name or id in any case, or its kind when the filter names a kind. */
const providerIs = (provider: string): ReadonlyArray<FieldEquals> =>
  [folded('provider', provider), folded('providerId', provider), ...(kinds.includes(provider) ? [folded('providerKind', provider)] : [])]

/**
 * The status and provider of a License Change filter as the alternatives a store's indexes serve
 * (each a status and one provider field: a filter of one of them is asked over every value of the
 * other, four statuses or three kinds, which every row holds one of); undefined when it names neither.
 * A store refuses (answers undefined) a provider it cannot fold as `passes` does.
 */
export const statusAndProvider = (filter: { readonly status?: ProvisioningStatus; readonly provider?: string }): RowFilter | undefined => {
  const provider = filter.provider?.toLowerCase()
  if (filter.status === undefined && provider === undefined) return undefined
  const asked = filter.status === undefined ? statuses : [filter.status]
  const providers = provider === undefined ? kinds.map((kind) => folded('providerKind', kind)) : providerIs(provider)
  return asked.flatMap((status) => providers.map((condition) => [statusIs(status), condition]))
}
