import * as E from 'fp-ts/Either'
import { describeError } from '../domain/errors'
import { Flags, Io, isoFlag, json, required, single, uuidFlag } from './io'
import { mailOf, openSeatflow, storeOf } from './store'
import { reminderTable } from './table'

/** `seatflow reminders`: the reminders due (read-only), or with `--send` send and record them. */
export const remindersCommand = async (flags: Flags, io: Io): Promise<number> => {
  const now = isoFlag(flags.now, '--now')
  const store = storeOf(flags)
  if (flags.send !== true) {
    const app = await openSeatflow(store, 'read')
    try {
      const due = await app.dueReminders(now)
      io.out(flags.json === true ? json(due) : reminderTable(due))
      return 0
    } finally { await app.close() }
  }
  const app = await openSeatflow(store, 'write', { mailer: mailOf(store).mailer })
  try {
    const report = await app.sendDueReminders(now)
    io.out(flags.json === true ? json(report) : `sent ${report.sent.length} reminder(s)${report.failed.length > 0 ? `, ${report.failed.length} failed (tried again next time)` : ''}`)
    report.failed.forEach((failure) => io.err(`reminder for ${failure.licenseChangeId} not sent: ${failure.reason}`))
    return report.failed.length === 0 ? 0 : 1
  } finally { await app.close() }
}

/** `seatflow provision`: a person marks a Manual change provisioned. */
export const provisionCommand = async (flags: Flags, io: Io): Promise<number> => {
  const licenseChangeId = uuidFlag(required(single(flags.change, '--change'), '--change'), '--change', 'License Change') as string
  const by = required(flags.by, '--by')
  const store = storeOf(flags)
  const app = await openSeatflow(store, 'write', { mailer: mailOf(store).mailer, autoProcess: true })
  try {
    const result = await app.markProvisioned({ licenseChangeId, by, ...(flags.note === undefined ? {} : { note: flags.note }) })
    if (E.isLeft(result)) {
      io.err(`seatflow: ${describeError(result.left)}`)
      return 1
    }
    io.out(`License Change ${licenseChangeId} is Provisioned (by ${by})`)
    return 0
  } finally { await app.close() }
}
