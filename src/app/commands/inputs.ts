import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { SeatflowError } from '../../domain/errors'
import { Attempts, AutomaticSystem, BundleLink, CopiedEmailAddressesKey } from '../../domain/events'
import {
  Email, IsoTime, LicenseChangeId, NonEmptyString, ProviderId, ProviderKind, Quantity, SubscriptionId,
} from '../../domain/values'
import { formatErrors } from '../../domain/validation'

const withOptional = <R extends t.Props, O extends t.Props>(name: string, required: R, optional: O) =>
  t.exact(t.intersection([t.type(required), t.partial(optional)]), name)

/** Who issues a command and what it belongs to; every command input may carry them. */
const trace = { actor: NonEmptyString, correlationId: NonEmptyString }

export const ProviderKindInput = t.type({ kind: ProviderKind })
export const DoNothingProviderInput = withOptional('RegisterProvider', { name: NonEmptyString, kind: t.literal('Do Nothing') }, { providerId: ProviderId, ...trace })
export const ManualProviderInput = withOptional('RegisterProvider', { name: NonEmptyString, kind: t.literal('Manual'), provisioningEmail: Email }, { providerId: ProviderId, ...trace })
export const AutomaticProviderInput = withOptional('RegisterProvider', { name: NonEmptyString, kind: t.literal('Automatic'), system: AutomaticSystem }, { providerId: ProviderId, maxAttempts: Attempts, ...trace })

export const ChangeProviderInput = withOptional('ChangeProviderConfiguration', { providerId: ProviderId }, {
  name: NonEmptyString, provisioningEmail: Email, system: AutomaticSystem, maxAttempts: Attempts, ...trace,
})
export const DeactivateProviderInput = withOptional('DeactivateProvider', { providerId: ProviderId }, trace)
export const ChangeSettingInput = withOptional('ChangeSetting', { key: t.literal(CopiedEmailAddressesKey), value: t.readonlyArray(Email) }, trace)
export const CreateSubscriptionInput = withOptional('CreateSubscription', {
  product: NonEmptyString, providerId: ProviderId, billingContractId: NonEmptyString, contractOwnerEmail: Email,
}, { subscriptionId: SubscriptionId, quantity: Quantity, bundle: BundleLink, ...trace })
export const ChangeQuantityInput = withOptional('ChangeQuantity', { subscriptionId: SubscriptionId, quantity: Quantity }, trace)
export const MarkProvisionedInput = withOptional('MarkProvisioned', { licenseChangeId: LicenseChangeId, by: NonEmptyString }, { note: t.string, ...trace })
export const RequeueInput = withOptional('Requeue', { licenseChangeId: LicenseChangeId, by: NonEmptyString, reason: NonEmptyString }, trace)
/** A provider's report of a subscription's quantity: who changed it there and when, when it says. */
export const SyncInput = withOptional('SyncFromProvider', { subscriptionId: SubscriptionId, quantity: Quantity }, {
  changedBy: NonEmptyString, changedAt: IsoTime, correlationId: NonEmptyString,
})

/** The optional trace of a command input. */
export interface Trace {
  readonly actor?: string
  readonly correlationId?: string
}

/** Validate a command input; a refusal names every problem. */
export const validate = <A>(command: string, codec: t.Decoder<unknown, A>, input: unknown): E.Either<SeatflowError, A> => {
  const decoded = codec.decode(input)
  return E.isRight(decoded) ? decoded : E.left({ _tag: 'InvalidCommand', command, problems: formatErrors(decoded.left) })
}

/** A valid provider registration, whichever its kind. */
export type ProviderInput =
  | t.TypeOf<typeof DoNothingProviderInput> | t.TypeOf<typeof ManualProviderInput> | t.TypeOf<typeof AutomaticProviderInput>

/** Validate a provider registration: its kind first, then what that kind needs (one clear set of problems). */
export const validateProvider = (input: unknown): E.Either<SeatflowError, ProviderInput> => {
  const kind = validate('RegisterProvider', ProviderKindInput, input)
  if (E.isLeft(kind)) return kind
  switch (kind.right.kind) {
    case 'Do Nothing': return validate('RegisterProvider', DoNothingProviderInput, input)
    case 'Manual': return validate('RegisterProvider', ManualProviderInput, input)
    case 'Automatic': return validate('RegisterProvider', AutomaticProviderInput, input)
  }
}
