import { LicenseChangeRow } from '../../../projections/licenseChangeLog'
import { html, Html } from '../html'
import { statusClass } from '../layout'

const width = 720
const height = 260
const pad = { left: 48, right: 16, top: 16, bottom: 36 }

/** A point of the chart: where a change left the quantity, and the change. */
interface Point {
  readonly x: number
  readonly y: number
  readonly row: LicenseChangeRow
}

const scale = (rows: ReadonlyArray<LicenseChangeRow>): { readonly points: ReadonlyArray<Point>; readonly top: number } => {
  const times = rows.map((row) => Date.parse(row.recordedAt))
  const first = Math.min(...times)
  const span = Math.max(...times) - first
  const top = Math.max(1, ...rows.flatMap((row) => [row.previousQuantity, row.newQuantity]))
  const plotW = width - pad.left - pad.right
  const plotH = height - pad.top - pad.bottom
  const points = rows.map((row, index) => ({
    // Changes recorded at one instant are spread evenly rather than stacked.
    x: pad.left + (span === 0 ? (rows.length === 1 ? plotW / 2 : (index / (rows.length - 1)) * plotW) : (((times[index] ?? first) - first) / span) * plotW),
    y: pad.top + plotH - (row.newQuantity / top) * plotH,
    row,
  }))
  return { points, top }
}

const stepPath = (points: ReadonlyArray<Point>, startY: number): string =>
  [`M ${pad.left} ${startY.toFixed(1)}`, ...points.map((point) => `H ${point.x.toFixed(1)} V ${point.y.toFixed(1)}`), `H ${width - pad.right}`].join(' ')

/**
 * A subscription's quantity over time as an SVG drawn on the server: a step line, each License
 * Change a mark coloured by its status with its words in a tooltip (`<title>`: text, escaped).
 */
export const quantityChart = (rows: ReadonlyArray<LicenseChangeRow>, product: string): Html => {
  if (rows.length === 0) return html`<p>No License Change yet: nothing to chart.</p>`
  const ordered = [...rows].sort((a, b) => a.recordedPosition - b.recordedPosition)
  const { points, top } = scale(ordered)
  const plotH = height - pad.top - pad.bottom
  const startY = pad.top + plotH - ((ordered[0]?.previousQuantity ?? 0) / top) * plotH
  const ticks = [0, Math.round(top / 2), top]
  return html`<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">
<title id="chart-title">Quantity of ${product} over time</title>
<desc id="chart-desc">${ordered.length} License Changes; the table below lists each.</desc>
${ticks.map((tick) => { const y = pad.top + plotH - (tick / top) * plotH; return html`<line class="grid" x1="${pad.left}" x2="${width - pad.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}"/><text x="${pad.left - 8}" y="${(y + 4).toFixed(1)}" text-anchor="end">${tick}</text>` })}
<line class="axis" x1="${pad.left}" x2="${width - pad.right}" y1="${height - pad.bottom}" y2="${height - pad.bottom}"/>
<text x="${pad.left}" y="${height - 10}">${ordered[0]?.recordedAt.slice(0, 10) ?? ''}</text>
<text x="${width - pad.right}" y="${height - 10}" text-anchor="end">${ordered[ordered.length - 1]?.recordedAt.slice(0, 10) ?? ''}</text>
<path class="line" d="${stepPath(points, startY)}"/>
${points.map(({ x, y, row }) => html`<circle class="mark ${statusClass(row.status).replace('status-', 'mark-')}" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="6" data-change="${row.licenseChangeId}"><title>${row.product}: ${row.previousQuantity} → ${row.newQuantity}, ${row.status} (${row.provider}, ${row.recordedAt})</title></circle>`)}
</svg>
<ul class="legend" aria-label="Colours">${['Awaiting Provisioning', 'Provisioned', 'Failed Provisioning', 'Not Applicable'].map((status) => html`<li><span class="status ${statusClass(status)}">${status}</span></li>`)}</ul>`
}
