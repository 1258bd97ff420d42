/**
 * seatflow: event-sourced provisioning of subscription seat changes. The public API: what a host
 * needs to compose a seatflow, drive it, plug in its mailers and gateways, and audit its log.
 * Store adapters and their types are at `seatflow/store`.
 */

// composing and driving a seatflow
export { createSeatflow, InvalidOptionsError } from './app/seatflow'
export type { Seatflow, SeatflowOptions, ProcessReport, SyncReport, DriftReport } from './app/seatflow'
export type { OptionProblem } from './app/options'
export type { SyncResult } from './app/processes/sync'
export type { OutboxReport, MailFailure } from './app/processes/outbox'
export { describeError } from './domain/errors'
export type { SeatflowError } from './domain/errors'
export { CopiedEmailAddressesKey } from './domain/events'
export type { AutomaticSystem, DomainEvent } from './domain/events'
export { defaultProviderIds } from './domain/ids'
export { limits } from './domain/fields'
export type { ProviderKind, ProvisioningStatus, Origin } from './domain/values'

// what the views answer
export type { LicenseChangeRow } from './projections/licenseChangeLog'
export type { ProviderRow, SettingRow, SubscriptionRow } from './projections/catalog'
export type { DueReminder } from './providers/manual'
export type { Drift } from './providers/sync'

// time and mail
export { createSimulatedClock, systemClock } from './providers/clock'
export type { Clock } from './providers/clock'
export { createFileMailer, createMemoryMailer } from './providers/mail'
export type { Mail, Mailer } from './providers/mail'
export { headerText } from './domain/text'
export type { HeaderText } from './domain/text'
export { createSmtpMailer } from './providers/smtp'
export type { SmtpMailerOptions } from './providers/smtp'

// automatic providers
export type {
  ProvisioningGateway, ProvisioningRequest, ProvisioningResult, Gateways, SubscriptionReference, ProviderSubscriptionState,
} from './providers/gateway'
export { createSimulatedGateway } from './providers/simulated'
export type { SimulatedGatewayOptions } from './providers/simulated'
export { createPartnerCenterGateway } from './providers/partnerCenter'
export type { PartnerCenterOptions, PartnerCenterLocation } from './providers/partnerCenter'
export { createTechDataGateway } from './providers/techData'
export type { TechDataOptions, IonLocation } from './providers/techData'
export type { RefreshTokenStore } from './providers/techDataToken'
export { createRestGateway } from './providers/restGateway'
export type { RestGatewayHost } from './providers/restGateway'
export { restGatewayConfig } from './providers/restConfig'
export type { RestGatewayConfig } from './providers/restConfig'

// auditing and moving the log
export { replay } from './app/audit/replay'
export type { ReplayReport } from './app/audit/replay'
export { auditLog, positionAsOf } from './app/audit/auditLog'
export type { AuditMoment, AuditReport } from './app/audit/auditLog'
export type { MismatchRow, ViewSummary } from './projections/mismatches'
export { describeViolation } from './projections/audit'
export type { Violation } from './projections/audit'
export { trail } from './app/audit/trail'
export type { TrailRow, TrailSubject } from './app/audit/trail'
export { describeImportRefused, exportEvents, importEvents } from './app/transfer/transfer'
export type { ExportOptions, ImportRefused, ImportReport, LineSource, ProgressListener } from './app/transfer/transfer'
export { UndecodableEventError, describeUndecodable } from './domain/envelope'
