import * as fc from 'fast-check'

/** How many runs each hostile property makes: `SEATFLOW_HOSTILE_RUNS` (default 15; 200 or more for a long hunt). */
export const hostileRuns = (): number => {
  const runs = Number(process.env['SEATFLOW_HOSTILE_RUNS'] ?? '15')
  return Number.isInteger(runs) && runs > 0 ? runs : 15
}

/** Pieces of text people and attackers type: unicode, zero-width and bidi marks, formula starts, markup, header look-alikes. */
const ordinary = fc.constantFrom(
  'a', 'Z', '7', ' ', '  ', 'é', 'ß', '微软', 'שלום', 'مرحبا', '😀', '👩‍💻', '\u200d', '\u200c', '\u200b', '\ufeff', '\u200e', '\u200f',
  '\u00a0', 'e\u0301', '=', '+', '-', '@', ',', '"', "'", '<b>', '&amp;', ';', '\\', '=?UTF-8?B?ZXZpbA==?=', 'Bcc: evil@x.example',
  ':', '%0d%0a', '{{x}}', '＝', 'Ω', '𝔘',
)

/** Characters that have no business in a name: C0 (TAB, CR, LF), DEL, C1, line separators, bidi controls, lone surrogates. */
const control = fc.constantFrom(
  '\r', '\n', '\r\n', '\t', '\u0000', '\u001b', '\u001b[2J', '\u007f', '\u0085', '\u009b', '\u2028', '\u2029',
  '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\ud800', '\udfff',
)

const clean = fc.array(ordinary, { minLength: 1, maxLength: 30 }).map((pieces) => pieces.join(''))
const dirty = fc.tuple(clean, control, clean).map(([before, bad, after]) => `${before}${bad}${after}`)
const long = fc.tuple(fc.constantFrom('x', 'é', '😀', '👩‍💻'), fc.integer({ min: 150, max: 2100 })).map(([piece, n]) => piece.repeat(n))
const anyUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)), maxLength: 40 })

/** Hostile text: clean but strange, with a control character, very long, or any UTF-16 units at all. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: clean, weight: 4 },
  { arbitrary: dirty, weight: 4 },
  { arbitrary: long, weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
  { arbitrary: anyUnits, weight: 1 },
)

/** An address, possibly with a control character in it, in any case. */
export const hostileAddress: fc.Arbitrary<string> = fc.tuple(
  fc.constantFrom('ops', 'Finance', 'licensing', 'a.b'), fc.integer({ min: 0, max: 60 }), fc.option(control, { freq: 4 }), fc.boolean(),
).map(([user, n, bad, upper]) => {
  const address = `${user}${n}${bad ?? ''}@reseller.example`
  return upper ? address.toUpperCase() : address
})

// An oracle written apart from the code under test: the same rule as a regular expression.
// eslint-disable-next-line no-control-regex
const forbidden = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udfff]/u

/** The rules of the text fields of commands. */
export type TextRule = 'name' | 'note' | 'reason'

/** Whether a command must accept `text` in a field with this rule. */
export const acceptable = (rule: TextRule, text: string): boolean => {
  const max = rule === 'name' ? 200 : 2000
  const shaped = rule === 'note' || (text.trim() !== '' && text.trim() === text)
  return !forbidden.test(text) && [...text].length <= max && shaped
}

/** Whether a text holds a character that must never reach a header or a terminal raw. */
export const holdsForbidden = (text: string): boolean => forbidden.test(text)
