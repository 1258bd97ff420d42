import type { StreamingRead } from '@eventstore/db-client'
import { Readable } from 'node:stream'

/**
 * The items of a server-streaming read (`readAll`, `readStream`), whose gRPC call is over however
 * the reading ends: to its end, or early (a bound reached, a `break`, a `return`, an error).
 *
 * The client pipes the call's own stream into the stream it returns. A reader that leaves early
 * destroys only the returned one: the call's stream is unpiped and paused. While the node is still
 * sending, `cancel()` ends it. But when the node has already sent everything and ended the call,
 * `cancel()` does nothing, and the call's stream keeps the messages nobody took with its end queued
 * behind them: it never finishes, and `client.dispose()` (the store's `close()`), which waits for
 * every stream the client opened, waits for good. So leaving early cancels the call and then
 * destroys its stream. The call's stream is known by the `pipe` event of the returned one.
 */
export async function* wholeRead<A>(open: () => StreamingRead<A>): AsyncGenerator<A, void, undefined> {
  const read = open()
  let call: Readable | undefined
  // Listened to before the client pipes: it does so once the channel is ready, after this returns.
  read.once('pipe', (source: unknown) => { if (source instanceof Readable) call = source })
  let finished = false
  try {
    for await (const item of read) yield item
    finished = true
  } finally {
    if (!finished) {
      await read.cancel().catch(() => undefined) // a call that never started has nothing to cancel
      call?.destroy()
    }
  }
}
