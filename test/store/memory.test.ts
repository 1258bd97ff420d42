import { openMemoryStorage } from '../../src/store/memory'
import { storeContract } from './contract'

storeContract('memory', openMemoryStorage)

describe('memory storage', () => {
  it('refuses to work once closed', async () => {
    const storage = openMemoryStorage()
    await storage.close()
    await storage.close()
    await expect(storage.events.lastPosition()).rejects.toThrow('closed')
    expect(() => storage.views.checkpoint('p')).toThrow('closed')
  })

  it('keeps stored rows apart from the objects given and returned', () => {
    const { views } = openMemoryStorage()
    const row = { n: 1 }
    views.update('p', (tx) => { tx.put('v', 'k', row); return 1 })
    row.n = 2
    const read = views.get('v', 'k') as { n: number }
    read.n = 3
    expect(views.get('v', 'k')).toEqual({ n: 1 })
  })
})
