import { openMemoryStorage } from '../../src/store/memory'
import { openScratchViews } from '../../src/store/scratch'

describe('replay views spilled to a scratch file', () => {
  it('keeps every row however small its cache, in the same key order as the memory store', () => {
    const scratch = openScratchViews({ cacheRows: 10 })
    const memory = openMemoryStorage().views
    const keys = Array.from({ length: 500 }, (_, i) => `key-${(i * 7919) % 1000}-é${i % 3 === 0 ? '\u{1F600}' : ''}`)
    for (const store of [scratch, memory]) {
      store.update('replay', (tx) => {
        keys.forEach((key, i) => tx.put('rows', key, { key, i }))
        keys.filter((_, i) => i % 5 === 0).forEach((key) => tx.delete('rows', key))
        keys.filter((_, i) => i % 7 === 0).forEach((key, i) => tx.put('rows', key, { key, changed: i }))
        return 42
      })
    }
    expect(scratch.rows('rows')).toEqual(memory.rows('rows'))
    expect(scratch.rows('rows').length).toBeGreaterThan(400)
    expect(scratch.checkpoint('replay')).toBe(42)
    expect(scratch.get('rows', keys[1] as string)).toEqual({ key: keys[1], i: 1 })
    expect(scratch.get('rows', keys[5] as string)).toBeUndefined()
    scratch.close()
  })

  it('visits rows one at a time and is closed for good', () => {
    const scratch = openScratchViews({ cacheRows: 3 })
    scratch.update('replay', (tx) => { ['b', 'a', 'c', 'd'].forEach((key) => tx.put('v', key, key)); return 1 })
    const seen: unknown[] = []
    scratch.forEachRow('v', (row) => seen.push(row))
    expect(seen).toEqual(['a', 'b', 'c', 'd'])
    scratch.close()
    expect(() => scratch.rows('v')).toThrow()
  })

  it('is unusable after an update that threw, rather than half applied', () => {
    const scratch = openScratchViews()
    expect(() => scratch.update('replay', (tx) => { tx.put('v', 'a', 1); throw new Error('projection bug') })).toThrow('projection bug')
    expect(() => scratch.rows('v')).toThrow('unusable')
    scratch.close()
  })
})
