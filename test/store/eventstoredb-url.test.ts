import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import { parseEventStoreDbUrl } from '../../src/store/eventstoredb'
import { openStorage } from '../../src/store/open'
import { openSqliteStorage } from '../../src/store/sqlite'

describe('EventStoreDB store URLs', () => {
  it('takes views= and namespace= out of the connection string and keeps the rest', () => {
    expect(parseEventStoreDbUrl('esdb://admin:secret@db.example:2113?tls=false&views=/var/seatflow/views.db&namespace=tenant-a/&defaultDeadline=5000'))
      .toEqual({
        connectionString: 'esdb://admin:secret@db.example:2113?tls=false&defaultDeadline=5000',
        address: 'db.example:2113', views: '/var/seatflow/views.db', namespace: 'tenant-a/',
      })
  })

  it('puts the views in seatflow-views.db in the working folder unless told, and in memory for views=memory', () => {
    expect(parseEventStoreDbUrl('esdb://localhost:2113?tls=false')).toMatchObject({ views: 'seatflow-views.db', namespace: '' })
    expect(parseEventStoreDbUrl('esdb+discover://a:2113,b:2113?views=memory')).toMatchObject({ views: ':memory:', address: 'a:2113,b:2113' })
  })

  it('refuses a $ namespace, an empty views path and a URL without a host', () => {
    expect(() => parseEventStoreDbUrl('esdb://h:1?namespace=$sys')).toThrow(/must not start with \$/)
    expect(() => parseEventStoreDbUrl('esdb://h:1?views=')).toThrow(/views= needs a file path/)
    expect(() => parseEventStoreDbUrl('esdb://?tls=false')).toThrow(/names no host/)
    expect(() => openStorage('redis://h:1')).toThrow(/use sqlite:PATH, memory: or esdb:\/\/host:port\?tls=false/)
  })

  it('keeps a views file to the store it describes, and never opens it as a store of its own', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-views-'))
    try {
      const views = path.join(dir, 'views.db')
      await openStorage(`esdb://127.0.0.1:1?tls=false&views=${views}&namespace=a/`).close()
      expect(() => openStorage(`esdb://127.0.0.1:1?tls=false&views=${views}&namespace=b/`)).toThrow(/holds the views of esdb:\/\/127\.0\.0\.1:1\/a\/, not of esdb:\/\/127\.0\.0\.1:1\/b\//)
      expect(() => openSqliteStorage(views)).toThrow(/holds only the views of the events at esdb:\/\/127\.0\.0\.1:1\/a\//)
      const store = path.join(dir, 'store.db')
      const sqlite = openSqliteStorage(store)
      await sqlite.events.append('s', 'no_stream', [{ eventId: '0190d6a4-0000-7000-8000-000000000001', type: 'T', data: {}, metadata: { occurredAt: '2024-01-01T00:00:00Z', actor: 'a', correlationId: 'c', causationId: null } }])
      await sqlite.close()
      expect(() => openStorage(`esdb://127.0.0.1:1?tls=false&views=${store}`)).toThrow(/is a seatflow SQLite store with events, not a views file/)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
