/**
 * Text that reaches a mail header, a terminal or a log line: which characters have no business
 * there, how to make any text safe for a header line, and how to show it visibly.
 */

/** A character a text must not hold: where it is (1-based, in characters) and why. */
export interface ForbiddenCharacter {
  readonly codePoint: number
  readonly position: number
  readonly kind: 'control' | 'lone surrogate'
}

/**
 * C0 controls (TAB, CR and LF included), DEL, C1 controls, the line and paragraph separators
 * U+2028/U+2029, and the bidi embedding, override and isolate controls ("Trojan Source").
 */
export const isControl = (codePoint: number): boolean =>
  codePoint <= 0x1f || (codePoint >= 0x7f && codePoint <= 0x9f) || codePoint === 0x2028 || codePoint === 0x2029
  || (codePoint >= 0x202a && codePoint <= 0x202e) || (codePoint >= 0x2066 && codePoint <= 0x2069)

/** A UTF-16 surrogate standing alone: not a character, and not writable as UTF-8. */
const isLoneSurrogate = (codePoint: number): boolean => codePoint >= 0xd800 && codePoint <= 0xdfff

const kindOf = (codePoint: number): ForbiddenCharacter['kind'] | null =>
  isControl(codePoint) ? 'control' : isLoneSurrogate(codePoint) ? 'lone surrogate' : null

/** The first character of `text` that has no business in a name, note or header, or null. */
export const forbiddenCharacter = (text: string): ForbiddenCharacter | null => {
  let position = 0
  for (const character of text) {
    position += 1
    const codePoint = character.codePointAt(0) ?? 0
    const kind = kindOf(codePoint)
    if (kind !== null) return { codePoint, position, kind }
  }
  return null
}

/** A code point as people write it: `U+000D`. */
export const codePointName = (codePoint: number): string => `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`

/** How many characters (code points) a text has: what a length limit counts. */
export const characterCount = (text: string): number => {
  let count = 0
  for (const _character of text) count += 1
  return count
}

export interface HeaderTextBrand { readonly HeaderText: unique symbol }
/** Text that is safe on one line of a mail header: no control, line-break or bidi control character, no lone surrogate. */
export type HeaderText = string & HeaderTextBrand

/** Whether a text is already header-safe. */
export const isHeaderText = (text: string): text is HeaderText => forbiddenCharacter(text) === null

/**
 * Any text made header-safe: each control character becomes a space, each lone surrogate U+FFFD.
 * Text a command accepted is returned unchanged; text stored before the checks loses its line breaks.
 */
export const headerText = (text: string): HeaderText => {
  if (isHeaderText(text)) return text
  return Array.from(text, (character) => {
    const kind = kindOf(character.codePointAt(0) ?? 0)
    return kind === 'control' ? ' ' : kind === 'lone surrogate' ? '\ufffd' : character
  }).join('') as HeaderText
}

const escapeOf = (codePoint: number): string => `\\u${codePoint.toString(16).padStart(4, '0')}`

/** Text for a terminal: every control character and lone surrogate shown as an escape (`\u000d`), never raw. */
export const visible = (text: string): string => {
  if (isHeaderText(text)) return text
  return Array.from(text, (character) => {
    const codePoint = character.codePointAt(0) ?? 0
    return kindOf(codePoint) === null ? character : escapeOf(codePoint)
  }).join('')
}
