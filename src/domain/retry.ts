/** How long an automatic provider's change waits before its next attempt: exponential backoff with jitter. */
export interface RetryPolicy {
  /** The wait after the first failure, in seconds; it doubles with each further failure. */
  readonly baseSeconds: number
  /** The longest wait backoff and jitter make, in seconds (a provider's Retry-After may ask for more). */
  readonly capSeconds: number
  /** How long an attempt the provider accepted (202) may wait for its confirmation before the change fails; 24 hours when not given. */
  readonly confirmWithinHours?: number
}

/** An accepted attempt not confirmed within a day fails (re-queueable). */
export const defaultConfirmWithinHours = 24

/** 30 seconds, doubling, at most an hour. */
export const defaultRetryPolicy: RetryPolicy = { baseSeconds: 30, capSeconds: 3600 }

/** Why a retry policy cannot be used, or null when it can. */
export const retryPolicyProblem = (policy: RetryPolicy): string | null => {
  const { baseSeconds, capSeconds } = policy
  if (!Number.isFinite(baseSeconds) || baseSeconds < 0) return `retryBaseSeconds must be a number of seconds >= 0, not ${baseSeconds}`
  if (!Number.isFinite(capSeconds) || capSeconds < baseSeconds) return `retryCapSeconds must be a number of seconds >= retryBaseSeconds (${baseSeconds}), not ${capSeconds}`
  const confirm = policy.confirmWithinHours
  if (confirm !== undefined && (!Number.isFinite(confirm) || confirm <= 0)) return `confirmWithinHours must be a number of hours > 0, not ${confirm}`
  return null
}

/** A fraction in [0, 1) from a name (FNV-1a, 32 bits): the same name always gives the same fraction. */
export const jitterFraction = (name: string): number => {
  let hash = 0x811c9dc5
  for (let i = 0; i < name.length; i += 1) {
    hash ^= name.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash / 0x1_0000_0000
}

/**
 * Milliseconds to wait after the `failures`-th failed attempt since the change was queued, before
 * attempt `nextAttempt`: base × 2^(failures−1), plus a jitter of up to half of that derived from the
 * License Change id and the attempt (so replays and tests see the same schedule), at most the cap;
 * and never less than the provider's Retry-After.
 */
export const retryDelayMs = (
  policy: RetryPolicy,
  attempt: { readonly licenseChangeId: string; readonly nextAttempt: number; readonly failures: number; readonly retryAfterSeconds: number | null },
): number => {
  const capMs = policy.capSeconds * 1000
  const exponentialMs = Math.min(capMs, policy.baseSeconds * 1000 * 2 ** Math.max(0, attempt.failures - 1))
  const jitterMs = Math.floor(jitterFraction(`${attempt.licenseChangeId}:${attempt.nextAttempt}`) * exponentialMs / 2)
  const backoffMs = Math.min(capMs, exponentialMs + jitterMs)
  return Math.max(backoffMs, Math.ceil((attempt.retryAfterSeconds ?? 0) * 1000))
}

/** The instant `ms` milliseconds after the ISO instant `at`, as ISO-8601. */
export const addMs = (at: string, ms: number): string => new Date(Date.parse(at) + ms).toISOString()
