import { Db, SqliteSynchronous } from './sqliteDatabase'

/**
 * Run `work` on the connection of a store's events, but with `synchronous = NORMAL` when it is a
 * transaction of its own: what it writes (views, checkpoints, claims) is rebuilt from the events
 * or harmless to lose, so it costs no disk sync, and a view never lands apart from its
 * checkpoint. Inside an event transaction it commits with the events, under their durability.
 * One connection for events and views keeps one page cache: no connection makes the other re-read.
 */
export const relaxedOn = (db: Db, synchronous: SqliteSynchronous) => <A>(work: () => A): A => {
  if (synchronous === 'NORMAL' || db.inTransaction) return work()
  db.pragma('synchronous = NORMAL')
  try {
    return work()
  } finally {
    db.pragma(`synchronous = ${synchronous}`)
  }
}

/** How a store's views and claims write: through `relaxed`, or as they are. */
export type Relaxed = <A>(work: () => A) => A

/** Writes as they are (a file of its own, opened with its own synchronous level). */
export const asIs: Relaxed = (work) => work()
