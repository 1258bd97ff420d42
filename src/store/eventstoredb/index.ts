import { EventStoreDBClient } from '@eventstore/db-client'
import { Storage } from '../storage'
import { openSqliteViewFile } from '../sqliteViews'
import { parseEventStoreDbUrl } from './address'
import { eventStoreDbClaims } from './claims'
import { eventStoreDbEvents } from './events'

export { AppendTooLargeError, EventStoreDbUnavailableError } from './errors'
export { defaultViewsFile, isEventStoreDbUrl, parseEventStoreDbUrl } from './address'

/**
 * A storage whose events live in EventStoreDB (`esdb://host:port?tls=false&views=PATH&namespace=P`)
 * and whose views and checkpoints live in a SQLite file beside the host application, written
 * together in one transaction. Claims live in EventStoreDB, shared by every instance on the node. Opening makes no call: the first read or append connects.
 */
export const openEventStoreDbStorage = (url: string): Storage => {
  const address = parseEventStoreDbUrl(url)
  const source = `esdb://${address.address}/${address.namespace}`
  const viewFile = openSqliteViewFile(address.views, source)
  let client: EventStoreDBClient
  try {
    client = EventStoreDBClient.connectionString(address.connectionString)
  } catch (error) {
    void viewFile.close()
    throw new Error(`the EventStoreDB URL "${address.connectionString}" is not valid: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  }
  const connection = { client, address: address.address, namespace: address.namespace }
  const events = eventStoreDbEvents(connection)
  let closed = false
  return {
    events,
    views: viewFile.views,
    claims: eventStoreDbClaims(connection),
    records: viewFile.records,
    close: async () => {
      if (closed) return
      closed = true
      await Promise.all([events.close(), viewFile.close()])
    },
    describe: `eventstoredb ${address.address}${address.namespace === '' ? '' : ` namespace ${address.namespace}`}, views in ${address.views === ':memory:' ? 'memory' : address.views}`,
  }
}
