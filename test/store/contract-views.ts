import { ContractContext } from './contract'

/** The view store part of the contract. */
export const viewContract = (context: ContractContext): void => {
  describe('views', () => {
    it('stores the checkpoint with the rows an update writes', () => {
      const { views } = context.storage()
      expect(views.checkpoint('p')).toBe(0)
      views.update('p', (tx, checkpoint) => {
        expect(checkpoint).toBe(0)
        tx.put('v', 'k1', { n: 1 })
        expect(tx.get('v', 'k1')).toEqual({ n: 1 })
        return 5
      })
      expect(views.checkpoint('p')).toBe(5)
      expect(views.get('v', 'k1')).toEqual({ n: 1 })
      views.update('p', (tx, checkpoint) => {
        expect(checkpoint).toBe(5)
        tx.delete('v', 'k1')
        expect(tx.get('v', 'k1')).toBeUndefined()
        return 6
      })
      expect(views.get('v', 'k1')).toBeUndefined()
      expect(views.checkpoint('p')).toBe(6)
    })

    it('leaves rows and checkpoint unchanged when apply throws', () => {
      const { views } = context.storage()
      views.update('p', (tx) => { tx.put('v', 'a', 1); tx.put('v', 'b', 2); return 3 })
      expect(() => views.update('p', (tx) => {
        tx.put('v', 'a', 100)
        tx.delete('v', 'b')
        tx.put('v', 'c', 3)
        throw new Error('boom')
      })).toThrow('boom')
      expect(views.checkpoint('p')).toBe(3)
      expect(views.rows('v')).toEqual([1, 2])
    })

    it('refuses a checkpoint that is not a non-negative integer and keeps the rows', () => {
      const { views } = context.storage()
      expect(() => views.update('p', (tx) => { tx.put('v', 'a', 1); return -1 })).toThrow(RangeError)
      expect(views.rows('v')).toEqual([])
      expect(views.checkpoint('p')).toBe(0)
    })

    it('lists rows in key order', () => {
      const { views } = context.storage()
      views.update('p', (tx) => {
        for (const key of ['b', '😀', 'a', '\uffee', 'c', 'é', 'B', 'aa', '10', '9']) tx.put('v', key, key)
        tx.put('w', '0', 'other view')
        return 1
      })
      // Code point order, as SQLite's BINARY collation: U+FFEE before U+1F600 (unlike UTF-16 order).
      expect(views.rows('v')).toEqual(['10', '9', 'B', 'a', 'aa', 'b', 'c', 'é', '\uffee', '😀'])
      expect(views.rows('missing')).toEqual([])
    })

    it('resets the given views and checkpoints only', () => {
      const { views } = context.storage()
      views.update('p', (tx) => { tx.put('v', 'a', 1); tx.put('w', 'a', 2); return 4 })
      views.update('q', () => 7)
      views.reset(['v'], ['p'])
      expect(views.rows('v')).toEqual([])
      expect(views.checkpoint('p')).toBe(0)
      expect(views.rows('w')).toEqual([2])
      expect(views.checkpoint('q')).toBe(7)
    })
  })
}
