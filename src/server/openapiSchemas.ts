import { limits } from '../domain/fields'
import { BodySchema, JsonSchema } from './routes/route'

/** The JSON Schemas (2020-12) of the OpenAPI document: what the API's answers and bodies hold. */

/** A JSON object with exactly these fields (all required unless `optional` names them). */
export const object = (properties: Readonly<Record<string, JsonSchema>>, optional: ReadonlyArray<string> = []): JsonSchema =>
  ({ type: 'object', properties, required: Object.keys(properties).filter((k) => !optional.includes(k)), additionalProperties: false })

/** A request body: a JSON object with these fields, `required` among them, and no others. */
export const body = (properties: Readonly<Record<string, JsonSchema>>, required: ReadonlyArray<string>): BodySchema =>
  ({ type: 'object', properties, required, additionalProperties: false })

/** A reference to a schema of the document's components. */
export const ref = (name: keyof typeof componentSchemas): JsonSchema => ({ $ref: `#/components/schemas/${name}` })

/** `{ items: [...] }` of a schema. */
export const itemsOf = (schema: JsonSchema, more: Readonly<Record<string, JsonSchema>> = {}): JsonSchema =>
  object({ ...more, items: { type: 'array', items: schema } })

export const text: JsonSchema = { type: 'string' }
export const uuid: JsonSchema = { type: 'string', format: 'uuid' }
export const time: JsonSchema = { type: 'string', format: 'date-time' }
export const whole: JsonSchema = { type: 'integer' }
export const email: JsonSchema = { type: 'string', format: 'email', maxLength: 254 }
const orNull = (schema: JsonSchema): JsonSchema => ({ oneOf: [schema, { type: 'null' }] })
const oneOfValues = (...values: ReadonlyArray<string>): JsonSchema => ({ type: 'string', enum: values })

/** A name in a command: trimmed, non-empty, no control characters. */
export const name = (description: string): JsonSchema => ({ type: 'string', minLength: 1, maxLength: limits.name, description: `${description} (trimmed, no control characters)` })
/** A seat count. */
export const quantity: JsonSchema = { type: 'integer', minimum: 0, maximum: 10_000_000 }

const status = oneOfValues('Not Applicable', 'Awaiting Provisioning', 'Provisioned', 'Failed Provisioning')
const kind = oneOfValues('Do Nothing', 'Manual', 'Automatic')
/** The automatic systems. */
export const system = oneOfValues('Partner Center', 'Synnex', 'TechData')

/** What a License Change asks of the provider. */
export const licenseChangeKind = oneOfValues('change', 'cancellation', 'reactivation')
/** Whether a License Change is invoiced yet. */
export const statusReason = oneOfValues('Active', 'Archived')

const licenseChangeFields = {
  licenseChangeId: uuid, kind: licenseChangeKind, subscriptionId: uuid, product: text, billingContractId: text, contractOwnerEmail: text,
  providerId: uuid, provider: text, providerKind: kind, system: orNull(system), provisioningEmail: orNull(text),
  copiedEmails: { type: 'array', items: text }, previousQuantity: whole, newQuantity: whole, delta: whole,
  origin: oneOfValues('host', 'provider', 'bundle'), status, recordedAt: time, recordedPosition: whole,
  requestedAt: orNull(time), lastNotifiedAt: orNull(time), remindersSent: whole, attempts: whole,
  pendingReference: orNull(text), lastFailure: orNull(text), notBefore: orNull(time), waitingFor: orNull(uuid),
  supersededBy: orNull(uuid), withdrawnTo: { ...orNull(uuid), description: 'the provider its subscription moved to when the move withdrew it (never sent)' },
  statusReason: { ...statusReason, description: 'Active until a billing run invoices it, Archived after' },
  billingRunId: orNull(text), invoicedAt: orNull(time), provisionedAt: orNull(time), provisionedBy: orNull(text), message: text,
} as const

const trailRow = object({
  position: whole, occurredAt: time, streamId: text, revision: whole, eventId: uuid, type: text, actor: text, correlationId: text,
  causedBy: orNull(object({ eventId: uuid, type: orNull(text) })), licenseChangeId: orNull(uuid), result: text,
})

const configuration: JsonSchema = {
  oneOf: [
    object({ kind: { const: 'Do Nothing' } }),
    object({ kind: { const: 'Manual' }, provisioningEmail: email }),
    object({ kind: { const: 'Automatic' }, system, maxAttempts: { type: 'integer', minimum: 1, maximum: 20 } }),
  ],
}

const violation: JsonSchema = {
  oneOf: [
    object({ _tag: { const: 'IllegalTransition' }, licenseChangeId: uuid, event: text, from: text, streamId: text, revision: whole, description: text }),
    object({ _tag: { const: 'QuantityMismatch' }, subscriptionId: uuid, quantity: whole, sumOfDeltas: whole, difference: whole, description: text }),
    object({ _tag: { const: 'MissingProvisioningRequest' }, licenseChangeId: uuid, subscriptionId: uuid, description: text }),
  ],
}

/** The schemas of the document's components. */
export const componentSchemas = {
  LicenseChange: object(licenseChangeFields),
  InvoiceLine: object({ ...licenseChangeFields, billableDelta: { ...whole, description: 'the seats it bills (a reactivation\'s are counted already: 0)' } }),
  Invoiced: object({
    billingRunId: text, markedCount: whole, alreadyInRunCount: whole,
    marked: { type: 'array', items: uuid, description: 'the License Changes this request archived' },
    alreadyInRun: { type: 'array', items: uuid, description: 'those the same billing run had archived before (a repeated run records nothing for them)' },
  }),
  TrailEvent: trailRow,
  Subscription: object({
    subscriptionId: uuid, product: text, providerId: uuid, status: oneOfValues('Active', 'Suspended', 'Cancelled'),
    suspendedReason: { ...orNull(text), description: 'why it is suspended (null unless Suspended)' }, quantity: whole, billingContractId: text, contractOwnerEmail: text,
    bundle: orNull(object({ parentId: uuid, multiplier: whole })), createdAt: time, changedAt: time,
  }),
  Provider: object({ providerId: uuid, name: text, kind, configuration, active: { type: 'boolean' }, registeredAt: time }),
  CopiedEmailAddresses: object({ key: text, addresses: { type: 'array', items: email }, changedAt: orNull(time), changedBy: orNull(text) }),
  DueReminder: object({ licenseChangeId: uuid, subscriptionId: uuid, product: text, to: text, sequence: whole, dueAt: time }),
  Drift: object({
    subscriptionId: uuid, seatflowQuantity: whole, providerQuantity: whole, changedBy: orNull(text), changedAt: orNull(text),
    wouldRecord: orNull(object({
      origin: { const: 'provider' }, status: { const: 'Not Applicable' }, previousQuantity: whole, newQuantity: whole, delta: whole,
      supersedes: { type: 'array', items: uuid },
    })),
    waitingFor: orNull(uuid),
  }),
  MoveReport: object({
    subscriptionId: uuid, fromProviderId: uuid, toProviderId: uuid,
    withdrawn: { type: 'array', items: uuid, description: 'the unresolved License Changes the move withdrew (Failed Provisioning, never sent)' },
    drift: { oneOf: [{ $ref: '#/components/schemas/Drift' }, { type: 'null' }], description: 'the new provider\'s quantity differs: what a sync would record (null: it agrees, or it was not read)' },
    providerRead: { oneOf: [oneOfValues('read', 'not asked', 'cannot read'), object({ failed: text })], description: 'whether the new provider was read, and why not' },
  }),
  SyncResult: object({
    subscriptionId: uuid, outcome: oneOfValues('recorded', 'unchanged', 'pending change'), seatflowQuantity: whole, providerQuantity: whole,
    licenseChangeId: orNull(uuid), waitingFor: orNull(uuid),
  }),
  AuditMoment: {
    oneOf: [
      object({ basis: { const: 'now' } }),
      object({ basis: { const: 'position' }, position: whole }),
      object({ basis: { const: 'recorded time' }, time }),
    ],
  },
  ViewSummary: object({
    licenseChanges: object({ 'Not Applicable': whole, 'Awaiting Provisioning': whole, Provisioned: whole, 'Failed Provisioning': whole, total: whole }),
    subscriptions: whole, seats: whole, providers: object({ active: whole, deactivated: whole }),
  }),
  Mismatch: object({ subscriptionId: uuid, product: text, providerId: uuid, quantity: whole, sumOfDeltas: whole, difference: whole, licenseChanges: whole }),
  Violation: violation,
  Problem: object({
    type: { type: 'string', format: 'uri' }, title: text, status: { type: 'integer', minimum: 400, maximum: 599 }, detail: text,
    tag: { ...text, description: 'the typed error\'s tag (InvalidCommand, SubscriptionNotFound, QuantityUnchanged, Unauthenticated, ...)' },
    problems: { type: 'array', items: text, description: 'each bad field or parameter of the request' },
    licenseChangeIds: { type: 'array', items: uuid, description: 'the License Changes the refusal is about (UnresolvedChangesBlockMove: those that block the move)' },
  }, ['tag', 'problems', 'licenseChangeIds']),
} as const
