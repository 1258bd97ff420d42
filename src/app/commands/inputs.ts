import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { SeatflowError } from '../../domain/errors'
import { Attempts, AutomaticSystem, CopiedEmailAddressesKey } from '../../domain/events'
import {
  BundleLinkInput, CopiedAddresses, EmailInput, LicenseChangeIdInput, Name, Note, ProviderIdInput, Reason, SubscriptionIdInput,
} from '../../domain/fields'
import { IsoTime, ProviderKind, Quantity } from '../../domain/values'
import { formatErrors } from '../../domain/validation'

const withOptional = <R extends t.Props, O extends t.Props>(name: string, required: R, optional: O) =>
  t.exact(t.intersection([t.type(required), t.partial(optional)]), name)

/** Who issues a command and what it belongs to; every command input may carry them. */
const trace = { actor: Name, correlationId: Name }

export const ProviderKindInput = t.type({ kind: ProviderKind })
export const DoNothingProviderInput = withOptional('RegisterProvider', { name: Name, kind: t.literal('Do Nothing') }, { providerId: ProviderIdInput, ...trace })
export const ManualProviderInput = withOptional('RegisterProvider', { name: Name, kind: t.literal('Manual'), provisioningEmail: EmailInput }, { providerId: ProviderIdInput, ...trace })
export const AutomaticProviderInput = withOptional('RegisterProvider', { name: Name, kind: t.literal('Automatic'), system: AutomaticSystem }, { providerId: ProviderIdInput, maxAttempts: Attempts, ...trace })

export const ChangeProviderInput = withOptional('ChangeProviderConfiguration', { providerId: ProviderIdInput }, {
  name: Name, provisioningEmail: EmailInput, system: AutomaticSystem, maxAttempts: Attempts, ...trace,
})
export const DeactivateProviderInput = withOptional('DeactivateProvider', { providerId: ProviderIdInput }, trace)
export const ChangeSettingInput = withOptional('ChangeSetting', { key: t.literal(CopiedEmailAddressesKey), value: CopiedAddresses }, trace)
export const CreateSubscriptionInput = withOptional('CreateSubscription', {
  product: Name, providerId: ProviderIdInput, billingContractId: Name, contractOwnerEmail: EmailInput,
}, { subscriptionId: SubscriptionIdInput, quantity: Quantity, bundle: BundleLinkInput, ...trace })
export const ChangeQuantityInput = withOptional('ChangeQuantity', { subscriptionId: SubscriptionIdInput, quantity: Quantity }, trace)
export const MarkProvisionedInput = withOptional('MarkProvisioned', { licenseChangeId: LicenseChangeIdInput, by: Name }, { note: Note, ...trace })
export const RequeueInput = withOptional('Requeue', { licenseChangeId: LicenseChangeIdInput, by: Name, reason: Reason }, trace)
export const MoveSubscriptionInput = withOptional('MoveSubscription', { subscriptionId: SubscriptionIdInput, providerId: ProviderIdInput }, {
  withdrawUnresolved: t.boolean, ...trace,
})
export const SuspendSubscriptionInput = withOptional('SuspendSubscription', { subscriptionId: SubscriptionIdInput, reason: Reason }, trace)
export const ReactivateSubscriptionInput = withOptional('ReactivateSubscription', { subscriptionId: SubscriptionIdInput }, trace)
export const CancelSubscriptionInput = withOptional('CancelSubscription', { subscriptionId: SubscriptionIdInput }, trace)
/** The most License Changes one billing run marks in one command (one commit). */
export const maxInvoicedPerCommand = 10_000
export const MarkInvoicedInput = withOptional('MarkInvoiced', {
  billingRunId: Name,
  licenseChangeIds: t.refinement(t.readonlyArray(LicenseChangeIdInput), (ids) => ids.length >= 1 && ids.length <= maxInvoicedPerCommand, `from 1 to ${maxInvoicedPerCommand} License Change ids`),
}, trace)

/** A provider's report of a subscription's quantity: who changed it there and when, when it says; `actor`, who reports it (else `changedBy`). */
export const SyncInput = withOptional('SyncFromProvider', { subscriptionId: SubscriptionIdInput, quantity: Quantity }, {
  changedBy: Name, changedAt: IsoTime, ...trace,
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
