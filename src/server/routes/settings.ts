import * as E from 'fp-ts/Either'
import { CopiedEmailAddressesKey } from '../../domain/events'
import { SeatflowError } from '../../domain/errors'
import { limits } from '../../domain/fields'
import { body, email, itemsOf, ref, time } from '../openapiSchemas'
import type { Seatflow } from '../../app/seatflow'
import { timeParam } from './input'
import { answerOf, Route, route } from './route'

const copiedAddresses = async (seatflow: Seatflow) => {
  const setting = (await seatflow.settings()).find((row) => row.key === CopiedEmailAddressesKey)
  return { key: CopiedEmailAddressesKey, addresses: setting?.value ?? [], changedAt: setting?.changedAt ?? null, changedBy: setting?.changedBy ?? null }
}

/** The setting command calls the list `value`; the route's body calls it `addresses`: its problems say so. */
const asAddresses = (error: SeatflowError): SeatflowError => error._tag === 'InvalidCommand'
  ? { ...error, problems: error.problems.map((line) => line.replace(/^value(?=[.:])/, 'addresses')) }
  : error

const copied = { description: 'the addresses, and who set them when (null: never set)', schema: ref('CopiedEmailAddresses') }

/** The settings (the addresses every Manual provisioning request copies) and the reminders due. */
export const settingRoutes: ReadonlyArray<Route> = [
  route({
    method: 'GET', path: '/settings/copied-email-addresses', operationId: 'getCopiedEmailAddresses', tag: 'Settings', role: 'viewer',
    summary: `The addresses every Manual provisioning request copies (${CopiedEmailAddressesKey})`,
    answers: { 200: copied },
    run: async ({ seatflow }) => ({ status: 200, body: await copiedAddresses(seatflow) }),
  }),
  route({
    method: 'PUT', path: '/settings/copied-email-addresses', operationId: 'setCopiedEmailAddresses', tag: 'Settings', role: 'admin',
    summary: 'Set the addresses every Manual provisioning request copies (the whole list; an empty list copies nobody). The same list again records nothing and answers the setting as it is',
    body: body({ addresses: { type: 'array', items: email, maxItems: limits.copiedAddresses, description: 'each address once (compared without regard to case)' } }, ['addresses']),
    answers: { 200: copied },
    problems: [409],
    run: async ({ seatflow, body: fields, trace }) => {
      const result = await seatflow.changeSetting({ key: CopiedEmailAddressesKey, value: fields.addresses, ...trace })
      const unchanged = E.isLeft(result) && result.left._tag === 'SettingUnchanged'
      return E.isLeft(result) && !unchanged ? answerOf(E.mapLeft(asAddresses)(result), 200) : { status: 200, body: await copiedAddresses(seatflow) }
    },
  }),
  route({
    method: 'GET', path: '/reminders/due', operationId: 'dueReminders', tag: 'Reminders', role: 'viewer',
    summary: 'The reminders due at a moment (default: now): Manual changes still awaiting provisioning whose contract owner must be reminded',
    query: { at: timeParam('the moment') },
    answers: { 200: { description: 'the reminders due', schema: itemsOf(ref('DueReminder'), { at: time }) } },
    run: async ({ seatflow, query }) => {
      const at = query.at ?? seatflow.now()
      return { status: 200, body: { at: at.toISOString(), items: await seatflow.dueReminders(at) } }
    },
  }),
]
