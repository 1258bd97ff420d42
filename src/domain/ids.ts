import { v5 as uuidv5 } from 'uuid'
import { LicenseChangeId, ProviderId } from './values'

/** The fixed namespace of every id seatflow derives (uuid v5). */
export const seatflowNamespace = '6f1d4c2e-8b0a-5d7e-9c3f-2a4b6c8d0e1f'

/** A deterministic id from a name: the same name always gives the same id. */
export const derivedId = (name: string): string => uuidv5(name, seatflowNamespace)

/** The License Change recorded for a quantity change: one per triggering event, whoever processes it. */
export const licenseChangeIdFor = (quantityEventId: string): LicenseChangeId =>
  derivedId(`license-change:${quantityEventId}`) as LicenseChangeId

/** The providers every seatflow has. */
export const defaultProviderIds = {
  doNothing: derivedId('default-provider:Do Nothing Provider') as ProviderId,
  manual: derivedId('default-provider:Manual Provider') as ProviderId,
  partnerCenter: derivedId('default-provider:Partner Center') as ProviderId,
} as const
