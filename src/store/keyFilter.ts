/** 2^23 bits (1 MiB): a few percent of false positives at a million keys, and flat however many there are. */
const filterBits = 2 ** 23

const fnv1a = (text: string, seed: number): number => {
  let hash = seed
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619)
  return hash >>> 0
}

/** Keys that may have been added (a Bloom filter): never a false "absent". */
export interface KeyFilter {
  readonly add: (key: string) => void
  readonly mayHold: (key: string) => boolean
}

/**
 * The keys that may be in the scratch file (a Bloom filter): a row never written there is not
 * looked up, which spares a query for every new License Change. Never a false "absent".
 */
export const createKeyFilter = (): KeyFilter => {
  const bits = new Uint32Array(filterBits / 32)
  const positions = (key: string): readonly [number, number, number] => {
    const a = fnv1a(key, 2166136261)
    const b = (fnv1a(key, 374761393) | 1) >>> 0
    return [a % filterBits, (a + b) % filterBits, (a + 2 * b) % filterBits]
  }
  return {
    add: (key) => { for (const bit of positions(key)) bits[bit >>> 5] = (bits[bit >>> 5] ?? 0) | (1 << (bit & 31)) },
    mayHold: (key) => positions(key).every((bit) => ((bits[bit >>> 5] ?? 0) & (1 << (bit & 31))) !== 0),
  }
}
