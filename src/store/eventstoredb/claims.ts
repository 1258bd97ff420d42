import { createHash, randomUUID } from 'node:crypto'
import {
  AppendExpectedRevision, BACKWARDS, END, jsonEvent, NO_STREAM, StreamNotFoundError, WrongExpectedVersionError,
} from '@eventstore/db-client'
import { Claims } from '../claims'
import { wholeRead } from './calls'
import { claimStreamPrefix } from './codec'
import { mapFailure } from './errors'
import type { Connection } from './events'

/** How many events a claim stream keeps ($maxCount): the last one is all a claim reads. */
export const claimStreamMaxCount = 4

/** The last event of a claim stream: its revision, and who held the claim until when. */
interface Last {
  readonly revision: bigint
  readonly taken: boolean
  readonly owner: string | undefined
  readonly until: number
}

const lastOf = async (connection: Connection, stream: string): Promise<Last | undefined> => {
  try {
    const read = wholeRead(() => connection.client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 }))
    for await (const resolved of read) {
      const event = resolved.event
      if (event === undefined) continue
      const data = (typeof event.data === 'object' && event.data !== null ? event.data : {}) as { owner?: unknown; until?: unknown }
      return {
        revision: event.revision,
        taken: event.type === 'ClaimTaken',
        owner: typeof data.owner === 'string' ? data.owner : undefined,
        until: typeof data.until === 'number' ? data.until : 0,
      }
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) return undefined
    throw mapFailure(error, { address: connection.address, operation: 'read of a claim', streamId: stream })
  }
  return undefined
}

/** Append one claim event at an exact expected revision: false when another instance wrote first. */
const appendAt = async (connection: Connection, stream: string, expected: AppendExpectedRevision, type: string, data: Record<string, string | number>): Promise<boolean> => {
  try {
    await connection.client.appendToStream(stream, jsonEvent({ id: randomUUID(), type, data }), { expectedRevision: expected })
    return true
  } catch (error) {
    if (error instanceof WrongExpectedVersionError) return false
    throw mapFailure(error, { address: connection.address, operation: `append of ${type}`, streamId: stream })
  }
}

/** Keep a new claim stream short: a real node drops all but its last events (the stand-in ignores this). */
const limit = async (connection: Connection, stream: string): Promise<void> => {
  try {
    await connection.client.setStreamMetadata(stream, { maxCount: claimStreamMaxCount })
  } catch (error) {
    throw mapFailure(error, { address: connection.address, operation: 'metadata of a claim', streamId: stream })
  }
}

/**
 * Claims kept in EventStoreDB itself, so that every instance on the node sees them, whatever host
 * it runs on and whatever views file it has: one stream per key, written with optimistic
 * concurrency (the exact revision just read), so of two instances claiming at once only one append
 * succeeds. Readers of $all skip these streams (see `fromResolved`).
 */
export const eventStoreDbClaims = (connection: Connection): Claims => {
  const streamOf = (key: string): string =>
    connection.namespace + claimStreamPrefix + createHash('sha256').update(key).digest('hex')
  return {
    claim: async (key, owner, nowMs, leaseMs) => {
      const stream = streamOf(key)
      const last = await lastOf(connection, stream)
      if (last !== undefined && last.taken && last.until > nowMs) return false
      // Limited before its first event, so a failure here leaves no claim behind (racers may each write it: harmless).
      if (last === undefined) await limit(connection, stream)
      return appendAt(connection, stream, last?.revision ?? NO_STREAM, 'ClaimTaken', { key, owner, until: nowMs + leaseMs })
    },
    release: async (key, owner) => {
      const stream = streamOf(key)
      const last = await lastOf(connection, stream)
      if (last === undefined || !last.taken || last.owner !== owner) return
      await appendAt(connection, stream, last.revision, 'ClaimReleased', { key, owner })
    },
    holder: async (key) => {
      const last = await lastOf(connection, streamOf(key))
      return last?.taken === true ? last.owner : undefined
    },
  }
}
