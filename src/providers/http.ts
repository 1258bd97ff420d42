import { ProvisioningResult } from './gateway'

/** The fetch a gateway calls: Node's own by default, any compatible one in its place. */
export type Fetch = typeof fetch

/** One HTTP call of a gateway. `json` is sent as a JSON body, `form` as a URL-encoded one. */
export interface HttpCall {
  readonly method: string
  readonly url: string
  readonly headers?: Readonly<Record<string, string>>
  readonly json?: unknown
  readonly form?: Readonly<Record<string, string>>
}

/** What came back: an answer with its status, or no answer at all (timeout, refused connection). */
export type HttpAnswer =
  | { readonly _tag: 'Answered'; readonly status: number; readonly headers: Headers; readonly text: string }
  | { readonly _tag: 'Unreachable'; readonly reason: string }

const bodyOf = (call: HttpCall): { readonly body?: string; readonly type?: string } => {
  if (call.form !== undefined) return { body: new URLSearchParams({ ...call.form }).toString(), type: 'application/x-www-form-urlencoded' }
  if (call.json !== undefined) return { body: JSON.stringify(call.json), type: 'application/json' }
  return {}
}

const causeOf = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error)
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause
  if (cause !== undefined && cause !== null) return String(cause.code ?? cause.message)
  return error.message
}

/** Make one call, the answer's body read within the same timeout. Never throws. */
export const send = async (fetchFn: Fetch, call: HttpCall, timeoutMs: number): Promise<HttpAnswer> => {
  const { body, type } = bodyOf(call)
  const headers = { accept: 'application/json', ...(type === undefined ? {} : { 'content-type': type }), ...call.headers }
  try {
    const response = await fetchFn(call.url, { method: call.method, headers, signal: AbortSignal.timeout(timeoutMs), ...(body === undefined ? {} : { body }) })
    const text = await response.text()
    return { _tag: 'Answered', status: response.status, headers: response.headers, text }
  } catch (error) {
    // Read the error by shape: fetch's DOMException may come from another realm (e.g. under a test runner).
    const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined
    const timedOut = name === 'TimeoutError' || name === 'AbortError'
    return {
      _tag: 'Unreachable',
      reason: timedOut ? `no answer from ${call.method} ${call.url} within ${timeoutMs} ms` : `could not reach ${call.method} ${call.url}: ${causeOf(error)}`,
    }
  }
}

/** A parsed JSON body, or why it is not one. */
export type Json = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string }

/** Parse a body as JSON; `what` names the call in the error (e.g. "GET https://..."). */
export const parseJson = (text: string, what: string): Json => {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch (error) {
    const snippet = text.length > 60 ? `${text.slice(0, 60)}…` : text
    return { ok: false, reason: `malformed JSON in the answer to ${what} (${error instanceof Error ? error.message : String(error)}): ${JSON.stringify(snippet)}` }
  }
}

/** A `Retry-After` header in seconds (it may be seconds or an HTTP date); undefined when absent or unreadable. */
export const retryAfterSeconds = (header: string | null, now: Date): number | undefined => {
  if (header === null || header.trim() === '') return undefined
  const text = header.trim()
  if (/^\d+$/.test(text)) return Number(text)
  const at = Date.parse(text)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000))
}

/** A record's field by name, when the value is an object. */
export const field = (value: unknown, name: string): unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : undefined

/** A provider's error body (`{code, description}`, `{code, message}`, `{error: {...}}`, OAuth's `{error, error_description}`): its code and its words. */
export const providerError = (body: unknown): { readonly code?: string; readonly description?: string } => {
  const inner = field(body, 'error')
  const source = typeof inner === 'object' && inner !== null ? inner : body
  const code = text(field(source, 'code')) ?? text(field(source, 'errorCode')) ?? text(inner) // OAuth: {error, error_description}
  const description = text(field(source, 'description')) ?? text(field(source, 'message')) ?? text(field(source, 'error_description'))
  return { ...(code === undefined ? {} : { code }), ...(description === undefined ? {} : { description }) }
}

/** A transient failure, with the provider's Retry-After when it gave one. */
export const transient = (reason: string, retryAfter?: number): ProvisioningResult =>
  retryAfter === undefined ? { _tag: 'TransientFailure', reason } : { _tag: 'TransientFailure', reason, retryAfterSeconds: retryAfter }

/** A change the provider accepted and is still making, with its Retry-After when it gave one. */
export const accepted = (reference: string, retryAfter?: number): ProvisioningResult =>
  retryAfter === undefined ? { _tag: 'Accepted', reference } : { _tag: 'Accepted', reference, retryAfterSeconds: retryAfter }

/** A permanent failure with the provider's code when it gave one. */
export const permanent = (reason: string, code?: string): ProvisioningResult =>
  code === undefined ? { _tag: 'PermanentFailure', reason } : { _tag: 'PermanentFailure', reason, code }

/** How a gateway reads an unsuccessful answer. */
export interface FailureReading {
  /** Names the call in reasons, e.g. "Partner Center PATCH subscription". */
  readonly what: string
  readonly now: Date
  /** A provider error that is worth trying again although its status says otherwise. */
  readonly transientWhen?: (error: { readonly code?: string; readonly description?: string }) => boolean
}

/**
 * An unsuccessful answer as a result: no answer, 5xx, 408, 401 (a token may be refreshed) and 429
 * (with Retry-After) are transient; other 4xx are permanent with the provider's code and description.
 */
export const failureOf = (answer: HttpAnswer, reading: FailureReading): ProvisioningResult => {
  if (answer._tag === 'Unreachable') return transient(`${reading.what}: ${answer.reason}`)
  const parsed = parseJson(answer.text, reading.what)
  const error = parsed.ok ? providerError(parsed.value) : {}
  const words = [error.code, error.description ?? (answer.text.trim() === '' ? undefined : answer.text.trim().slice(0, 200))]
    .filter((part) => part !== undefined).join(': ')
  const reason = `${reading.what} answered ${answer.status}${words === '' ? '' : ` (${words})`}`
  if (answer.status === 429) return transient(reason, retryAfterSeconds(answer.headers.get('retry-after'), reading.now))
  if (answer.status >= 500 || answer.status === 408 || answer.status === 401 || reading.transientWhen?.(error) === true) {
    return transient(reason, retryAfterSeconds(answer.headers.get('retry-after'), reading.now))
  }
  return permanent(error.description ?? reason, error.code)
}
