import { Claims } from '../../src/store/claims'

/**
 * What every Claims must do, whatever keeps them: memory, the SQLite file, EventStoreDB. `open`
 * gives fresh claims on a fresh store; `close` ends what `open` started.
 */
export const claimsContract = (name: string, open: () => Promise<{ claims: Claims; close: () => Promise<void> }>): void => {
  describe(`claims on ${name}`, () => {
    let claims: Claims
    let close: () => Promise<void>
    beforeEach(async () => { ({ claims, close } = await open()) })
    afterEach(async () => { await close() })

    it('a free key is claimed, and then held by its owner', async () => {
      expect(await claims.holder('mail:1')).toBeUndefined()
      expect(await claims.claim('mail:1', 'a', 1_000, 500)).toBe(true)
      expect(await claims.holder('mail:1')).toBe('a')
    })

    it('a held key is refused to anyone else, and to its owner again, while the lease holds', async () => {
      expect(await claims.claim('mail:1', 'a', 1_000, 500)).toBe(true)
      expect(await claims.claim('mail:1', 'b', 1_499, 500)).toBe(false)
      expect(await claims.claim('mail:1', 'a', 1_200, 500)).toBe(false)
      expect(await claims.holder('mail:1')).toBe('a')
    })

    it('a claim whose lease ran out may be taken by another', async () => {
      expect(await claims.claim('mail:1', 'a', 1_000, 500)).toBe(true)
      expect(await claims.claim('mail:1', 'b', 1_500, 500)).toBe(true)
      expect(await claims.holder('mail:1')).toBe('b')
      expect(await claims.claim('mail:1', 'a', 1_900, 500)).toBe(false)
    })

    it('only the owner releases a claim; a released key is free at once', async () => {
      expect(await claims.claim('mail:1', 'a', 1_000, 500)).toBe(true)
      await claims.release('mail:1', 'b')
      expect(await claims.holder('mail:1')).toBe('a')
      expect(await claims.claim('mail:1', 'b', 1_100, 500)).toBe(false)
      await claims.release('mail:1', 'a')
      expect(await claims.holder('mail:1')).toBeUndefined()
      expect(await claims.claim('mail:1', 'b', 1_100, 500)).toBe(true)
      expect(await claims.holder('mail:1')).toBe('b')
    })

    it('releasing a key never claimed, or twice, does nothing', async () => {
      await claims.release('mail:none', 'a')
      expect(await claims.holder('mail:none')).toBeUndefined()
      expect(await claims.claim('mail:1', 'a', 1_000, 500)).toBe(true)
      await claims.release('mail:1', 'a')
      await claims.release('mail:1', 'a')
      expect(await claims.claim('mail:1', 'c', 1_000, 500)).toBe(true)
    })

    it('keys are independent, whatever characters they hold', async () => {
      const keys = ['mail:1', 'mail:2', 'gateway/Partner Center/é ✓', '']
      for (const key of keys) expect(await claims.claim(key, `owner of ${key}`, 1_000, 500)).toBe(true)
      for (const key of keys) expect(await claims.holder(key)).toBe(`owner of ${key}`)
    })

    it('of many claims of one key at once, exactly one wins', async () => {
      const won = await Promise.all(Array.from({ length: 20 }, (_, n) => claims.claim('mail:race', `o${n}`, 1_000, 500)))
      expect(won.filter((taken) => taken)).toHaveLength(1)
      expect(await claims.holder('mail:race')).toBe(`o${won.indexOf(true)}`)
    })
  })
}
