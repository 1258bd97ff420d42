import { Recorded } from '../../domain/envelope'
import { allProjections, viewsCheckpoint } from '../../projections/all'
import { applyEvent } from '../../projections/runner'
import { ViewStore } from '../../store/views'
import { Committed } from '../state/session'
import { reactionsCheckpoint } from './storedReactions'

/** The positions of a commit's events when they follow each other (one multi-stream commit), else undefined. */
const span = (events: ReadonlyArray<Recorded>): { readonly first: number; readonly last: number } | undefined => {
  const first = events[0]?.position
  const last = events[events.length - 1]?.position
  return first === undefined || last === undefined || last - first + 1 !== events.length ? undefined : { first, last }
}

/**
 * Inside each multi-stream commit of this seatflow, which holds all the reactions of its events:
 * the reactions' checkpoint moves past it when it stood right before it, and the views apply it
 * (when they follow commits) when they stand right before it: no read back, no commit of their
 * own. Otherwise both catch up from the store later.
 */
export const withinCommit = (views: ViewStore | undefined, viewsFollowCommits: boolean) => (events: ReadonlyArray<Recorded>): void => {
  const at = span(events)
  if (views === undefined || at === undefined) return
  views.advance(reactionsCheckpoint, at.first - 1, at.last)
  if (!viewsFollowCommits) return
  views.update(viewsCheckpoint, (tx, checkpoint) => {
    if (checkpoint !== at.first - 1) return checkpoint
    events.forEach((event) => applyEvent(tx, allProjections, event))
    return at.last
  })
}

const makesWork = (event: Recorded): boolean =>
  (event.type === 'LicenseChangeRecorded' && event.data.status === 'Awaiting Provisioning') || event.type === 'ProvisioningRequeued'

/**
 * Where the log stood when the last processing run left nothing pending, or null. A commit of this
 * seatflow right after it that makes no work (no change awaiting provisioning) and whose views
 * followed it keeps it so: a run then has nothing to do, as one look at the log's position says.
 */
export const createIdleMark = (viewsFollowCommits: boolean) => {
  let idleAt: number | null = null
  return {
    at: (): number | null => idleAt,
    /** After a processing run: idle at `position` when it left nothing pending. */
    ran: (position: number | null): void => { idleAt = position },
    /** After each commit of this seatflow. */
    committed: (committed: Committed): void => {
      const at = span(committed.events)
      const quiet = committed.exact && viewsFollowCommits && at !== undefined && at.first - 1 === idleAt && !committed.events.some(makesWork)
      idleAt = quiet && at !== undefined ? at.last : null
    },
  }
}
