import type { Seatflow } from '../../../app/seatflow'
import { LicenseChangeFilter, passes } from '../../../app/queries'
import { logColumns } from '../../../cli/log'
import { csv } from '../../../cli/csv'
import { ProvisioningStatus } from '../../../domain/values'
import { LicenseChangeRow } from '../../../projections/licenseChangeLog'
import { html, Html } from '../html'
import { changeLink, moment, statusBadge, subscriptionLink } from '../layout'
import { statuses } from './dashboard'

/** The log's query as the form sends it (every field text, any of them missing). */
export type LogQuery = Readonly<Record<string, string | undefined>>

/** What a log query asks: the filter, the cursor, the page size, and what in it could not be read. */
interface Asked {
  readonly filter: LicenseChangeFilter
  readonly after: string | null
  readonly limit: number
  readonly problems: ReadonlyArray<string>
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

type Given = (name: string) => string | undefined

const statusOf = (given: Given, problems: string[]): ProvisioningStatus | undefined => {
  const status = given('status')
  if (status === undefined || (statuses as ReadonlyArray<string>).includes(status)) return status as ProvisioningStatus | undefined
  problems.push('status: choose one of the statuses')
  return undefined
}

const subscriptionOf = (given: Given, problems: string[]): string | undefined => {
  const subscriptionId = given('subscriptionId')
  if (subscriptionId === undefined || uuid.test(subscriptionId)) return subscriptionId
  problems.push('subscription: give a subscription id (a uuid)')
  return undefined
}

const sinceOf = (given: Given, problems: string[]): Date | undefined => {
  const since = given('since')
  const date = since === undefined ? undefined : new Date(since)
  if (date === undefined || !Number.isNaN(date.getTime())) return date
  problems.push('since: give a date (2026-01-31) or an instant')
  return undefined
}

const read = (query: LogQuery): Asked => {
  const problems: string[] = []
  const given: Given = (name) => { const value = query[name]?.trim(); return value === '' ? undefined : value }
  const status = statusOf(given, problems)
  const provider = given('provider')
  const subscriptionId = subscriptionOf(given, problems)
  const since = sinceOf(given, problems)
  const after = given('after')
  const limit = Number(given('limit') ?? '25')
  const filter: LicenseChangeFilter = {
    ...(status === undefined ? {} : { status }), ...(provider === undefined ? {} : { provider }),
    ...(subscriptionId === undefined ? {} : { subscriptionId }), ...(since === undefined ? {} : { since }),
  }
  return { filter, after: after !== undefined && uuid.test(after) ? after : null, limit: Number.isInteger(limit) && limit >= 1 && limit <= 500 ? limit : 25, problems }
}

/** The query string of the filters (and more parameters). */
const queryOf = (query: LogQuery, more: Readonly<Record<string, string>> = {}): string => {
  const kept = Object.entries({ status: query.status, provider: query.provider, subscriptionId: query.subscriptionId, since: query.since, limit: query.limit, ...more })
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
  return new URLSearchParams(kept).toString()
}

const filters = (query: LogQuery): Html => html`<form class="panel filters" method="get" action="/changes" aria-label="Filter the License Change Log">
<div><label for="status">Status</label><select id="status" name="status"><option value="">any</option>${statuses.map((status) =>
  html`<option${query.status === status ? html` selected` : ''}>${status}</option>`)}</select></div>
<div><label for="provider">Provider (name, id or kind)</label><input id="provider" name="provider" value="${query.provider ?? ''}"></div>
<div><label for="subscriptionId">Subscription id</label><input id="subscriptionId" name="subscriptionId" size="38" value="${query.subscriptionId ?? ''}"></div>
<div><label for="since">Recorded since</label><input id="since" name="since" placeholder="2026-01-31" value="${query.since ?? ''}"></div>
<div><label for="limit">Per page</label><input id="limit" name="limit" inputmode="numeric" size="4" value="${query.limit ?? '25'}"></div>
<div><button type="submit">Filter</button> <a href="/changes">Clear</a></div></form>`

const rowsTable = (rows: ReadonlyArray<LicenseChangeRow>): Html => html`<table><thead><tr><th scope="col">Change</th><th scope="col">Recorded</th>
<th scope="col">Product</th><th scope="col">Provider</th><th scope="col" class="num">Quantity</th><th scope="col">Status</th><th scope="col">By</th></tr></thead><tbody>
${rows.map((row) => html`<tr data-change="${row.licenseChangeId}"><td>${changeLink(row.licenseChangeId)}</td><td>${moment(row.recordedAt)}</td>
<td>${subscriptionLink(row.subscriptionId, row.product)}</td><td>${row.provider}</td><td class="num">${row.previousQuantity} → ${row.newQuantity}</td>
<td>${statusBadge(row.status)}</td><td>${row.provisionedBy ?? ''}</td></tr>`)}</tbody></table>`

/** The License Change Log: the filters, a page of rows in a stable order, the next page, and the CSV of every row the filters pass. */
export const logPage = async (seatflow: Seatflow, query: LogQuery): Promise<{ readonly body: Html; readonly problems: ReadonlyArray<string> }> => {
  const asked = read(query)
  const page = await seatflow.licenseChanges(asked.filter, { after: asked.after, limit: asked.limit })
  const body = html`${filters(query)}
<p><a href="/changes.csv?${queryOf(query)}" download>Download these License Changes as CSV</a></p>
<section id="log-rows" data-live-region aria-label="License Changes">
${page.rows.length === 0 ? html`<p>No License Change matches.</p>` : rowsTable(page.rows)}
<nav aria-label="Pages" class="pages">${asked.after === null ? '' : html`<a href="/changes?${queryOf(query)}">First page</a> `}
${page.next === null ? html`<span class="hint">Last page</span>` : html`<a rel="next" href="/changes?${queryOf(query, { after: page.next })}">Next page</a>`}</nav></section>`
  return { body, problems: asked.problems }
}

/** Every License Change the filters pass, as the CLI's CSV (`seatflow log --format csv`). */
export const logCsv = async (seatflow: Seatflow, query: LogQuery): Promise<string> => {
  const keep = passes(read(query).filter)
  return csv(logColumns, (await seatflow.licenseChangeLog()).filter(keep))
}
