import { forbiddenCharacter } from '../../src/domain/text'
import { table } from '../../src/cli/table'

describe('table output never writes a control character raw', () => {
  test('an escape sequence, a line break and a bidi override in a cell are shown as escapes', () => {
    const shown = table(['Product', 'Note'], [['Widget\u001b[2J\r\nBcc', 'abc\u202edcba']])
    expect(shown.split('\n')[2]).toBe('Widget\\u001b[2J\\u000d\\u000aBcc  abc\\u202edcba')
    expect(shown.split('\n').map(forbiddenCharacter)).toStrictEqual([null, null, null])
  })

  test('a cut cell never splits a character in two (no lone surrogate reaches the terminal)', () => {
    const shown = table(['Product'], [['😀'.repeat(80)]])
    expect(shown.split('\n')[2]).toBe(`${'😀'.repeat(59)}…`)
    expect(shown.split('\n').map(forbiddenCharacter)).toStrictEqual([null, null, null])
  })

  test('ordinary unicode stays as it is', () => {
    expect(table(['Product'], [['Zoë 👩‍💻 ＝']]).split('\n')[2]).toBe('Zoë 👩‍💻 ＝')
  })
})
