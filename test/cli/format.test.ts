import { csv, csvField } from '../../src/cli/csv'
import { progressLine } from '../../src/cli/progress'

describe('CSV as RFC 4180 writes it', () => {
  test('quotes a field only when it holds a comma, a quote or a line break, doubling quotes', () => {
    expect(csvField('plain text')).toBe('plain text')
    expect(csvField('a, b')).toBe('"a, b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField('cr\rhere')).toBe('"cr\rhere"')
    expect(csvField(null)).toBe('')
    expect(csvField(12)).toBe('12')
    expect(csvField(['x@y.example', 'z@y.example'])).toBe('"x@y.example, z@y.example"')
  })

  test('a header record, then a record a row, each ended by CRLF', () => {
    expect(csv<{ a: string; b: number | null }>(['a', 'b'], [{ a: 'x,y', b: 1 }, { a: 'z', b: null }])).toBe('a,b\r\n"x,y",1\r\nz,\r\n')
  })
})

describe('a progress line', () => {
  test('says events done, events per second and the time left from the position reached', () => {
    expect(progressLine('replaying', { events: 250_000, position: 250_000 }, 1_000_000, 2000)).toBe('replaying: 250,000 events, 125,000 events/s, 6 s left')
    expect(progressLine('importing', { events: 10, total: 40 }, undefined, 90_000)).toBe('importing: 10 events, 0 events/s, 4 min 30 s left')
  })

  test('leaves out the time left when the end is unknown', () => {
    expect(progressLine('validating', { events: 3000 }, undefined, 1000)).toBe('validating: 3,000 events, 3,000 events/s')
  })
})
