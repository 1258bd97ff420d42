/** A batch of seats the provider still lets the reseller remove, until a time (`refundableQuantity.details`). */
export interface RefundableSeats {
  readonly quantity: number
  /** ISO-8601: the end of this batch's reduction window. */
  readonly allowedUntil: string
}

/** What the provider reports, and the change asked for, at the time of the attempt. */
export interface ReductionQuestion {
  readonly currentQuantity: number
  readonly targetQuantity: number
  /** The provider-reported windows; null when the provider reports none (not a new-commerce subscription). */
  readonly windows: ReadonlyArray<RefundableSeats> | null
  readonly now: Date
}

/** Whether a change may be sent: always for an increase; for a decrease, when the seats fit in the open windows. */
export type ReductionVerdict =
  | { readonly _tag: 'Allowed' }
  | { readonly _tag: 'WindowClosed'; readonly reason: string; readonly closedAt: string | null }

/** Whether a cancellation may be sent: the same verdict as a reduction's. */
export type CancellationVerdict = ReductionVerdict

const iso = (at: string): string => new Date(at).toISOString()

const seats = (n: number): string => `${n} seat${n === 1 ? '' : 's'}`

/**
 * The new-commerce reduction rule: seats can be removed only within the windows the provider
 * reports for the batches they were added in; past them, only at renewal. No window is assumed
 * when the provider reports none (no hard-coded 7 days).
 */
export const reductionVerdict = (question: ReductionQuestion): ReductionVerdict => {
  const toRemove = question.currentQuantity - question.targetQuantity
  if (toRemove <= 0 || question.windows === null) return { _tag: 'Allowed' }
  const at = question.now.getTime()
  const open = question.windows.filter((batch) => Date.parse(batch.allowedUntil) > at)
  const removable = open.reduce((sum, batch) => sum + batch.quantity, 0)
  if (toRemove <= removable) return { _tag: 'Allowed' }
  const closed = question.windows.filter((batch) => Date.parse(batch.allowedUntil) <= at)
    .map((batch) => batch.allowedUntil).sort((a, b) => Date.parse(b) - Date.parse(a))
  const closedAt = closed[0] === undefined ? null : iso(closed[0])
  const stillOpen = removable === 0 ? 'no seats are removable now'
    : `only ${seats(removable)} ${removable === 1 ? 'is' : 'are'} removable now (until ${new Date(Math.min(...open.map((b) => Date.parse(b.allowedUntil)))).toISOString()})`
  const when = closedAt === null ? 'the provider reports no reduction window for the other seats' : `the reduction window closed at ${closedAt}`
  return {
    _tag: 'WindowClosed',
    closedAt,
    reason: `cannot remove ${seats(toRemove)} (${question.currentQuantity} -> ${question.targetQuantity}): ${stillOpen}; ${when}; seats outside the window can only be removed at renewal`,
  }
}

/** What the provider reports of a subscription's cancellation window, at the time of the attempt. */
export interface CancellationQuestion {
  /**
   * ISO-8601, the last moment a cancellation is allowed (Partner Center's `cancellationAllowedUntilDate`);
   * null when the provider says the subscription cannot be cancelled; undefined when it reports no window at all.
   */
  readonly allowedUntil: string | null | undefined
  readonly now: Date
}

/**
 * The new-commerce cancellation rule: a subscription can be cancelled until the date the provider
 * reports; past it, only ended at renewal. A provider that reports no window at all (not a
 * new-commerce subscription) decides for itself; one that reports null allows no cancellation.
 */
export const cancellationVerdict = (question: CancellationQuestion): CancellationVerdict => {
  const { allowedUntil, now } = question
  if (allowedUntil === undefined) return { _tag: 'Allowed' }
  if (allowedUntil !== null && Date.parse(allowedUntil) > now.getTime()) return { _tag: 'Allowed' }
  const renewal = 'the subscription can only be ended at renewal (turn off its auto-renewal)'
  return allowedUntil === null
    ? { _tag: 'WindowClosed', closedAt: null, reason: `cannot cancel: the provider reports no cancellation window (cancellationAllowedUntilDate is null); ${renewal}` }
    : { _tag: 'WindowClosed', closedAt: iso(allowedUntil), reason: `cannot cancel: the cancellation window closed at ${iso(allowedUntil)} (cancellationAllowedUntilDate); ${renewal}` }
}
