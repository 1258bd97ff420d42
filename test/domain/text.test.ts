import { characterCount, forbiddenCharacter, headerText, isHeaderText, visible } from '../../src/domain/text'

const refused = [
  ['NUL', '\u0000'], ['TAB', '\t'], ['LF', '\n'], ['CR', '\r'], ['ESC', '\u001b'], ['DEL', '\u007f'], ['NEL (C1)', '\u0085'],
  ['CSI (C1)', '\u009b'], ['LINE SEPARATOR', '\u2028'], ['PARAGRAPH SEPARATOR', '\u2029'], ['LRE', '\u202a'], ['RLE', '\u202b'],
  ['PDF', '\u202c'], ['LRO', '\u202d'], ['RLO', '\u202e'], ['LRI', '\u2066'], ['RLI', '\u2067'], ['FSI', '\u2068'], ['PDI', '\u2069'],
] as const

const allowed = [
  ['ZWJ in an emoji', '👩‍💻'], ['ZWNJ', 'می‌خواهم'], ['zero-width space', 'a\u200bb'], ['left-to-right mark', 'a\u200eb'],
  ['no-break space', 'a\u00a0b'], ['combining accent', 'e\u0301'], ['CJK', '微软'], ['right-to-left script', 'שלום'], ['fullwidth equals', '＝1'],
] as const

describe('which characters have no business in command text', () => {
  test.each(refused)('%s is refused, with its code point and position', (_name, character) => {
    expect(forbiddenCharacter(`ab${character}c`)).toStrictEqual({ codePoint: character.codePointAt(0), position: 3, kind: 'control' })
  })

  test.each(allowed)('%s is ordinary unicode and allowed', (_name, text) => {
    expect(forbiddenCharacter(text)).toBeNull()
  })

  test('a lone surrogate is refused; a surrogate pair is one character', () => {
    expect(forbiddenCharacter('😀\ud800')).toStrictEqual({ codePoint: 0xd800, position: 2, kind: 'lone surrogate' })
    expect(forbiddenCharacter('😀x\udc00')).toStrictEqual({ codePoint: 0xdc00, position: 3, kind: 'lone surrogate' })
  })

  test('positions and lengths count characters, not UTF-16 units', () => {
    expect(forbiddenCharacter('😀😀\r')?.position).toBe(3)
    expect(characterCount('😀é')).toBe(2)
  })
})

describe('header text', () => {
  test('text without control characters is returned as it is', () => {
    expect(headerText('Visio  Plan 2 👩‍💻')).toBe('Visio  Plan 2 👩‍💻')
  })

  test('each control character becomes a space and a lone surrogate U+FFFD, so it stays on one line', () => {
    expect(headerText('Widget\r\nBcc: evil@x.example')).toBe('Widget  Bcc: evil@x.example')
    expect(headerText('a\u202eb\ud800')).toBe('a b\ufffd')
    expect(isHeaderText(headerText('\u0000\u2028\t'))).toBe(true)
  })

  test('making text header-safe twice changes nothing more', () => {
    const once = headerText('x\r\ny\u0085z')
    expect(headerText(once)).toBe(once)
  })
})

describe('visible text for terminals', () => {
  test('control characters and lone surrogates become escapes; the rest stays', () => {
    expect(visible('a\u001b[31mred\r\n\u202e\ud800 Zoë')).toBe('a\\u001b[31mred\\u000d\\u000a\\u202e\\ud800 Zoë')
  })
})
