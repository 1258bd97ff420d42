import { ProcessReport } from '../app/seatflow'
import { answer, withSeatflow } from './answer'
import { gatewaysFrom } from './gateways'
import { Flags, Io, json, required, single, uuidFlag } from './io'
import { mailOf, storeOf } from './store'

/** `seatflow requeue`: a person re-queues a Failed Provisioning change to Awaiting Provisioning; it is on the record. */
export const requeueCommand = (flags: Flags, io: Io): Promise<number> => {
  const licenseChangeId = uuidFlag(required(single(flags.change, '--change'), '--change'), '--change', 'License Change') as string
  const by = required(flags.by, '--by')
  const reason = required(flags.reason, '--reason')
  const store = storeOf(flags)
  return withSeatflow(store, 'write', { mailer: mailOf(store).mailer, autoProcess: true }, async (app) =>
    answer(io, await app.requeue({ licenseChangeId, by, reason }), async (done) => {
      const status = (await app.licenseChange(done.licenseChangeId))?.status ?? 'unknown'
      return flags.json === true ? json({ ...done, status, by, reason }) : `License Change ${done.licenseChangeId} is ${status} again (re-queued by ${by})`
    }))
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

/** What a processing run did, in one paragraph: counts, then when to run again. */
export const processSummary = (report: ProcessReport): string => [
  `reacted to ${plural(report.reacted, 'event')}`,
  `sent ${plural(report.requestsSent, 'provisioning request')}`,
  `tried ${plural(report.changesTried, 'automatic change')}`,
  `${plural(report.mailFailures.length, 'mail failure')}`,
  `${report.held.length} held back by an earlier change`,
  `${report.scheduled.length} scheduled`,
  ...(report.unconfigured.length === 0 ? [] : [`${report.unconfigured.length} waiting for a gateway that is not configured (--gateways MODULE)`]),
  ...(report.claimedElsewhere.length === 0 ? [] : [`${report.claimedElsewhere.length} claimed by another process`]),
].join(', ').concat(report.nextAttemptAt === null ? '\nnothing scheduled' : `\nnext attempt due at ${report.nextAttemptAt}`)

/** `seatflow process`: run the reactions, the provisioning mails and the gateways once; say what was done and when the next attempt is due. */
export const processCommand = (flags: Flags, io: Io): Promise<number> => {
  const store = storeOf(flags)
  const gateways = gatewaysFrom(flags.gateways)
  return withSeatflow(store, 'write', { mailer: mailOf(store).mailer, gateways }, async (app) => {
    const ran = await app.process()
    // A change this run tried and rescheduled is not in the run's `scheduled`: the views know when it is due.
    const due = [ran.nextAttemptAt, (await app.nextDue()).attemptAt].filter((at): at is string => at !== null).sort()[0] ?? null
    const report: ProcessReport = { ...ran, nextAttemptAt: due }
    io.out(flags.json === true ? json(report) : processSummary(report))
    report.mailFailures.forEach((failure) => io.err(`mail for ${failure.licenseChangeId} not sent: ${failure.reason} (tried again next time)`))
    return report.mailFailures.length === 0 ? 0 : 1
  })
}
