import { hostname } from 'node:os'
import { randomUUID } from 'node:crypto'

/** This process's name as a claimant: its host and process id, and a fresh id for the seatflow instance. */
export const claimantName = (): string => `${hostname()}/${process.pid}/${randomUUID()}`

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPERM'
  }
}

/**
 * Whether a claimant is gone: a process of this host that no longer runs (it was killed between
 * claiming a mail and recording it). Its claims need not wait out their lease; a claimant of
 * another host, or one still running, is never taken for gone.
 */
export const claimantGone = (claimant: string): boolean => {
  const [host, pid] = claimant.split('/')
  const id = Number(pid)
  return host === hostname() && Number.isSafeInteger(id) && id > 0 && id !== process.pid && !alive(id)
}
