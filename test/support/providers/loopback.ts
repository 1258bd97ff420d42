import { createServer, IncomingMessage, ServerResponse } from 'node:http'
import { AddressInfo } from 'node:net'

/** A request as a loopback provider saw it. */
export interface SeenRequest {
  readonly method: string
  readonly path: string
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: string
}

/** An answer a loopback provider gives: status, headers, a JSON body (or raw text), after an optional delay. */
export interface Answer {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  readonly json?: unknown
  readonly text?: string
  readonly delayMs?: number
}

/** A misbehaviour queued for the next request of a method: a status with a body, a slow or a malformed answer. */
export type Fault =
  | { readonly kind: 'answer'; readonly on: string; readonly answer: Answer }
  | { readonly kind: 'slow'; readonly on: string; readonly delayMs: number }
  | { readonly kind: 'malformed'; readonly on: string }

/** A started loopback server. */
export interface Loopback {
  readonly baseUrl: string
  /** Every request, in order. */
  readonly requests: () => ReadonlyArray<SeenRequest>
  /** Queue faults: each is used once by the next request of its method (and path prefix, when `on` is "METHOD /prefix"). */
  readonly fault: (...faults: ReadonlyArray<Fault>) => void
  readonly close: () => Promise<void>
}

const readBody = (request: IncomingMessage): Promise<string> => new Promise((resolve, reject) => {
  const chunks: Buffer[] = []
  request.on('data', (chunk: Buffer) => chunks.push(chunk))
  request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
  request.on('error', reject)
})

const write = (response: ServerResponse, answer: Answer): void => {
  response.on('error', () => undefined) // the client may have given up (timeout): nothing to do
  const body = answer.text ?? (answer.json === undefined ? '' : JSON.stringify(answer.json))
  response.writeHead(answer.status, { ...(answer.json === undefined ? {} : { 'content-type': 'application/json' }), ...answer.headers })
  response.end(body)
}

const matches = (fault: Fault, seen: SeenRequest): boolean => {
  const [method, prefix] = fault.on.split(' ')
  return method === seen.method && (prefix === undefined || seen.path.startsWith(prefix))
}

/** Start a provider on 127.0.0.1 (a free port) that answers with `handle`, unless a queued fault comes first. */
export const startLoopback = async (handle: (request: SeenRequest) => Answer | Promise<Answer>): Promise<Loopback> => {
  const seen: SeenRequest[] = []
  const faults: Fault[] = []
  const server = createServer((request, response) => {
    void (async () => {
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]))
      const one: SeenRequest = { method: request.method ?? 'GET', path: request.url ?? '/', headers, body: await readBody(request) }
      seen.push(one)
      const index = faults.findIndex((fault) => matches(fault, one))
      const fault = index < 0 ? undefined : faults.splice(index, 1)[0]
      if (fault?.kind === 'answer') return write(response, fault.answer)
      if (fault?.kind === 'malformed') return write(response, { status: 200, headers: { 'content-type': 'application/json' }, text: '{"quantity": 1,' })
      const answer = await handle(one)
      const delayMs = fault?.kind === 'slow' ? fault.delayMs : answer.delayMs ?? 0
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))
      return write(response, answer)
    })().catch((error: unknown) => write(response, { status: 500, json: { code: 'LoopbackBroken', description: String(error) } }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests: () => [...seen],
    fault: (...more) => { faults.push(...more) },
    close: () => new Promise((resolve, reject) => {
      server.closeAllConnections()
      server.close((error) => (error === undefined ? resolve() : reject(error)))
    }),
  }
}

/** A JSON body as an object (the loopback servers' requests are JSON or forms). */
export const jsonOf = (text: string): Record<string, unknown> | null => {
  try {
    const value = JSON.parse(text) as unknown
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : null
  } catch {
    return null
  }
}
