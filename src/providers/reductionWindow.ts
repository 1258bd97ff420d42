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
  const closedAt = closed[0] === undefined ? null : new Date(closed[0]).toISOString()
  const stillOpen = removable === 0 ? 'no seats are removable now'
    : `only ${seats(removable)} ${removable === 1 ? 'is' : 'are'} removable now (until ${new Date(Math.min(...open.map((b) => Date.parse(b.allowedUntil)))).toISOString()})`
  const when = closedAt === null ? 'the provider reports no reduction window for the other seats' : `the reduction window closed at ${closedAt}`
  return {
    _tag: 'WindowClosed',
    closedAt,
    reason: `cannot remove ${seats(toRemove)} (${question.currentQuantity} -> ${question.targetQuantity}): ${stillOpen}; ${when}; seats outside the window can only be removed at renewal`,
  }
}
