import { hostname } from 'node:os'
import { randomUUID } from 'node:crypto'
import { Claims } from '../../store/claims'

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

/** How one seatflow instance claims work that several processes on the store could each do. */
export interface Claiming {
  readonly claims: Claims
  /** Who claims: this seatflow instance, named by `claimantName`. */
  readonly owner: string
  /** How long a claim holds before another process may do the work of a claimer that died. */
  readonly leaseMs: number
  /** The wall clock of leases (not the domain clock: a lease is about processes, not business time). */
  readonly wallClock: () => number
}

/** Claim `key`: free, its lease run out, or held by a process of this host that died. */
export const claimWork = async (claiming: Claiming, key: string): Promise<boolean> => {
  const { claims, owner, wallClock, leaseMs } = claiming
  if (await claims.claim(key, owner, wallClock(), leaseMs)) return true
  const holder = await claims.holder(key)
  if (holder === undefined || !claimantGone(holder)) return false
  await claims.release(key, holder)
  return claims.claim(key, owner, wallClock(), leaseMs)
}

/** Give a claim back (nothing was done, or what was done may be done again at once), and answer `answer`. */
export const releaseWork = async <A>(claiming: Claiming, key: string, answer: A): Promise<A> => {
  await claiming.claims.release(key, claiming.owner)
  return answer
}
