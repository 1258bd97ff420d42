import fc from 'fast-check'
import { digestCoding, digestOfKept } from '../../src/app/audit/replayRows'
import { allProjections, allViews } from '../../src/projections/all'
import { digestMainViews } from '../../src/projections/digest'
import { openMemoryStorage } from '../../src/store/memory'
import { openScratchViews } from '../../src/store/scratch'
import { jsonCoding, RowCoding } from '../../src/store/scratchRecords'

/** Keys that share prefixes, and that sort differently by UTF-16 units and by code points. */
const key = fc.constantFrom('a', 'aa', 'ab', 'ab1', 'b', 'é', '\u{1F600}', '\uFFFD', 'zz', 'z\u{1F600}', '01a2', '01a3', '')
const view = fc.constantFrom('licenseChanges', 'subscriptions', 'other')
const row = fc.record({
  n: fc.integer(),
  text: fc.string(),
  list: fc.array(fc.oneof(fc.integer(), fc.string(), fc.constant(null)), { maxLength: 3 }),
  recordedPosition: fc.option(fc.nat(), { nil: undefined }),
  nested: fc.option(fc.record({ deep: fc.boolean() }), { nil: undefined }),
  // Keys the engine orders itself (array indexes): such a row is kept with its JSON beside its digest text.
  indexed: fc.option(fc.constantFrom({ 10: 'x', 9: 'y' }, { 0: 1, a: 2 }), { nil: undefined }),
}, { requiredKeys: ['n'] })
const step = fc.oneof(
  fc.record({ op: fc.constant('put' as const), view, key, row }),
  fc.record({ op: fc.constant('delete' as const), view, key }),
  fc.record({ op: fc.constant('get' as const), view, key }),
)
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never

/** The scratch views and the memory store, given the same steps in batches, answer the same gets and hold the same rows in the same order. */
const sameAsMemory = (cacheRows: number, coding: RowCoding, batches: ReadonlyArray<ReadonlyArray<Step>>): void => {
  const scratch = openScratchViews({ cacheRows, coding })
  const memory = openMemoryStorage().views
  try {
    batches.forEach((batch, b) => {
      const answers = [scratch, memory].map((store) => {
        const got: unknown[] = []
        store.update('replay', (tx) => {
          for (const s of batch) {
            if (s.op === 'put') tx.put(s.view, s.key, s.row)
            else if (s.op === 'delete') tx.delete(s.view, s.key)
            else got.push(tx.get(s.view, s.key))
          }
          return b + 1
        })
        return got
      })
      expect(answers[0]).toEqual(answers[1])
    })
    for (const name of ['licenseChanges', 'subscriptions', 'other']) expect(scratch.rows(name)).toEqual(memory.rows(name))
    // Rows kept as their digest text hash, without being parsed again, to the digest of the same rows read whole.
    if (coding !== jsonCoding) expect(digestOfKept(scratch, allProjections, allViews)).toBe(digestMainViews(memory, allProjections, allViews))
  } finally {
    scratch.close()
  }
}

describe('replay views spilled to a scratch file, against the memory store', () => {
  test.each([['rows as JSON', jsonCoding], ['rows as their digest text', digestCoding(allProjections)]] as const)(
    'any puts, deletes and gets, with any cache size, read back as the memory store does, and digest alike (%s)', (_name, coding) => {
      fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.array(step, { maxLength: 25 }), { maxLength: 6 }),
        (cacheRows, batches) => sameAsMemory(cacheRows, coding, batches)), { numRuns: 150 })
    })
})
