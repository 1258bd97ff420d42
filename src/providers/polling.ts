import { ProvisioningResult } from './gateway'
import { accepted } from './http'

/** How a gateway waits for a provider that accepted a change: backoff with jitter, bounded in time. */
export interface PollPolicy {
  /** The first wait (ms); each next one doubles, up to `maxDelayMs`. */
  readonly firstDelayMs: number
  readonly maxDelayMs: number
  /** How long one attempt may wait in all (ms); past it the change is left Accepted for a later check. */
  readonly totalMs: number
}

/** What a gateway's waiting runs on: injected so tests are fast and deterministic. */
export interface Timing {
  readonly poll: PollPolicy
  /** A number in [0, 1): the jitter. */
  readonly random: () => number
  readonly sleep: (ms: number) => Promise<void>
  /** Milliseconds since the epoch. */
  readonly now: () => number
}

/** The default policy: 1 s, 2 s, 4 s ... up to 15 s between checks, 60 s in all. */
export const defaultPollPolicy: PollPolicy = { firstDelayMs: 1000, maxDelayMs: 15_000, totalMs: 60_000 }

/** Real time: `setTimeout`, `Math.random`, `Date.now`. */
export const realTiming = (poll: PollPolicy = defaultPollPolicy): Timing => ({
  poll, random: Math.random, now: Date.now,
  sleep: (ms) => new Promise((resolve) => { setTimeout(resolve, ms) }),
})

/** The wait before check number `round` (0-based): "equal jitter", half fixed and half random. */
export const pollDelay = (policy: PollPolicy, round: number, random: () => number): number => {
  const ceiling = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** round)
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}

/** One check's answer: done with a value, or not yet (with the provider's Retry-After, if any). */
export type PollStep<A> =
  | { readonly _tag: 'Done'; readonly value: A }
  | { readonly _tag: 'NotYet'; readonly retryAfterSeconds?: number }

/**
 * Wait, check, and again with backoff until the check is done or the next wait would pass the
 * policy's total time: then `StillPending` (the caller answers Accepted and checks later).
 */
export const pollUntil = async <A>(check: () => Promise<PollStep<A>>, timing: Timing): Promise<PollStep<A> & { readonly _tag: 'Done' } | { readonly _tag: 'StillPending' }> => {
  const started = timing.now()
  let retryAfterMs = 0
  for (let round = 0; ; round += 1) {
    const wait = Math.max(pollDelay(timing.poll, round, timing.random), retryAfterMs)
    if (timing.now() - started + wait > timing.poll.totalMs) return { _tag: 'StillPending' }
    await timing.sleep(wait)
    const step = await check()
    if (step._tag === 'Done') return step
    retryAfterMs = (step.retryAfterSeconds ?? 0) * 1000
  }
}

/** One look at an accepted change as the gateway's answer: its outcome when done, else still Accepted (with the wait asked for). */
export const acceptedOr = (step: PollStep<ProvisioningResult>, reference: string): ProvisioningResult =>
  step._tag === 'Done' ? step.value : accepted(reference, step.retryAfterSeconds)

/** A look that failed as a poll step: a permanent failure ends the wait, any other waits (as long as the provider asked). */
export const stepAfterFailure = (failure: ProvisioningResult): PollStep<ProvisioningResult> => {
  if (failure._tag === 'PermanentFailure') return { _tag: 'Done', value: failure }
  return failure._tag === 'TransientFailure' && failure.retryAfterSeconds !== undefined
    ? { _tag: 'NotYet', retryAfterSeconds: failure.retryAfterSeconds }
    : { _tag: 'NotYet' }
}
