import { Fetch, HttpAnswer, HttpCall, send } from './http'
import { defaultPollPolicy, pollDelay, realTiming, Timing } from './polling'

/** What every HTTP gateway lets a host set about its calls. */
export interface TransportOptions {
  /** The fetch to call (default: Node's). */
  readonly fetch?: Fetch
  /** The timeout of one call, answer included (ms; default 30 000). */
  readonly timeoutMs?: number
  /** How often one call is repeated, unchanged, after no answer or a 5xx (default 2). */
  readonly callRetries?: number
  /** Polling policy, jitter, sleep and clock (default: real time, `defaultPollPolicy`). */
  readonly timing?: Partial<Timing>
}

/** The resolved transport of a gateway. */
export interface Transport {
  readonly timing: Timing
  /** One call, repeated unchanged (same headers, so the same idempotency key) after no answer or a 5xx. */
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

/** Resolve a gateway's transport options; a wrong number is a clear error at construction. */
export const transportOf = (options: TransportOptions): Transport => {
  const timeoutMs = positive(options.timeoutMs, 30_000, 'timeoutMs')
  const retries = positive(options.callRetries, 2, 'callRetries', true)
  const timing: Timing = { ...realTiming(options.timing?.poll ?? defaultPollPolicy), ...options.timing }
  const fetchFn = options.fetch ?? fetch
  return {
    timing,
    now: () => new Date(timing.now()),
    call: async (call) => {
      let answer = await send(fetchFn, call, timeoutMs)
      for (let retry = 0; retry < retries && retryable(answer); retry += 1) {
        await timing.sleep(pollDelay(timing.poll, retry, timing.random))
        answer = await send(fetchFn, call, timeoutMs)
      }
      return answer
    },
  }
}

/** A URL under a base: a tagged template whose values (ids) are URI-encoded. */
export const urlUnder = (baseUrl: string) => (parts: TemplateStringsArray, ...values: ReadonlyArray<string>): string =>
  baseUrl.replace(/\/+$/, '') + parts.reduce((url, part, index) => url + encodeURIComponent(values[index - 1] ?? '') + part)
