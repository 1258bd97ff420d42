import { Fetch, HttpAnswer, HttpCall, retryAfterSeconds, send } from './http'
import { defaultPollPolicy, pollDelay, realTiming, Timing } from './polling'

/** What every HTTP gateway lets a host set about its calls. */
export interface TransportOptions {
  /** The fetch to call (default: Node's). */
  readonly fetch?: Fetch
  /** The timeout of one call, answer included (ms; default 30 000). */
  readonly timeoutMs?: number
  /** How often one call is repeated, unchanged, after no answer or a 5xx (default 2). */
  readonly callRetries?: number
  /**
   * A 429 whose Retry-After asks for at most this many seconds is waited within the call, and the call
   * repeated unchanged (same idempotency key); the waits of one call add up to at most this, each counted
   * as at least a second. A longer Retry-After is the call's answer: the next attempt is scheduled
   * after it. Default 10; 0 never waits.
   */
  readonly throttleWaitSeconds?: number
  /** Polling policy, jitter, sleep and clock (default: real time, `defaultPollPolicy`). */
  readonly timing?: Partial<Timing>
}

/** The resolved transport of a gateway. */
export interface Transport {
  readonly timing: Timing
  /** One call, repeated unchanged (same headers, so the same idempotency key) after no answer, a 5xx or a short Retry-After. */
  readonly call: (call: HttpCall) => Promise<HttpAnswer>
  /** The current time, from the injected clock. */
  readonly now: () => Date
}

const positive = (value: number | undefined, fallback: number, name: string, integer = false): number => {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) throw new Error(`${name} must be a non-negative ${integer ? 'whole ' : ''}number, got ${value}`)
  return value
}

const retryable = (answer: HttpAnswer): boolean => answer._tag === 'Unreachable' || answer.status >= 500

/** What one call has used of its repeats so far. */
interface Repeats {
  readonly retries: number
  /** Throttled time waited, each wait counted as at least a second (ms). */
  readonly throttledMs: number
}

/** The limits of a transport's repeats. */
interface RepeatLimits {
  readonly retries: number
  readonly throttleMs: number
}

/** How long to wait before repeating a call after this answer, and what that uses up; null: the answer stands. */
const repeatAfter = (answer: HttpAnswer, used: Repeats, limits: RepeatLimits, timing: Timing): { readonly waitMs: number; readonly used: Repeats } | null => {
  if (retryable(answer)) {
    return used.retries < limits.retries ? { waitMs: pollDelay(timing.poll, used.retries, timing.random), used: { ...used, retries: used.retries + 1 } } : null
  }
  if (answer._tag !== 'Answered' || answer.status !== 429) return null
  const seconds = retryAfterSeconds(answer.headers.get('retry-after'), new Date(timing.now()))
  if (seconds === undefined) return null
  const throttledMs = used.throttledMs + Math.max(1000, seconds * 1000)
  return throttledMs <= limits.throttleMs ? { waitMs: seconds * 1000, used: { ...used, throttledMs } } : null
}

/** Resolve a gateway's transport options; a wrong number is a clear error at construction. */
export const transportOf = (options: TransportOptions): Transport => {
  const timeoutMs = positive(options.timeoutMs, 30_000, 'timeoutMs')
  const limits: RepeatLimits = {
    retries: positive(options.callRetries, 2, 'callRetries', true),
    throttleMs: positive(options.throttleWaitSeconds, 10, 'throttleWaitSeconds') * 1000,
  }
  const timing: Timing = { ...realTiming(options.timing?.poll ?? defaultPollPolicy), ...options.timing }
  const fetchFn = options.fetch ?? fetch
  return {
    timing,
    now: () => new Date(timing.now()),
    call: async (call) => {
      let answer = await send(fetchFn, call, timeoutMs)
      let used: Repeats = { retries: 0, throttledMs: 0 }
      for (let repeat = repeatAfter(answer, used, limits, timing); repeat !== null; repeat = repeatAfter(answer, used, limits, timing)) {
        await timing.sleep(repeat.waitMs)
        used = repeat.used
        answer = await send(fetchFn, call, timeoutMs)
      }
      return answer
    },
  }
}

/** A URL under a base: a tagged template whose values (ids) are URI-encoded. */
export const urlUnder = (baseUrl: string) => (parts: TemplateStringsArray, ...values: ReadonlyArray<string>): string =>
  baseUrl.replace(/\/+$/, '') + parts.reduce((url, part, index) => url + encodeURIComponent(values[index - 1] ?? '') + part)
