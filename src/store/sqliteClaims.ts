import { Claims, pruneEvery } from './claims'
import { Db } from './sqliteDatabase'
import { asIs, Relaxed } from './sqliteRelaxed'

/**
 * Claims in a table of the store's SQLite file, so that every process sharing the file sees them.
 * Written through the views connection (synchronous NORMAL): a claim lost to a power failure can
 * only let a mail go out once more, which at-least-once delivery allows.
 */
export const openSqliteClaims = (db: Db, relaxed: Relaxed = asIs): Claims => {
  let ready = false
  let claims = 0
  const table = (): void => {
    if (ready) return
    db.exec('CREATE TABLE IF NOT EXISTS claims(key TEXT PRIMARY KEY, owner TEXT NOT NULL, until INTEGER NOT NULL) WITHOUT ROWID')
    ready = true
  }
  return {
    claim: async (key, owner, nowMs, leaseMs) => {
      table()
      claims += 1
      return relaxed(() => {
        if (claims % pruneEvery === 0) db.prepare<[number]>('DELETE FROM claims WHERE until <= ?').run(nowMs)
        const taken = db.prepare<[string, string, number, number]>(
          `INSERT INTO claims(key, owner, until) VALUES (?, ?, ?)
           ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, until = excluded.until WHERE claims.until <= ?`,
        ).run(key, owner, nowMs + leaseMs, nowMs)
        return taken.changes === 1
      })
    },
    release: async (key, owner) => {
      table()
      relaxed(() => db.prepare<[string, string]>('DELETE FROM claims WHERE key = ? AND owner = ?').run(key, owner))
    },
    holder: async (key) => {
      table()
      return db.prepare<[string], { owner: string }>('SELECT owner FROM claims WHERE key = ?').get(key)?.owner
    },
  }
}
