import { allProjections, viewsCheckpoint } from '../../projections/all'
import { catchUp } from '../../projections/runner'
import { Clock } from '../../providers/clock'
import { EventStore } from '../../store/port'
import { ViewStore } from '../../store/views'
import { Writer } from '../commands/handler'
import { createIdleMark, withinCommit } from './followCommits'
import { MailFailure, Outbox, sendProvisioningRequests } from './outbox'
import { AttemptReport, provisionAutomatic, Provisioning, ProvisioningReport } from './provisioning'
import { singleFlight } from './singleFlight'
import { reactionsCheckpoint, runStoredReactions } from './storedReactions'

/** What one processing run did. */
export interface ProcessReport {
  /** Events the reactions looked at (on a store with multi-stream appends, a command's own are done with it). */
  readonly reacted: number
  /** Provisioning request emails sent. */
  readonly requestsSent: number
  /** The License Change of each request email sent (its correlation id). */
  readonly requestsSentFor: ReadonlyArray<string>
  /** Automatic changes sent to (or checked at) their gateway. */
  readonly changesTried: number
  /** Each gateway call this run made and its outcome as recorded. */
  readonly attempts: ReadonlyArray<AttemptReport>
  /** License Changes whose due mail or gateway call another process had claimed (it does it; if it died, a later run here does, after the lease). */
  readonly claimedElsewhere: ReadonlyArray<string>
  /** Mails that could not be sent (they are tried again on the next run). */
  readonly mailFailures: ReadonlyArray<MailFailure>
  /** Automatic changes waiting for a gateway that is not configured. */
  readonly unconfigured: ReadonlyArray<string>
  /** Automatic changes held back by an earlier unresolved change of their subscription, and which one. */
  readonly held: ProvisioningReport['held']
  /** Automatic changes whose next attempt (or check) is not due yet, and when it is. */
  readonly scheduled: ProvisioningReport['scheduled']
  /** The earliest instant a scheduled attempt is due (call process() again then), or null. */
  readonly nextAttemptAt: string | null
}

/**
 * A run goes round until a round writes nothing: each round handles what the one before recorded
 * (a command's License Change, then its request mail or gateway outcome, then what another process
 * added meanwhile). Every change is tried at most once a run, so rounds end; the bound only stops
 * a bug (reactions that kept causing each other) from spinning forever.
 */
export const maxRounds = 100



/** What the processor runs on. */
export interface ProcessorParts {
  /** Whether the views follow each commit of this seatflow at once (autoProcess); else they catch up when read. */
  readonly viewsFollowCommits: boolean
  readonly store: EventStore
  readonly views: ViewStore
  /** The views as seen inside a multi-stream commit (see Storage), when the store has them. */
  readonly transactionalViews?: ViewStore
  readonly writer: Writer
  readonly outbox: Outbox
  readonly provisioning: Provisioning
  readonly clock: Clock
}

const idleReport: ProcessReport = {
  reacted: 0, requestsSent: 0, requestsSentFor: [], changesTried: 0, attempts: [], claimedElsewhere: [], mailFailures: [], unconfigured: [], held: [], scheduled: [], nextAttemptAt: null,
}

/**
 * Whether a round left work for another: another process (or a command of this one) wrote
 * meanwhile, or a gateway resolved a change that held later ones back. What the round's own
 * reactions, mails and gateway outcomes recorded makes no work of its own. Positions count
 * events only on stores with multi-stream appends (memory, SQLite); elsewhere any new event
 * makes another round.
 */
const anotherRound = (store: EventStore, at: { readonly before: number; readonly after: number; readonly own: number }, provisioning: ProvisioningReport): boolean => {
  if (at.after === at.before) return false
  if (store.appendMany === undefined || at.after - at.before !== at.own) return true
  const waitedFor = new Set(provisioning.held.map((hold) => hold.waitingFor))
  return provisioning.tried.some((id) => waitedFor.has(id))
}

/** The processor: reactions of stored events, the views, the provisioning request mails and the gateways. */
export const createProcessor = (parts: ProcessorParts) => {
  const { store, views } = parts
  const idle = createIdleMark(parts.viewsFollowCommits)

  /** Bring the views up to the log; `upTo`, when known, is the log's last position (nothing to read when the views stand there). */
  const refreshViews = async (upTo?: number): Promise<void> => {
    if (upTo !== undefined && views.checkpoint(viewsCheckpoint) >= upTo) return
    await catchUp(store, views, allProjections, { name: viewsCheckpoint })
  }

  /** One round: the reactions, the views, the request mails, the gateways; and whether it left work for another. */
  const round = async (tried: Set<string>) => {
    const before = await store.lastPosition()
    const reactions = await runStoredReactions(store, views, parts.writer, before)
    // Positions count events only on stores with multi-stream appends: elsewhere the views always read.
    await refreshViews(store.appendMany === undefined ? undefined : before + reactions.wrote)
    const requests = await sendProvisioningRequests(parts.outbox, parts.clock.now())
    const provisioning = await provisionAutomatic(parts.provisioning, tried)
    provisioning.tried.forEach((id) => tried.add(id))
    const after = await store.lastPosition()
    const own = reactions.wrote + requests.sent.length + provisioning.recorded
    return { reactions, requests, provisioning, after, more: anotherRound(store, { before, after, own }, provisioning) }
  }

  const run = async (): Promise<ProcessReport> => {
    const tried = new Set<string>()
    const report = { reacted: 0, requestsSent: 0, requestsSentFor: [] as string[], mailFailures: [] as MailFailure[], attempts: [] as AttemptReport[], claimedElsewhere: [] as string[] }
    let last: Awaited<ReturnType<typeof round>> | undefined
    for (let rounds = 0; rounds < maxRounds && (last === undefined || last.more); rounds += 1) {
      last = await round(tried)
      report.reacted += last.reactions.seen
      report.requestsSent += last.requests.sent.length
      report.requestsSentFor.push(...last.requests.sentFor)
      report.mailFailures.push(...last.requests.failed)
      report.attempts.push(...last.provisioning.attempts)
      report.claimedElsewhere.push(...last.requests.claimedElsewhere, ...last.provisioning.claimedElsewhere)
    }
    await refreshViews(last?.after)
    const { unconfigured, held, scheduled } = last?.provisioning ?? idleReport
    // A change tried in this run may still be pending at its provider (accepted, to be checked again).
    const pending = report.mailFailures.length + report.claimedElsewhere.length + unconfigured.length + held.length + scheduled.length + tried.size > 0
    idle.ran(pending || store.appendMany === undefined || last === undefined ? null : last.after)
    const nextAttemptAt = scheduled.map((entry) => entry.notBefore).sort()[0] ?? null
    return { ...report, changesTried: tried.size, unconfigured, held, scheduled, nextAttemptAt }
  }

  /** A run, unless the log still stands where an idle run left it (then there is nothing to do). */
  const runIfNeeded = async (): Promise<ProcessReport> => {
    const idleAt = idle.at()
    // Idle only while the log and the reactions' checkpoint both stand where the idle run left them.
    const still = idleAt !== null && views.checkpoint(reactionsCheckpoint) >= idleAt && await store.lastPosition() === idleAt
    return still ? idleReport : run()
  }

  return {
    withinCommit: withinCommit(parts.transactionalViews, parts.viewsFollowCommits),
    afterCommit: idle.committed,
    refreshViews: (): Promise<void> => refreshViews(),
    process: singleFlight(runIfNeeded),
  }
}

/** A processor. */
export type Processor = ReturnType<typeof createProcessor>
