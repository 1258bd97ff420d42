import { characterCount, visible } from '../domain/text'
import { LicenseChangeRow } from '../projections/licenseChangeLog'
import { DueReminder } from '../providers/manual'

/** A cell cut or padded to `width` characters; a cut never splits a surrogate pair. */
const fit = (text: string, width: number): string => {
  const characters = Array.from(text)
  return characters.length > width ? `${characters.slice(0, width - 1).join('')}…` : text + ' '.repeat(width - characters.length)
}

/** Rows as a plain text table with a header line; a control character in a cell is shown as an escape (`\u000d`), never raw. */
export const table = (headers: ReadonlyArray<string>, cellsOf: ReadonlyArray<ReadonlyArray<string>>, max = 60): string => {
  const rows = cellsOf.map((row) => row.map(visible))
  const widths = headers.map((header, column) =>
    Math.min(max, Math.max(characterCount(header), ...rows.map((row) => characterCount(row[column] ?? '')))))
  const line = (cells: ReadonlyArray<string>): string =>
    cells.map((cell, column) => fit(cell, widths[column] ?? 0)).join('  ').trimEnd()
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n')
}

const signed = (n: number): string => (n > 0 ? `+${n}` : String(n))

/** The License Change Log as people read it. */
export const licenseChangeTable = (rows: ReadonlyArray<LicenseChangeRow>): string =>
  rows.length === 0 ? '(no License Changes)' : table(
    ['Recorded', 'Product', 'Provider', 'Quantity', 'Status', 'Reminders', 'Message'],
    rows.map((row) => [
      row.recordedAt.slice(0, 16).replace('T', ' '),
      row.product,
      `${row.provider} (${row.providerKind})`,
      `${row.previousQuantity} -> ${row.newQuantity} (${signed(row.delta)})`,
      row.status,
      String(row.remindersSent),
      row.message,
    ]),
  )

/** Due reminders as people read them. */
export const reminderTable = (due: ReadonlyArray<DueReminder>): string =>
  due.length === 0 ? '(no reminders due)' : table(
    ['Due since', 'Product', 'To', 'Reminder', 'License Change'],
    [...due].sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.product.localeCompare(b.product)).map((reminder) => [reminder.dueAt.slice(0, 16).replace('T', ' '), reminder.product, reminder.to, `#${reminder.sequence}`, reminder.licenseChangeId]),
  )
