import { HeaderText } from '../domain/text'

/**
 * Writing a message as RFC 5322 wants it: header fields folded so no line passes 78 characters
 * where a break is allowed (never 998), non-ASCII text as RFC 2047 encoded-words, the body as
 * quoted-printable UTF-8 with CRLF line ends.
 */

const crlf = '\r\n'
const lineLength = 78
/** UTF-8 bytes per encoded-word: 56 base64 characters, so `Subject: =?UTF-8?B?...?=` stays within 78. */
const wordBytes = 42

const octets = (text: string): number => Buffer.byteLength(text, 'utf8')

/** An address-list field (To, Cc): the addresses separated by commas, a new line before any that would pass 78 characters. */
export const addressField = (name: string, addresses: ReadonlyArray<string>): string => {
  const lines: string[] = []
  let line = `${name}:`
  addresses.forEach((address, index) => {
    const comma = index < addresses.length - 1 ? ',' : ''
    if (index > 0 && octets(line) + 1 + octets(address) + comma.length > lineLength) {
      lines.push(line)
      line = ''
    }
    line = `${line} ${address}${comma}`
  })
  return [...lines, line].join(crlf)
}

/** The pieces a plain field folds between: a fold goes before a single space that starts a word, so no line starts with two. */
const piecesOf = (text: string): ReadonlyArray<string> => ` ${text}`.split(/(?= [^ ])/)

/** Printable ASCII that reads back as it is (no encoded-word look-alike), each piece short enough for a line of its own. */
const isPlain = (text: string, name: string): boolean =>
  /^[\x20-\x7e]*$/.test(text) && !text.includes('=?') && piecesOf(text).every((piece) => name.length + 1 + piece.length <= lineLength)

/** A plain text field folded before a space, never before trailing spaces: unfolding (removing each CRLF) gives the text back. */
const foldedPlain = (name: string, text: string): string => {
  const lines: string[] = []
  let line = `${name}:`
  for (const piece of piecesOf(text)) {
    if (line.length + piece.length > lineLength && /[^ ]/.test(piece) && /[^ ]/.test(line)) {
      lines.push(line)
      line = ''
    }
    line += piece
  }
  return [...lines, line].join(crlf)
}

/** The text cut into runs of whole characters of at most `wordBytes` UTF-8 bytes each. */
const chunks = (text: string): ReadonlyArray<string> => {
  const runs: string[] = []
  let run = ''
  for (const character of text) {
    if (octets(run) + octets(character) > wordBytes) {
      runs.push(run)
      run = ''
    }
    run += character
  }
  return run === '' ? runs : [...runs, run]
}

/** Text as RFC 2047 encoded-words of whole characters (UTF-8, base64), each short enough for a line of its own. */
export const encodedWords = (text: string): ReadonlyArray<string> => chunks(text).map((run) => `=?UTF-8?B?${Buffer.from(run, 'utf8').toString('base64')}?=`)

/** An unstructured field (Subject): as it is when plain ASCII, else RFC 2047 encoded-words of whole characters, one a line. */
export const textField = (name: string, text: HeaderText): string => {
  if (text === '') return `${name}:`
  if (isPlain(text, name)) return foldedPlain(name, text)
  return `${name}: ${encodedWords(text).join(`${crlf} `)}`
}

/** An instant as an RFC 5322 date: `Mon, 05 Jan 2026 09:00:00 +0000`. */
export const dateField = (date: Date): string => `Date: ${date.toUTCString().replace(/GMT$/, '+0000')}`

const qpByte = (byte: number): string => `=${byte.toString(16).toUpperCase().padStart(2, '0')}`

/** One line of text as quoted-printable, soft-broken (`=`) so no line passes 76 characters. */
const qpLine = (line: string): string => {
  const bytes = [...Buffer.from(line, 'utf8')]
  const tokens = bytes.map((byte, index) => {
    const last = index === bytes.length - 1
    const literal = (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !last)
    return literal ? String.fromCharCode(byte) : qpByte(byte)
  })
  const lines: string[] = []
  let current = ''
  for (const token of tokens) {
    if (current.length + token.length > 75) {
      lines.push(`${current}=`)
      current = ''
    }
    current += token
  }
  return [...lines, current].join(crlf)
}

/** A text body as quoted-printable: every line break (CRLF, CR or LF) a CRLF, every line within 76 characters. */
export const quotedPrintable = (text: string): string => text.split(/\r\n|\r|\n/).map(qpLine).join(crlf)
