/**
 * Leases on work that several processes sharing one store could each do, such as sending one
 * mail: the first to claim a key does the work; a claim whose lease ran out (its holder died) may
 * be taken by another. Times are the machines' wall clock, in epoch milliseconds.
 */
export interface Claims {
  /** Claim `key` for `owner` for `leaseMs` from `nowMs`: true when it was free or its lease had run out. */
  readonly claim: (key: string, owner: string, nowMs: number, leaseMs: number) => Promise<boolean>
  /** Give a claim back (the work is done, or failed and may be tried again at once). Only its owner can. */
  readonly release: (key: string, owner: string) => Promise<void>
  /** Who holds the claim on `key`, if anyone (it may have run out). */
  readonly holder: (key: string) => Promise<string | undefined>
}

/** Claims that ran out are pruned once every this many claims, so the table of claims stays small. */
export const pruneEvery = 64

/** Claims kept in this process: enough for one process, which is all a memory store serves. */
export const createMemoryClaims = (): Claims => {
  const held = new Map<string, { readonly owner: string; readonly until: number }>()
  let claims = 0
  return {
    claim: async (key, owner, nowMs, leaseMs) => {
      claims += 1
      if (claims % pruneEvery === 0) held.forEach((claim, name) => { if (claim.until <= nowMs) held.delete(name) })
      const found = held.get(key)
      if (found !== undefined && found.until > nowMs) return false
      held.set(key, { owner, until: nowMs + leaseMs })
      return true
    },
    release: async (key, owner) => {
      if (held.get(key)?.owner === owner) held.delete(key)
    },
    holder: async (key) => held.get(key)?.owner,
  }
}
