import { decodeOrThrow } from '../../domain/envelope'
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
  readonly writer: Writer
  readonly outbox: Outbox
  readonly provisioning: Provisioning
  readonly clock: Clock
}

/** The processor: reactions of stored events, the views, the provisioning request mails and the gateways. */
export const createProcessor = (parts: ProcessorParts) => {
  const { store, views } = parts

  /**
   * A commit of this seatflow. On a store with multi-stream appends a commit holds all the
   * reactions of its events, so the reactions' checkpoint moves past it when it stood right before
   * it; the views apply it at once when they stand right before it (no read back), in the same
   * view transaction. Otherwise both catch up from the store later.
   */
  const committed = (done: Committed): void => {
    const first = done.events[0]?.position
    const last = done.events[done.events.length - 1]?.position
    if (!done.exact || first === undefined || last === undefined || last - first + 1 !== done.events.length) return
    if (!parts.viewsFollowCommits || views.checkpoint(viewsCheckpoint) !== first - 1) {
      views.advance(reactionsCheckpoint, first - 1, last)
      return
    }
    views.update(viewsCheckpoint, (tx, checkpoint) => {
      if (checkpoint !== first - 1) return checkpoint
      views.advance(reactionsCheckpoint, first - 1, last)
      done.events.forEach((event) => applyEvent(tx, allProjections, event))
      return last
    })
  }

  const refreshViews = async (): Promise<void> => {
    await catchUp(store, views, allProjections, { name: viewsCheckpoint })
  }

  /**
   * Run the reactions on every stored event after their checkpoint (events written without their
   * reactions: by a store without multi-stream appends, an import, or an older seatflow). Their
   * output has ids derived from the triggering event, so a second run writes nothing new.
   */
  const runReactions = async (): Promise<number> => {
    const stored = views.checkpoint(reactionsCheckpoint)
    let after = stored
    let seen = 0
    for await (const batch of store.readAll({ after, batchSize: 500 })) {
      for (const event of batch.map(decodeOrThrow)) {
        await runUnit(parts.writer, async (session) => {
          await stageReactions(session, event, await reactionsTo(event, worldAt(session, parts.writer.reader, event.position), session))
          return E.right(undefined)
        })
        seen += 1
        after = event.position
      }
    }
    if (after !== stored) views.update(reactionsCheckpoint, (_tx, checkpoint) => Math.max(checkpoint, after))
    return seen
  }

  const run = async (): Promise<ProcessReport> => {
    let reacted = 0
    let requestsSent = 0
    const mailFailures: MailFailure[] = []
    const tried = new Set<string>()
    let provisioning: ProvisioningReport = { unconfigured: [], held: [], scheduled: [], tried: [] }
    for (let round = 0; round < maxRounds; round += 1) {
      const before = await store.lastPosition()
      reacted += await runReactions()
      await refreshViews()
      const requests = await sendProvisioningRequests(parts.outbox, parts.clock.now())
      requestsSent += requests.sent.length
      mailFailures.push(...requests.failed)
      provisioning = await provisionAutomatic(parts.provisioning, tried)
      provisioning.tried.forEach((id) => tried.add(id))
      if (await store.lastPosition() === before) break
    }
    await refreshViews()
    const { unconfigured, held, scheduled } = provisioning
    const nextAttemptAt = scheduled.map((entry) => entry.notBefore).sort()[0] ?? null
    return { reacted, requestsSent, changesTried: tried.size, mailFailures, unconfigured, held, scheduled, nextAttemptAt }
  }

  let running: Promise<ProcessReport> | null = null
  let queued: Promise<ProcessReport> | null = null
  /** Single flight: a call while a run is going waits for it, then for one more run that starts after the call. */
  const process = (): Promise<ProcessReport> => {
    if (running === null) {
      running = run().finally(() => { running = null })
      return running
    }
    queued ??= running.catch(() => undefined).then(() => {
      queued = null
      return process()
    })
    return queued
  }

  return { committed, refreshViews, process }
}

/** A processor. */
export type Processor = ReturnType<typeof createProcessor>
