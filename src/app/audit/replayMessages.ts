import { Recorded } from '../../domain/envelope'
import { InspectedViews } from '../../projections/mismatches'

/** The role a replay's fold worker is started with (its module does nothing when loaded otherwise). */
export const foldWorkerRole = 'seatflow replay fold'

/** What the reading thread tells its fold worker: a batch of validated events, then finish (with the views' summary and mismatch report, or not), then close. */
export type ToFold =
  | { readonly kind: 'batch'; readonly events: ReadonlyArray<Recorded> }
  | { readonly kind: 'finish'; readonly inspect: boolean }
  | { readonly kind: 'close' }

/** What the fold worker answers, one message for each it received; after a failure it has closed its views (an unreadable event is refused before it reaches the worker). */
export type FromFold =
  | { readonly kind: 'folded'; readonly events: number; readonly position: number }
  | { readonly kind: 'finished'; readonly digest: string; readonly inspected: InspectedViews | null }
  | { readonly kind: 'closed' }
  | { readonly kind: 'failed'; readonly message: string; readonly stack: string }
