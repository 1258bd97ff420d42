import * as E from 'fp-ts/Either'
import type { Seatflow } from '../../../app/seatflow'
import { LicenseChangeFilter, passes } from '../../../app/queries'
import { logColumns } from '../../../cli/log'
import { csv } from '../../../cli/csv'
import { ProvisioningStatus } from '../../../domain/values'
import { LicenseChangeRow } from '../../../projections/licenseChangeLog'
import { html, Html } from '../html'
import { changeLink, moment, statusBadge, subscriptionLink } from '../layout'
import { statuses } from './dashboard'
import { sortedLogPage } from './logOrder'
import { LogSort, SortColumn, sortOf, sortParameter, sortRows } from './logSort'

/** The log's query as the form sends it (every field text, any of them missing). */
export type LogQuery = Readonly<Record<string, string | undefined>>

/** What a log query asks: the filter, the order (null: by id), the cursor as given, the page size, and what in it could not be read. */
interface Asked {
  readonly filter: LicenseChangeFilter
  readonly sort: LogSort | null
  readonly after: string | null
  readonly limit: number
  /** What could not be read (the page adds a cursor it could not follow). */
  readonly problems: string[]
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

/** What a log query asks, or Left when its `sort` is none of the orders (answered 400: a link that cannot be followed). */
const read = (query: LogQuery): E.Either<string, Asked> => {
  const problems: string[] = []
  const sort = sortOf(query.sort?.trim())
  if (E.isLeft(sort)) return sort
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
  return E.right({ filter, sort: sort.right, after: after ?? null, limit: Number.isInteger(limit) && limit >= 1 && limit <= 500 ? limit : 25, problems })
}

/** The query string of the filters (and more parameters). */
const queryOf = (query: LogQuery, more: Readonly<Record<string, string>> = {}): string => {
  const kept = Object.entries({ status: query.status, provider: query.provider, subscriptionId: query.subscriptionId, since: query.since, limit: query.limit, sort: query.sort, ...more })
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
${query.sort === undefined || query.sort === '' ? '' : html`<input type="hidden" name="sort" value="${query.sort}">`}
<div><button type="submit">Filter</button> <a href="/changes">Clear</a></div></form>`

/** A sortable column's header: a link to sort by it (ascending, or descending when it is sorted ascending now), `aria-sort` when sorted. */
const sortHeader = (query: LogQuery, sort: LogSort | null, column: SortColumn, label: string, className = ''): Html => {
  const sorted = sort?.column === column ? sort : null
  const next = sortParameter({ column, descending: sorted !== null && !sorted.descending })
  const ariaSort = sorted === null ? '' : html` aria-sort="${sorted.descending ? 'descending' : 'ascending'}"`
  const mark = sorted === null ? '' : html` <span aria-hidden="true">${sorted.descending ? '▼' : '▲'}</span>`
  return html`<th scope="col"${className === '' ? '' : html` class="${className}"`}${ariaSort}><a href="/changes?${queryOf(query, { sort: next })}" data-sort="${next}">${label}</a>${mark}</th>`
}

const rowsTable = (query: LogQuery, sort: LogSort | null, rows: ReadonlyArray<LicenseChangeRow>): Html => html`<table><thead><tr><th scope="col">Change</th>${sortHeader(query, sort, 'recorded', 'Recorded')}
${sortHeader(query, sort, 'product', 'Product')}${sortHeader(query, sort, 'provider', 'Provider')}${sortHeader(query, sort, 'quantity', 'Quantity', 'num')}${sortHeader(query, sort, 'status', 'Status')}<th scope="col">By</th></tr></thead><tbody>
${rows.map((row) => html`<tr data-change="${row.licenseChangeId}"><td>${changeLink(row.licenseChangeId)}</td><td>${moment(row.recordedAt)}</td>
<td>${subscriptionLink(row.subscriptionId, row.product)}</td><td>${row.provider}</td><td class="num">${row.previousQuantity} → ${row.newQuantity}</td>
<td>${statusBadge(row.status)}</td><td>${row.provisionedBy ?? ''}</td></tr>`)}</tbody></table>`

/** A page of rows and the `after` of the next (null: the last), in the asked order: by id off the views' pages, or sorted off the whole filtered view. */
const pageOf = async (seatflow: Seatflow, asked: Asked): Promise<{ readonly rows: ReadonlyArray<LicenseChangeRow>; readonly next: string | null }> => {
  if (asked.sort === null) {
    const after = asked.after !== null && uuid.test(asked.after) ? asked.after : null
    return seatflow.licenseChanges(asked.filter, { after, limit: asked.limit })
  }
  const page = await sortedLogPage(seatflow, { ...asked, sort: asked.sort })
  if (page.badCursor) asked.problems.push('after: not a page of this order; the first page is shown')
  return page
}

/** What the log page answers: its body, what of the query was not used, and its status (400 for an order that is none). */
export interface LogAnswer {
  readonly body: Html
  readonly problems: ReadonlyArray<string>
  readonly status: 200 | 400
}

const badSort = (problem: string): LogAnswer => ({
  status: 400, problems: [],
  body: html`<p>This License Change Log cannot be shown: ${problem}.</p><p><a href="/changes">The log in its default order</a></p>`,
})

/** The License Change Log: the filters, a page of rows in the asked order (by id unless sorted), the next page, and the CSV of every row the filters pass. */
export const logPage = async (seatflow: Seatflow, query: LogQuery): Promise<LogAnswer> => {
  const reading = read(query)
  if (E.isLeft(reading)) return badSort(reading.left)
  const asked = reading.right
  const page = await pageOf(seatflow, asked)
  const body = html`${filters(query)}
<p><a href="/changes.csv?${queryOf(query)}" download>Download these License Changes as CSV</a></p>
<section id="log-rows" data-live-region aria-label="License Changes">
${page.rows.length === 0 ? html`<p>No License Change matches.</p>` : rowsTable(query, asked.sort, page.rows)}
<nav aria-label="Pages" class="pages">${asked.after === null ? '' : html`<a href="/changes?${queryOf(query)}">First page</a> `}
${page.next === null ? html`<span class="hint">Last page</span>` : html`<a rel="next" href="/changes?${queryOf(query, { after: page.next })}">Next page</a>`}</nav></section>`
  return { body, problems: asked.problems, status: 200 }
}

/** Every License Change the filters pass, as the CLI's CSV (`seatflow log --format csv`), in the asked order (default: as recorded); Left for a bad `sort`. */
export const logCsv = async (seatflow: Seatflow, query: LogQuery): Promise<E.Either<string, string>> => {
  const asked = read(query)
  if (E.isLeft(asked)) return asked
  const { filter, sort } = asked.right
  const rows = (await seatflow.licenseChangeLog()).filter(passes(filter))
  return E.right(csv(logColumns, sort === null ? rows : sortRows(sort, rows)))
}
