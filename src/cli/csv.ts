/**
 * Cells that get a leading `'`: what a spreadsheet would take for the start of a formula (OWASP,
 * CSV injection: = + - @ TAB CR), and text that starts with `'` itself, so that one `'`
 * taken off any cell that starts with one always gives the text back (`'=1` is written `''=1`).
 */
const neutralised = /^[=+\-@\t\r']/

/** The text of a cell: null as empty, a list joined with `, `, an object as JSON. */
const cellText = (value: unknown): string => {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.join(', ')
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/**
 * One CSV field as RFC 4180 writes it: quoted (quotes doubled) when it holds a comma, a quote, CR
 * or LF. A text cell that a spreadsheet would take for a formula, or that starts with `'`, gets a
 * leading `'`; numbers stay numbers.
 */
export const csvField = (value: unknown): string => {
  const raw = cellText(value)
  const text = typeof value !== 'number' && neutralised.test(raw) ? `'${raw}` : raw
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** Rows as RFC 4180 CSV: a header line, then one record a row, each ended by CRLF. */
export const csv = <Row>(columns: ReadonlyArray<keyof Row & string>, rows: ReadonlyArray<Row>): string =>
  [columns.join(','), ...rows.map((row) => columns.map((column) => csvField(row[column])).join(','))]
    .map((record) => `${record}\r\n`).join('')
