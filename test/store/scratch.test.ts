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

  it('finds every row again after its index has grown (its table rebuilt, its columns doubled), deleted rows and rows written again included', () => {
    const scratch = openScratchViews({ cacheRows: 10 })
    const memory = openMemoryStorage().views
    const keys = Array.from({ length: 12_000 }, (_, i) => `${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}-${i}`)
    for (const store of [scratch, memory]) {
      store.update('replay', (tx) => {
        keys.forEach((key, i) => tx.put(i % 4 === 0 ? 'small' : 'large', key, { i }))
        keys.filter((_, i) => i % 3 === 0).forEach((key, i) => tx.delete(i % 4 === 0 ? 'small' : 'large', key))
        keys.filter((_, i) => i % 6 === 0).forEach((key, i) => tx.put('large', key, { again: i }))
        return 1
      })
    }
    for (const key of keys) expect([scratch.get('large', key), scratch.get('small', key)]).toEqual([memory.get('large', key), memory.get('small', key)])
    expect(scratch.rows('large')).toEqual(memory.rows('large'))
    expect(scratch.rows('small')).toEqual(memory.rows('small'))
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
