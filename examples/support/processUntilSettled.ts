// How an example drives its changes to their end: process() again whenever the next attempt is due,
// until nothing is left to try. Not an example itself (scripts/run-examples.js runs examples/*.ts only).
import * as E from 'fp-ts/Either'
import { ProcessReport, Seatflow } from '../../src'

/** Where the time until the next attempt passes: a simulated clock is moved, the system clock is waited for. */
export type Waiting =
  | { readonly _tag: 'SimulatedClock'; readonly clock: { readonly now: () => Date; readonly set: (to: Date | string) => void } }
  | { readonly _tag: 'SystemClock' }

/** How far an example lets its changes run: time (simulated or real) and process() calls. */
export interface Bound {
  readonly maxMs: number
  readonly maxRuns: number
}

/** What driving did: the process() calls made and the last report. */
export interface Settled {
  readonly runs: number
  readonly last: ProcessReport
}

const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`

/** Wait until `at`: move the simulated clock there, or sleep on the system clock. */
const waitUntil = async (waiting: Waiting, at: Date): Promise<void> => {
  if (waiting._tag === 'SimulatedClock') {
    if (at.getTime() > waiting.clock.now().getTime()) waiting.clock.set(at)
    return
  }
  const ms = at.getTime() - Date.now()
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms))
}

/** The pause before checking again changes the provider accepted and has not confirmed: none, then 1 s doubling to 30 s. */
const checkAgainMs = (checksInARow: number): number => (checksInARow <= 1 ? 0 : Math.min(30_000, 1000 * 2 ** (checksInARow - 2)))

/**
 * Call `process()` until a run tries nothing and schedules nothing (what is left unresolved then
 * waits for a person: a Manual change, a failed one to re-queue). When an attempt is scheduled,
 * wait for its `nextAttemptAt` first; while changes the provider accepted are not confirmed (and
 * nothing is scheduled), check again right away once, then after a growing pause.
 * Fails, saying why, when the bound is reached.
 */
export const processUntilSettled = async (seatflow: Pick<Seatflow, 'process' | 'licenseChangeLog'>, waiting: Waiting, bound: Bound): Promise<E.Either<string, Settled>> => {
  const now = (): number => (waiting._tag === 'SimulatedClock' ? waiting.clock.now().getTime() : Date.now())
  const deadline = now() + bound.maxMs
  let checksInARow = 0
  for (let runs = 1; runs <= bound.maxRuns; runs += 1) {
    if (now() > deadline) return E.left(`changes still in progress after ${seconds(bound.maxMs)}`)
    const last = await seatflow.process()
    if (last.changesTried === 0 && last.nextAttemptAt === null) return E.right({ runs, last })
    const unconfirmed = last.nextAttemptAt === null && (await seatflow.licenseChangeLog())
      .some((row) => row.status === 'Awaiting Provisioning' && row.pendingReference !== null)
    checksInARow = unconfirmed ? checksInARow + 1 : 0
    const due = last.nextAttemptAt === null ? new Date(now() + checkAgainMs(checksInARow)) : new Date(last.nextAttemptAt)
    if (due.getTime() > deadline) {
      return E.left(last.nextAttemptAt === null
        ? `changes the provider accepted are still not confirmed after ${seconds(bound.maxMs)}`
        : `the next attempt is due at ${last.nextAttemptAt}, past the bound of ${seconds(bound.maxMs)}: ${JSON.stringify(last.scheduled)}`)
    }
    await waitUntil(waiting, due)
  }
  return E.left(`changes still in progress after ${bound.maxRuns} runs of process()`)
}
