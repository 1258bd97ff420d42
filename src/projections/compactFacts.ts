import { AuditFacts, ChangeFacts } from './audit'

/**
 * The audit's facts of License Changes in typed arrays: about 30 bytes a License Change and no
 * string kept per change, so a replay of a million events holds every fact in a few megabytes
 * instead of spilling them. License Change ids are UUIDs (validated before the audit sees them),
 * kept as four 32-bit words when written in canonical lower case; any other spelling is kept as
 * it is, beside them. Facts are visited in id order (the order of their text).
 */

/** The value of each lower-case hexadecimal digit by its character code; -1 for any other character. */
const hexValue = Int8Array.from({ length: 128 }, (_, code) => (code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1))
const hexPairs = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

/** The 32-bit word of the eight hexadecimal digits from `at` (skipping a hyphen at `hyphen`), or -1. */
const wordAt = (id: string, at: number, hyphen: number): number => {
  let word = 0
  for (let i = at; i < at + 8 + (hyphen < 0 ? 0 : 1); i += 1) {
    if (i === hyphen) {
      if (id.charCodeAt(i) !== 45) return -1
      continue
    }
    const digit = hexValue[id.charCodeAt(i)] ?? -1
    if (digit < 0) return -1
    word = (word * 16) + digit
  }
  return word
}

/** Write a canonical lower-case UUID's 128 bits as four words at `at`; false (nothing reliable written) for any other text. */
const toWords = (id: string, words: Uint32Array, at: number): boolean => {
  if (id.length !== 36 || id.charCodeAt(8) !== 45 || id.charCodeAt(18) !== 45) return false
  const first = wordAt(id, 0, -1)
  const second = wordAt(id, 9, 13)
  const third = wordAt(id, 19, 23)
  const fourth = wordAt(id, 28, -1)
  if (first < 0 || second < 0 || third < 0 || fourth < 0) return false
  words[at] = first
  words[at + 1] = second
  words[at + 2] = third
  words[at + 3] = fourth
  return true
}

const hexOf = (word: number): string =>
  (hexPairs[word >>> 24] ?? '') + (hexPairs[(word >>> 16) & 0xff] ?? '') + (hexPairs[(word >>> 8) & 0xff] ?? '') + (hexPairs[word & 0xff] ?? '')

const fromWords = (words: Uint32Array, at: number): string => {
  const [a, b, c, d] = [hexOf(words[at] ?? 0), hexOf(words[at + 1] ?? 0), hexOf(words[at + 2] ?? 0), hexOf(words[at + 3] ?? 0)]
  return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${d}`
}

/** Strings numbered as they are first met, and back. */
const interned = () => {
  const numbers = new Map<string, number>()
  const names: string[] = []
  return {
    numberOf: (name: string): number => {
      const known = numbers.get(name)
      if (known !== undefined) return known
      names.push(name)
      numbers.set(name, names.length - 1)
      return names.length - 1
    },
    nameOf: (number: number): string => names[number] ?? '',
  }
}

const grown = <A extends Uint8Array | Int32Array | Uint32Array>(array: A, length: number, make: (length: number) => A): A => {
  if (array.length >= length) return array
  const next = make(Math.max(length, array.length * 2))
  next.set(array)
  return next
}

const awaitedFlag = 1
const requestedFlag = 2

/** The facts' values, one entry per License Change, in columns that grow as entries come. */
const createValues = () => {
  let statuses = new Uint8Array(1024)
  let kinds = new Uint8Array(1024)
  let flags = new Uint8Array(1024)
  let subscriptions = new Int32Array(1024)
  return {
    read: (entry: number) => ({
      status: statuses[entry] ?? 0, kind: kinds[entry] ?? 0, flags: flags[entry] ?? 0, subscription: subscriptions[entry] ?? 0,
    }),
    write: (entry: number, fact: { readonly status: number; readonly kind: number; readonly flags: number; readonly subscription: number }): void => {
      statuses = grown(statuses, entry + 1, (n) => new Uint8Array(n))
      kinds = grown(kinds, entry + 1, (n) => new Uint8Array(n))
      flags = grown(flags, entry + 1, (n) => new Uint8Array(n))
      subscriptions = grown(subscriptions, entry + 1, (n) => new Int32Array(n))
      statuses[entry] = fact.status
      kinds[entry] = fact.kind
      flags[entry] = fact.flags
      subscriptions[entry] = fact.subscription
    },
  }
}

/** License Change ids as entries numbered 0, 1, 2...: their words, and an open-addressing table from words to entry. */
const createIds = () => {
  let keys = new Uint32Array(4 * 1024)
  let slots = new Int32Array(2048).fill(-1)
  let size = 0
  const probe = new Uint32Array(4)
  let last = { id: '', entry: -1 }

  const hashOf = (words: Uint32Array, at: number): number =>
    Math.imul((words[at] ?? 0) ^ Math.imul(words[at + 3] ?? 0, 0x9e3779b1), 0x85ebca6b) ^ (words[at + 1] ?? 0)
  const sameKey = (entry: number, words: Uint32Array, at: number): boolean =>
    keys[4 * entry] === words[at] && keys[4 * entry + 1] === words[at + 1]
    && keys[4 * entry + 2] === words[at + 2] && keys[4 * entry + 3] === words[at + 3]

  /** The slot holding this key, or the empty slot where it would go. */
  const slotOf = (words: Uint32Array, at: number): number => {
    const mask = slots.length - 1
    let slot = hashOf(words, at) & mask
    for (let entry = slots[slot] ?? -1; entry >= 0 && !sameKey(entry, words, at); entry = slots[slot] ?? -1) slot = (slot + 1) & mask
    return slot
  }

  const add = (slot: number): number => {
    const entry = size
    size += 1
    keys = grown(keys, 4 * size, (n) => new Uint32Array(n))
    keys.set(probe, 4 * entry)
    slots[slot] = entry
    if (size * 2 > slots.length) {
      slots = new Int32Array(slots.length * 2).fill(-1)
      for (let known = 0; known < size; known += 1) slots[slotOf(keys, 4 * known)] = known
    }
    return entry
  }

  return {
    /** The entry of an id, or -1; `create` adds it when missing. Null: the id is not a canonical UUID. */
    entryOf: (id: string, create: boolean): number | null => {
      // The audit reads a change's facts and then writes them: the second look is the first's.
      if (id === last.id) return last.entry
      if (!toWords(id, probe, 0)) return null
      const slot = slotOf(probe, 0)
      const found = slots[slot] ?? -1
      const entry = found >= 0 || !create ? found : add(slot)
      if (entry >= 0) last = { id, entry }
      return entry
    },
    /** Every entry, in the order of their ids' text. */
    inIdOrder: (): Int32Array => Int32Array.from({ length: size }, (_, i) => i).sort((a, b) => {
      for (let i = 0; i < 4; i += 1) {
        const x = keys[4 * a + i] ?? 0
        const y = keys[4 * b + i] ?? 0
        if (x !== y) return x - y
      }
      return 0
    }),
    idOf: (entry: number): string => fromWords(keys, 4 * entry),
  }
}

/** Fresh facts, none yet. */
export const compactFacts = (): AuditFacts => {
  const ids = createIds()
  const values = createValues()
  const statusNames = interned()
  const kindNames = interned()
  const subscriptionIds = interned()
  const others = new Map<string, ChangeFacts>()

  const factsOf = (entry: number, licenseChangeId: string): ChangeFacts => {
    const { status, kind, flags, subscription } = values.read(entry)
    return {
      licenseChangeId,
      status: statusNames.nameOf(status) as ChangeFacts['status'],
      kind: kindNames.nameOf(kind) as ChangeFacts['kind'],
      subscriptionId: subscriptionIds.nameOf(subscription),
      awaited: (flags & awaitedFlag) !== 0,
      requested: (flags & requestedFlag) !== 0,
    }
  }

  return {
    get: (id) => {
      const entry = ids.entryOf(id, false)
      if (entry === null) return others.get(id)
      return entry < 0 ? undefined : factsOf(entry, id)
    },
    set: (facts) => {
      const entry = ids.entryOf(facts.licenseChangeId, true)
      if (entry === null) {
        others.set(facts.licenseChangeId, facts)
        return
      }
      values.write(entry, {
        status: statusNames.numberOf(facts.status),
        kind: kindNames.numberOf(facts.kind),
        flags: (facts.awaited ? awaitedFlag : 0) | (facts.requested ? requestedFlag : 0),
        subscription: subscriptionIds.numberOf(facts.subscriptionId),
      })
    },
    forEach: (visit) => {
      const order = ids.inIdOrder()
      if (others.size === 0) {
        order.forEach((entry) => visit(factsOf(entry, ids.idOf(entry))))
        return
      }
      const every = [...Array.from(order, (entry) => factsOf(entry, ids.idOf(entry))), ...others.values()]
      every.sort((a, b) => (a.licenseChangeId < b.licenseChangeId ? -1 : a.licenseChangeId > b.licenseChangeId ? 1 : 0))
      every.forEach((facts) => visit(facts))
    },
  }
}
