import fc from 'fast-check'
import { ChangeFacts } from '../../src/projections/audit'
import { compactFacts } from '../../src/projections/compactFacts'

const statuses: ReadonlyArray<ChangeFacts['status']> = ['Awaiting Provisioning', 'Provisioned', 'Failed Provisioning', 'Not Applicable']
const kinds: ReadonlyArray<ChangeFacts['kind']> = ['Manual', 'Automatic', 'Do Nothing']

/** Ids as the audit may meet them: canonical, upper case (kept beside the words), and a few shared so writes overwrite. */
const anId = fc.oneof(
  fc.uuid(),
  fc.uuid().map((id) => id.toUpperCase()),
  fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '0123abcd-4567-89ef-0123-456789abcdef'),
)

const aFact = fc.record({
  licenseChangeId: anId,
  status: fc.constantFrom(...statuses),
  kind: fc.constantFrom(...kinds),
  subscriptionId: fc.uuid(),
  awaited: fc.boolean(),
  requested: fc.boolean(),
})

const visited = (facts: { readonly forEach: (visit: (fact: ChangeFacts) => void) => void }): ChangeFacts[] => {
  const seen: ChangeFacts[] = []
  facts.forEach((fact) => seen.push(fact))
  return seen
}

describe('the audit\'s facts in typed arrays', () => {
  it('answers every get as a Map would and visits the facts in id order', () => {
    fc.assert(fc.property(fc.array(aFact, { maxLength: 300 }), fc.array(anId, { maxLength: 30 }), (writes, probes) => {
      const facts = compactFacts()
      const reference = new Map<string, ChangeFacts>()
      for (const fact of writes) {
        facts.set(fact)
        reference.set(fact.licenseChangeId, fact)
      }
      for (const id of [...probes, ...reference.keys()]) expect(facts.get(id)).toEqual(reference.get(id))
      const inOrder = [...reference.values()].sort((a, b) => (a.licenseChangeId < b.licenseChangeId ? -1 : 1))
      expect(visited(facts)).toEqual(inOrder)
    }), { numRuns: 200 })
  })

  it('keeps tens of thousands of changes, the table growing past many rehashes', () => {
    const facts = compactFacts()
    const ids = Array.from({ length: 40_000 }, (_, i) => `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${(i * 7919).toString(16).padStart(12, '0')}`)
    ids.forEach((licenseChangeId, i) => facts.set({
      licenseChangeId, status: statuses[i % 4] ?? 'Provisioned', kind: kinds[i % 3] ?? 'Manual', subscriptionId: `sub-${i % 50}`, awaited: i % 2 === 0, requested: i % 5 === 0,
    }))
    expect(facts.get(ids[12_345] ?? '')).toEqual({
      licenseChangeId: ids[12_345], status: 'Provisioned', kind: 'Manual', subscriptionId: 'sub-45', awaited: false, requested: true,
    })
    expect(visited(facts).map((fact) => fact.licenseChangeId)).toEqual(ids)
  })
})
