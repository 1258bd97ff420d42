/** A UTF-16 code unit placed so that comparing units compares code points (surrogates after U+E000-U+FFFF). */
const unitOrder = (unit: number): number => (unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit)

/**
 * Keys in the order SQLite's BINARY collation (and the memory store) gives them: by UTF-8 bytes,
 * that is by code points, compared without encoding the keys.
 */
export const byCodePoint = (a: string, b: string): number => {
  const shorter = Math.min(a.length, b.length)
  for (let i = 0; i < shorter; i += 1) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) return unitOrder(x) - unitOrder(y)
  }
  return a.length - b.length
}
