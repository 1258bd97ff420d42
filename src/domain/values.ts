import * as t from 'io-ts'
import { validate as isUuid } from 'uuid'

/** Branded values of the domain, each validated once at the edge. */

export interface UuidBrand { readonly Uuid: unique symbol }
const Uuid = t.brand(t.string, (s): s is t.Branded<string, UuidBrand> => isUuid(s), 'Uuid')

export interface ProviderIdBrand { readonly ProviderId: unique symbol }
/** The id of a provider (uuid). */
export const ProviderId = t.brand(Uuid, (_s): _s is t.Branded<t.TypeOf<typeof Uuid>, ProviderIdBrand> => true, 'ProviderId')
export type ProviderId = t.TypeOf<typeof ProviderId>

export interface SubscriptionIdBrand { readonly SubscriptionId: unique symbol }
/** The id of a subscription (uuid). */
export const SubscriptionId = t.brand(Uuid, (_s): _s is t.Branded<t.TypeOf<typeof Uuid>, SubscriptionIdBrand> => true, 'SubscriptionId')
export type SubscriptionId = t.TypeOf<typeof SubscriptionId>

export interface LicenseChangeIdBrand { readonly LicenseChangeId: unique symbol }
/** The id of a License Change (uuid). */
export const LicenseChangeId = t.brand(Uuid, (_s): _s is t.Branded<t.TypeOf<typeof Uuid>, LicenseChangeIdBrand> => true, 'LicenseChangeId')
export type LicenseChangeId = t.TypeOf<typeof LicenseChangeId>

export interface QuantityBrand { readonly Quantity: unique symbol }
/** A seat count: a whole number from 0 to 10,000,000. */
export const Quantity = t.brand(
  t.number,
  (n): n is t.Branded<number, QuantityBrand> => Number.isInteger(n) && n >= 0 && n <= 10_000_000,
  'Quantity',
)
export type Quantity = t.TypeOf<typeof Quantity>

export interface MultiplierBrand { readonly Multiplier: unique symbol }
/** Child seats per bundle parent seat: a whole number from 1 to 10,000. */
export const Multiplier = t.brand(
  t.number,
  (n): n is t.Branded<number, MultiplierBrand> => Number.isInteger(n) && n >= 1 && n <= 10_000,
  'Multiplier',
)
export type Multiplier = t.TypeOf<typeof Multiplier>

export interface EmailBrand { readonly Email: unique symbol }
const emailPattern = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/
/** An email address (one mailbox, no display name). */
export const Email = t.brand(
  t.string,
  (s): s is t.Branded<string, EmailBrand> => s.length <= 254 && emailPattern.test(s),
  'Email',
)
export type Email = t.TypeOf<typeof Email>

export interface NonEmptyStringBrand { readonly NonEmptyString: unique symbol }
/** A trimmed, non-empty text of at most 500 characters (names, products, contract ids). */
export const NonEmptyString = t.brand(
  t.string,
  (s): s is t.Branded<string, NonEmptyStringBrand> => s.trim().length > 0 && s.length <= 500 && s.trim() === s,
  'NonEmptyString',
)
export type NonEmptyString = t.TypeOf<typeof NonEmptyString>

export interface IsoTimeBrand { readonly IsoTime: unique symbol }
const isoPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/
/** An instant as ISO-8601 in UTC (`2026-01-05T09:00:00.000Z`). */
export const IsoTime = t.brand(
  t.string,
  (s): s is t.Branded<string, IsoTimeBrand> => isoPattern.test(s) && !Number.isNaN(Date.parse(s)),
  'IsoTime',
)
export type IsoTime = t.TypeOf<typeof IsoTime>

/** The instant `date` as an IsoTime. */
export const isoTime = (date: Date): IsoTime => date.toISOString() as IsoTime

/** Where a quantity change came from. */
export const Origin = t.keyof({ host: null, provider: null, bundle: null }, 'Origin')
export type Origin = t.TypeOf<typeof Origin>

/** The kinds of provider. */
export const ProviderKind = t.keyof({ 'Do Nothing': null, Manual: null, Automatic: null }, 'ProviderKind')
export type ProviderKind = t.TypeOf<typeof ProviderKind>

/** The provisioning statuses users know. */
export const ProvisioningStatus = t.keyof(
  { 'Not Applicable': null, 'Awaiting Provisioning': null, Provisioned: null, 'Failed Provisioning': null },
  'ProvisioningStatus',
)
export type ProvisioningStatus = t.TypeOf<typeof ProvisioningStatus>
