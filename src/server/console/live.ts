import type { FastifyReply } from 'fastify'
import type { Seatflow } from '../../app/seatflow'
import { statuses } from './pages/dashboard'

/** What a live page hears: where the log stands and the License Changes by status. */
export interface LiveUpdate {
  readonly position: number
  readonly counts: Readonly<Record<string, number>>
}

const countsNow = async (seatflow: Seatflow): Promise<Readonly<Record<string, number>>> => {
  const summary = await seatflow.licenseChangeSummary()
  return Object.fromEntries(statuses.map((status) => [status, summary.byStatusAndKind
    .filter((entry) => entry.status === status).reduce((sum, entry) => sum + entry.count, 0)]))
}

/** An update as a server-sent event: JSON on one `data:` line (JSON has no raw line break). */
const eventText = (update: LiveUpdate): string => `event: update\ndata: ${JSON.stringify(update)}\n\n`

/**
 * The live updates of the console: the worker's follow tells it each run (`heard`), and every open
 * event stream gets the counts by status and the position; the pages fetch their regions again.
 */
export const liveUpdates = (seatflow: Seatflow) => {
  const streams = new Set<FastifyReply>()
  let sending: Promise<void> = Promise.resolve()
  const send = (position: number): Promise<void> => {
    sending = sending.then(async () => {
      if (streams.size === 0) return
      const text = eventText({ position, counts: await countsNow(seatflow) })
      streams.forEach((reply) => reply.raw.write(text))
    }).catch(() => undefined)
    return sending
  }
  return {
    /** The worker ran after `position`: tell every open stream. */
    heard: (processed: { readonly position: number }): void => { void send(processed.position) },
    /** Open an event stream on a reply (hijacked): the current counts first, then every update, a comment every 25 s. */
    open: async (reply: FastifyReply): Promise<void> => {
      reply.hijack()
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })
      reply.raw.write('retry: 3000\n\n')
      streams.add(reply)
      const beat = setInterval(() => reply.raw.write(': still here\n\n'), 25_000)
      beat.unref()
      reply.raw.on('close', () => { clearInterval(beat); streams.delete(reply) })
      const { views } = await seatflow.positions()
      reply.raw.write(eventText({ position: views, counts: await countsNow(seatflow) }))
    },
    /** End every stream (the server is closing: an open stream would hold it). */
    close: (): void => { streams.forEach((reply) => reply.raw.end()); streams.clear() },
  }
}

/** The live updates of a console. */
export type LiveUpdates = ReturnType<typeof liveUpdates>
