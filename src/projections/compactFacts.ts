import { AuditFacts, ChangeFacts } from './audit'

/**
 * The audit's facts of License Changes in typed arrays: about 30 bytes a License Change and no
 * string kept per change, so a replay of a million events holds every fact in a few megabytes
 * instead of spilling them. License Change ids are UUIDs (validated before the audit sees them),
 * kept as four 32-bit words when written in canonical lower case; any other spelling is kept as
 * it is, beside them. Facts are visited in id order (the order of their text).
 */

const hyphens = [8, 13, 18, 23]

/** The value of a lower-case hexadecimal digit, or -1. */
const hexDigit = (code: number): number => (code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1)

/** Write a canonical lower-case UUID's 128 bits as four words at `at`; false (nothing reliable written) for any other text. */
const toWords = (id: string, words: Uint32Array, at: number): boolean => {
  if (id.length !== 36) return false
  let word = 0
  let digits = 0
  for (let i = 0; i < 36; i += 1) {
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (id.charCodeAt(i) !== 45) return false
      continue
    }
    const digit = hexDigit(id.charCodeAt(i))
    if (digit < 0) return false
    word = (word * 16) + digit
    digits += 1
    if (digits % 8 === 0) {
      words[at + (digits / 8) - 1] = word
      word = 0
    }
  }
  return true
}

const fromWords = (words: Uint32Array, at: number): string => {
  const hex = [0, 1, 2, 3].map((i) => (words[at + i] ?? 0).toString(16).padStart(8, '0')).join('')
  return hyphens.reduce((text, position) => `${text.slice(0, position)}-${text.slice(position)}`, hex)
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

/** The facts' columns, one entry per License Change, and an open-addressing table from id words to entry. */
const createColumns = () => {
  let keys = new Uint32Array(4 * 1024)
  let statuses = new Uint8Array(1024)
  let kinds = new Uint8Array(1024)
  let flags = new Uint8Array(1024)
  let subscriptions = new Int32Array(1024)
  let slots = new Int32Array(2048).fill(-1)
  let size = 0
  const probe = new Uint32Array(4)

  const hashOf = (words: Uint32Array, at: number): number =>
    Math.imul((words[at] ?? 0) ^ Math.imul(words[at + 3] ?? 0, 0x9e3779b1), 0x85ebca6b) ^ (words[at + 1] ?? 0)

  const sameKey = (entry: number, words: Uint32Array, at: number): boolean =>
    keys[4 * entry] === words[at] && keys[4 * entry + 1] === words[at + 1]
    && keys[4 * entry + 2] === words[at + 2] && keys[4 * entry + 3] === words[at + 3]

  /** The slot holding this key, or the empty slot where it would go. */
  const slotOf = (words: Uint32Array, at: number): number => {
    const mask = slots.length - 1
    let slot = hashOf(words, at) & mask
    for (;;) {
      const entry = slots[slot] ?? -1
      if (entry < 0 || sameKey(entry, words, at)) return slot
      slot = (slot + 1) & mask
    }
  }

  const rehash = (): void => {
    slots = new Int32Array(slots.length * 2).fill(-1)
    for (let entry = 0; entry < size; entry += 1) slots[slotOf(keys, 4 * entry)] = entry
  }

  const add = (slot: number): number => {
    const entry = size
    size += 1
    keys = grown(keys, 4 * size, (n) => new Uint32Array(n))
    keys.set(probe, 4 * entry)
    statuses = grown(statuses, size, (n) => new Uint8Array(n))
    kinds = grown(kinds, size, (n) => new Uint8Array(n))
    flags = grown(flags, size, (n) => new Uint8Array(n))
    subscriptions = grown(subscriptions, size, (n) => new Int32Array(n))
    slots[slot] = entry
    if (size * 2 > slots.length) rehash()
    return entry
  }

  return {
    /** The entry of an id, or -1; `create` adds it when missing. Null: the id is not a canonical UUID. */
    entryOf: (id: string, create: boolean): number | null => {
      if (!toWords(id, probe, 0)) return null
      const slot = slotOf(probe, 0)
      const entry = slots[slot] ?? -1
      return entry >= 0 || !create ? entry : add(slot)
    },
    read: (entry: number) => ({
      status: statuses[entry] ?? 0, kind: kinds[entry] ?? 0, flags: flags[entry] ?? 0, subscription: subscriptions[entry] ?? 0,
    }),
    write: (entry: number, fact: { readonly status: number; readonly kind: number; readonly flags: number; readonly subscription: number }): void => {
      statuses[entry] = fact.status
      kinds[entry] = fact.kind
      flags[entry] = fact.flags
      subscriptions[entry] = fact.subscription
    },
    /** Every entry, in the order of their ids' text. */
    inIdOrder: (): Int32Array => {
      const order = Int32Array.from({ length: size }, (_, i) => i)
      return order.sort((a, b) => {
        for (let i = 0; i < 4; i += 1) {
          const x = keys[4 * a + i] ?? 0
          const y = keys[4 * b + i] ?? 0
          if (x !== y) return x - y
        }
        return 0
      })
    },
    idOf: (entry: number): string => fromWords(keys, 4 * entry),
  }
}

/** Fresh facts, none yet. */
export const compactFacts = (): AuditFacts => {
  const columns = createColumns()
  const statusNames = interned()
  const kindNames = interned()
  const subscriptionIds = interned()
  const others = new Map<string, ChangeFacts>()

  const factsOf = (entry: number, licenseChangeId: string): ChangeFacts => {
    const { status, kind, flags, subscription } = columns.read(entry)
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
      const entry = columns.entryOf(id, false)
      if (entry === null) return others.get(id)
      return entry < 0 ? undefined : factsOf(entry, id)
    },
    set: (facts) => {
      const entry = columns.entryOf(facts.licenseChangeId, true)
      if (entry === null) {
        others.set(facts.licenseChangeId, facts)
        return
      }
      columns.write(entry, {
        status: statusNames.numberOf(facts.status),
        kind: kindNames.numberOf(facts.kind),
        flags: (facts.awaited ? awaitedFlag : 0) | (facts.requested ? requestedFlag : 0),
        subscription: subscriptionIds.numberOf(facts.subscriptionId),
      })
    },
    forEach: (visit) => {
      const order = columns.inIdOrder()
      if (others.size === 0) {
        order.forEach((entry) => visit(factsOf(entry, columns.idOf(entry))))
        return
      }
      const every = [...Array.from(order, (entry) => factsOf(entry, columns.idOf(entry))), ...others.values()]
      every.sort((a, b) => (a.licenseChangeId < b.licenseChangeId ? -1 : a.licenseChangeId > b.licenseChangeId ? 1 : 0))
      every.forEach((facts) => visit(facts))
    },
  }
}
