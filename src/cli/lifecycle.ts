import * as E from 'fp-ts/Either'
import { MoveReport, Seatflow } from '../app/seatflow'
import { visible } from '../domain/text'
import { answer, providerNamed, withSeatflow } from './answer'
import { gatewaysFrom } from './gateways'
import { Flags, Io, json, required, UsageError, uuidFlag } from './io'
import { mailOf, NamedStore, storeOf } from './store'

/** The subscription a lifecycle command names, checked before the store is opened. */
const subscriptionOf = (flags: Flags): string => uuidFlag(required(flags.subscription, '--subscription'), '--subscription', 'subscription') as string

/** The subscription's status as the views hold it after the command, and why when it is suspended. */
const statusOf = async (app: Seatflow, subscriptionId: string): Promise<{ readonly status: string; readonly suspendedReason: string | null }> => {
  const row = await app.subscription(subscriptionId)
  return { status: row?.status ?? 'unknown', suspendedReason: row?.suspendedReason ?? null }
}

/** A lifecycle command writes and processes what it recorded (a Manual provider's email goes out), as provision does. */
const writing = (store: NamedStore, gateways: Flags['gateways'] = undefined) =>
  ({ mailer: mailOf(store).mailer, gateways: gatewaysFrom(gateways), autoProcess: true })

const providerRead = (report: MoveReport): string => {
  if (report.providerRead === 'not asked') return ''
  if (report.providerRead === 'cannot read') return '\nthe new provider was not read: no gateway of it reads subscriptions (--gateways MODULE)'
  if (report.providerRead !== 'read') return `\nthe new provider could not be read: ${report.providerRead.failed}`
  if (report.drift === null) return '\nthe new provider agrees with seatflow\'s quantity'
  return `\ndrift: the new provider has ${report.drift.providerQuantity}, seatflow ${report.drift.seatflowQuantity}; nothing recorded (seatflow sync records it)`
}

/** A move in words: where it went, what it withdrew, what the new provider says. */
export const moveText = (report: MoveReport, names: ReadonlyMap<string, string>): string => {
  const name = (id: string): string => `"${visible(names.get(id) ?? id)}"`
  const withdrawn = report.withdrawn.length === 0 ? '' : `; withdrew ${report.withdrawn.join(', ')} (Failed Provisioning, never sent)`
  return `subscription ${report.subscriptionId} moved from ${name(report.fromProviderId)} to ${name(report.toProviderId)}${withdrawn}${providerRead(report)}`
}

/** `seatflow move`: move a subscription to another provider (by name or id); its history stays, its next changes go there. */
export const moveCommand = (flags: Flags, io: Io): Promise<number> => {
  const subscriptionId = subscriptionOf(flags)
  const named = required(flags.provider, '--provider')
  if (flags['read-provider'] !== true && flags.gateways !== undefined) throw new UsageError('--gateways goes with --read-provider (move reads the new provider only when asked)')
  const store = storeOf(flags)
  return withSeatflow(store, 'write', writing(store, flags.gateways), async (app) => {
    const providers = await app.providers()
    const provider = providerNamed(providers, named)
    if (E.isLeft(provider)) {
      io.err(`seatflow: ${provider.left}`)
      return 1
    }
    const input = { subscriptionId, providerId: provider.right.providerId, ...(flags['withdraw-unresolved'] === true ? { withdrawUnresolved: true } : {}) }
    const moved = await app.moveSubscription(input, { readProvider: flags['read-provider'] === true })
    const names = new Map(providers.map((row) => [row.providerId, row.name]))
    return answer(io, moved, (report) => flags.json === true ? json(report) : moveText(report, names))
  })
}

/** `seatflow suspend`: its quantity changes are Not Applicable and its reminders stop until it is reactivated. */
export const suspendCommand = (flags: Flags, io: Io): Promise<number> => {
  const subscriptionId = subscriptionOf(flags)
  const reason = required(flags.reason, '--reason')
  const store = storeOf(flags)
  return withSeatflow(store, 'write', writing(store), async (app) =>
    answer(io, await app.suspendSubscription({ subscriptionId, reason }), async (done) =>
      flags.json === true ? json({ ...done, ...await statusOf(app, done.subscriptionId) }) : `subscription ${done.subscriptionId} is Suspended (${reason}): its changes are Not Applicable and its reminders stop until it is reactivated`))
}

/** `seatflow reactivate`: a License Change brings the provider from the quantity at the suspension to today's. */
export const reactivateCommand = (flags: Flags, io: Io): Promise<number> => {
  const subscriptionId = subscriptionOf(flags)
  const store = storeOf(flags)
  return withSeatflow(store, 'write', writing(store), async (app) =>
    answer(io, await app.reactivateSubscription({ subscriptionId }), async (done) =>
      flags.json === true ? json({ ...done, ...await statusOf(app, done.subscriptionId) }) : `subscription ${done.subscriptionId} is Active again; ${done.licenseChangeId === null
        ? 'the provider already has its quantity: nothing to provision'
        : `License Change ${done.licenseChangeId} brings the provider back in line`}`))
}

/** `seatflow cancel`: a License Change to zero asks the provider to cancel it; it takes no further change. */
export const cancelCommand = (flags: Flags, io: Io): Promise<number> => {
  const subscriptionId = subscriptionOf(flags)
  const store = storeOf(flags)
  return withSeatflow(store, 'write', writing(store), async (app) =>
    answer(io, await app.cancelSubscription({ subscriptionId }), async (done) =>
      flags.json === true ? json({ ...done, ...await statusOf(app, done.subscriptionId) }) : `subscription ${done.subscriptionId} is Cancelled; License Change ${done.licenseChangeId} asks its provider to cancel it (quantity 0)`))
}
