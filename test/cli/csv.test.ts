import { csv, csvField } from '../../src/cli/csv'

describe('CSV output neutralises formula cells (OWASP CSV injection)', () => {
  test('a text cell starting with =, +, -, @, TAB or CR gets a leading apostrophe', () => {
    expect(['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx'].map(csvField)).toStrictEqual(["'=1+1", "'+1", "'-2", "'@SUM(A1)", "'\tx", "\"'\rx\""])
  })

  test('a formula hidden after quoting is still neutralised, and the quote doubled', () => {
    expect(csvField('=HYPERLINK("http://x.example","click")')).toBe('"\'=HYPERLINK(""http://x.example"",""click"")"')
  })

  test('a text that starts with an apostrophe gets one more, so taking one off always gives the text back', () => {
    expect(["'=1", "'plain", "''"].map(csvField)).toStrictEqual(["''=1", "''plain", "'''"])
  })

  test('numbers stay numbers: a delta of -3 is not a formula', () => {
    expect(csvField(-3)).toBe('-3')
    expect(csvField(0)).toBe('0')
  })

  test('a list whose first address would start a formula is neutralised as a whole cell', () => {
    expect(csvField(['=cmd@x.example', 'ops@x.example'])).toBe("\"'=cmd@x.example, ops@x.example\"")
  })

  test('ordinary text is untouched, including a sign inside it', () => {
    expect(['Visio Plan 2', 'a-b', 'x=y', 'Zoë', ''].map(csvField)).toStrictEqual(['Visio Plan 2', 'a-b', 'x=y', 'Zoë', ''])
  })

  test('no cell of a CSV starts a formula', () => {
    const text = csv<{ product: string; delta: number }>(['product', 'delta'], [{ product: '=2+3', delta: -3 }, { product: '@x', delta: 4 }])
    expect(text).toBe("product,delta\r\n'=2+3,-3\r\n'@x,4\r\n")
  })
})
