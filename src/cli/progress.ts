import { ProgressTick } from '../app/transfer/transfer'
import { Io } from './io'

const count = (n: number): string => Math.round(n).toLocaleString('en-US')

const duration = (ms: number): string => {
  const s = Math.ceil(ms / 1000)
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`
}

/**
 * One progress line: events done, events per second and, when the end is known (a total of
 * events, or the last position of the log), the time left.
 */
export const progressLine = (label: string, tick: ProgressTick, lastPosition: number | undefined, elapsedMs: number): string => {
  const rate = tick.events / Math.max(elapsedMs, 1) * 1000
  const fraction = tick.total !== undefined && tick.total > 0 ? tick.events / tick.total
    : lastPosition !== undefined && lastPosition > 0 && tick.position !== undefined ? tick.position / lastPosition
      : undefined
  const left = fraction === undefined || fraction <= 0 ? '' : `, ${duration(elapsedMs * (1 - Math.min(fraction, 1)) / fraction)} left`
  return `${label}: ${count(tick.events)} events, ${count(rate)} events/s${left}`
}

/** How often a progress line is redrawn at most. */
const redrawMs = 200

/**
 * Progress of a long read or write on stderr, when stderr is a terminal; nothing otherwise.
 * `tick` is undefined when quiet, so callers pass it on as an optional listener.
 */
export const createProgress = (io: Io, label: string, lastPosition?: number) => {
  const write = io.errRaw
  if (io.errIsTTY !== true || write === undefined) return { tick: undefined, end: (): void => undefined }
  const now = io.now ?? Date.now
  const started = now()
  let shown = Number.NEGATIVE_INFINITY
  let drawn = false
  return {
    tick: (tick: ProgressTick): void => {
      const at = now()
      if (at - shown < redrawMs) return
      shown = at
      drawn = true
      write(`\r${progressLine(label, tick, lastPosition, at - started)}\x1b[K`)
    },
    end: (): void => { if (drawn) write('\r\x1b[K') },
  }
}
