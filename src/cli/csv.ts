/** One CSV field as RFC 4180 writes it: quoted (quotes doubled) when it holds a comma, a quote, CR or LF. */
export const csvField = (value: unknown): string => {
  const text = value === null || value === undefined ? ''
    : Array.isArray(value) ? value.join(', ')
      : typeof value === 'object' ? JSON.stringify(value) : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** Rows as RFC 4180 CSV: a header line, then one record a row, each ended by CRLF. */
export const csv = <Row>(columns: ReadonlyArray<keyof Row & string>, rows: ReadonlyArray<Row>): string =>
  [columns.join(','), ...rows.map((row) => columns.map((column) => csvField(row[column])).join(','))]
    .map((record) => `${record}\r\n`).join('')
