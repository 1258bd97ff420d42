import { decodeOrThrow, Recorded } from '../../domain/envelope'
import { allProjections, viewsCheckpoint } from '../../projections/all'
import { applyEvent, catchUp } from '../../projections/runner'
import { Clock } from '../../providers/clock'
import { EventStore } from '../../store/port'
import { ViewStore } from '../../store/views'
import { runUnit, Writer } from '../commands/handler'
import { Committed } from '../state/session'
import { MailFailure, Outbox, sendProvisioningRequests } from './outbox'
import { provisionAutomatic, Provisioning, ProvisioningReport } from './provisioning'
import { reactionsTo, stageReactions, worldAt } from './reactions'
import * as E from 'fp-ts/Either'

/** What one processing run did. */
export interface ProcessReport {
  /** Events the reactions looked at (on a store with multi-stream appends, a command's own are done with it). */
  readonly reacted: number
  /** Provisioning request emails sent. */
  readonly requestsSent: number
  /** Automatic changes sent to (or checked at) their gateway. */
  readonly changesTried: number
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

const reactionsCheckpoint = 'reactions'

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

/** The processor: reactions of stored events, the views, the provisioning request mails and the gateways. */
export const createProcessor = (parts: ProcessorParts) => {
  const { store, views } = parts
  /**
   * Where the log stood when the last run left nothing pending, or null. A commit of this
   * seatflow right after it that makes no work (no change awaiting provisioning) keeps it so, and
   * a run then has nothing to do: one look at the log's position says so.
   */
  let idleAt: number | null = null

  const makesWork = (event: Recorded): boolean =>
    (event.type === 'LicenseChangeRecorded' && event.data.status === 'Awaiting Provisioning') || event.type === 'ProvisioningRequeued'

  /** After each commit of this seatflow. */
  const afterCommit = (committed: Committed): void => {
    const first = committed.events[0]?.position
    const last = committed.events[committed.events.length - 1]?.position
    const quiet = committed.exact && parts.viewsFollowCommits && first !== undefined && last !== undefined && first - 1 === idleAt
      && last - first + 1 === committed.events.length && !committed.events.some(makesWork)
    idleAt = quiet ? last : null
  }

  /**
   * Inside each multi-stream commit of this seatflow, which holds all the reactions of its events:
   * the reactions' checkpoint moves past it when it stood right before it, and the views apply it
   * when they stand right before it (no read back, no commit of their own). Otherwise both catch
   * up from the store later.
   */
  const withinCommit = (events: ReadonlyArray<Recorded>): void => {
    const views = parts.transactionalViews
    const first = events[0]?.position
    const last = events[events.length - 1]?.position
    if (views === undefined || first === undefined || last === undefined || last - first + 1 !== events.length) return
    views.advance(reactionsCheckpoint, first - 1, last)
    if (!parts.viewsFollowCommits) return
    views.update(viewsCheckpoint, (tx, checkpoint) => {
      if (checkpoint !== first - 1) return checkpoint
      events.forEach((event) => applyEvent(tx, allProjections, event))
      return last
    })
  }

  /** Bring the views up to the log; `upTo`, when known, is the log's last position (nothing to read when the views stand there). */
  const refreshViews = async (upTo?: number): Promise<void> => {
    if (upTo !== undefined && views.checkpoint(viewsCheckpoint) >= upTo) return
    await catchUp(store, views, allProjections, { name: viewsCheckpoint })
  }

  /**
   * Run the reactions on every stored event after their checkpoint (events written without their
   * reactions: by a store without multi-stream appends, an import, or an older seatflow). Their
   * output has ids derived from the triggering event, so a second run writes nothing new.
   */
  const runReactions = async (upTo: number): Promise<{ readonly seen: number; readonly wrote: number }> => {
    const stored = views.checkpoint(reactionsCheckpoint)
    let after = stored
    let seen = 0
    let wrote = 0
    if (stored >= upTo) return { seen, wrote }
    for await (const batch of store.readAll({ after, batchSize: 500 })) {
      for (const event of batch.map(decodeOrThrow)) {
        await runUnit(parts.writer, async (session) => {
          await stageReactions(session, event, await reactionsTo(event, worldAt(session, parts.writer.reader, event.position), session))
          wrote += session.staged().length
          return E.right(undefined)
        })
        seen += 1
        after = event.position
      }
    }
    if (after !== stored) views.update(reactionsCheckpoint, (_tx, checkpoint) => Math.max(checkpoint, after))
    return { seen, wrote }
  }

  /**
   * Whether a round left work for another: another process (or a command of this one) wrote
   * meanwhile, or a gateway resolved a change that held later ones back. What the round's own
   * reactions, mails and gateway outcomes recorded makes no work of its own. Positions count
   * events only on stores with multi-stream appends (memory, SQLite); elsewhere any new event
   * makes another round.
   */
  const anotherRound = (before: number, after: number, own: number, provisioning: ProvisioningReport): boolean => {
    if (after === before) return false
    if (store.appendMany === undefined || after - before !== own) return true
    const waitedFor = new Set(provisioning.held.map((hold) => hold.waitingFor))
    return provisioning.tried.some((id) => waitedFor.has(id))
  }

  const run = async (): Promise<ProcessReport> => {
    let reacted = 0
    let requestsSent = 0
    const mailFailures: MailFailure[] = []
    const tried = new Set<string>()
    let provisioning: ProvisioningReport = { unconfigured: [], held: [], scheduled: [], tried: [], recorded: 0 }
    let last: number | undefined
    for (let round = 0; round < maxRounds; round += 1) {
      const before = await store.lastPosition()
      const reactions = await runReactions(before)
      reacted += reactions.seen
      // Positions count events only on stores with multi-stream appends: elsewhere the views always read.
      await refreshViews(store.appendMany === undefined ? undefined : before + reactions.wrote)
      const requests = await sendProvisioningRequests(parts.outbox, parts.clock.now())
      requestsSent += requests.sent.length
      mailFailures.push(...requests.failed)
      provisioning = await provisionAutomatic(parts.provisioning, tried)
      provisioning.tried.forEach((id) => tried.add(id))
      const own = reactions.wrote + requests.sent.length + provisioning.recorded
      last = await store.lastPosition()
      if (!anotherRound(before, last, own, provisioning)) break
    }
    await refreshViews(last)
    const { unconfigured, held, scheduled } = provisioning
    const nextAttemptAt = scheduled.map((entry) => entry.notBefore).sort()[0] ?? null
    // A change tried in this run may still be pending at its provider (accepted, to be checked again).
    const pending = mailFailures.length + unconfigured.length + held.length + scheduled.length + tried.size > 0
    idleAt = pending || store.appendMany === undefined || last === undefined ? null : last
    return { reacted, requestsSent, changesTried: tried.size, mailFailures, unconfigured, held, scheduled, nextAttemptAt }
  }

  const idleReport: ProcessReport = {
    reacted: 0, requestsSent: 0, changesTried: 0, mailFailures: [], unconfigured: [], held: [], scheduled: [], nextAttemptAt: null,
  }

  /** A run, unless the log still stands where an idle run left it (then there is nothing to do). */
  const runIfNeeded = async (): Promise<ProcessReport> =>
    (idleAt !== null && await store.lastPosition() === idleAt ? idleReport : run())

  let running: Promise<ProcessReport> | null = null
  let queued: Promise<ProcessReport> | null = null
  /** Single flight: a call while a run is going waits for it, then for one more run that starts after the call. */
  const process = (): Promise<ProcessReport> => {
    if (running === null) {
      running = runIfNeeded().finally(() => { running = null })
      return running
    }
    queued ??= running.catch(() => undefined).then(() => {
      queued = null
      return process()
    })
    return queued
  }

  return { withinCommit, afterCommit, refreshViews: (): Promise<void> => refreshViews(), process }
}

/** A processor. */
export type Processor = ReturnType<typeof createProcessor>
