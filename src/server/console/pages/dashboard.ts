import type { Seatflow } from '../../../app/seatflow'
import { LicenseChangeRow } from '../../../projections/licenseChangeLog'
import { html, Html } from '../html'
import { ageOf, changeLink, moment, statusBadge, subscriptionLink } from '../layout'

/** The statuses, in the order people read them. */
export const statuses = ['Awaiting Provisioning', 'Failed Provisioning', 'Provisioned', 'Not Applicable'] as const

/** License Changes by status (every status, zero too). */
export const countsOf = (rows: ReadonlyArray<LicenseChangeRow>): Readonly<Record<string, number>> =>
  Object.fromEntries(statuses.map((status) => [status, rows.filter((row) => row.status === status).length]))

const byProvider = (rows: ReadonlyArray<LicenseChangeRow>): Html => {
  const providers = [...new Set(rows.map((row) => row.provider))].sort()
  const count = (provider: string, status: string) => rows.filter((row) => row.provider === provider && row.status === status).length
  return html`<table><caption class="visually-hidden">License Changes by provider and status</caption>
<thead><tr><th scope="col">Provider</th>${statuses.map((status) => html`<th scope="col" class="num">${status}</th>`)}</tr></thead>
<tbody>${providers.map((provider) => html`<tr><th scope="row">${provider}</th>${statuses.map((status) => html`<td class="num">${count(provider, status)}</td>`)}</tr>`)}</tbody></table>`
}

const awaiting = (oldestFirst: ReadonlyArray<LicenseChangeRow>, now: Date): Html => {
  if (oldestFirst.length === 0) return html`<p>Nothing awaits provisioning.</p>`
  return html`<table><thead><tr><th scope="col">Change</th><th scope="col">Product</th><th scope="col">Provider</th><th scope="col" class="num">Quantity</th>
<th scope="col">Recorded</th><th scope="col">Age</th><th scope="col" class="num">Reminders sent</th></tr></thead><tbody>
${oldestFirst.map((row) => html`<tr><td>${changeLink(row.licenseChangeId)}</td><td>${subscriptionLink(row.subscriptionId, row.product)}</td><td>${row.provider}</td>
<td class="num">${row.previousQuantity} → ${row.newQuantity}</td><td>${moment(row.recordedAt)}</td><td>${ageOf(row.recordedAt, now)}</td><td class="num">${row.remindersSent}</td></tr>`)}
</tbody></table>`
}

const failed = (rows: ReadonlyArray<LicenseChangeRow>): Html => {
  const list = rows.filter((row) => row.status === 'Failed Provisioning')
  if (list.length === 0) return html`<p>No change failed.</p>`
  return html`<table><thead><tr><th scope="col">Change</th><th scope="col">Product</th><th scope="col">Provider</th><th scope="col" class="num">Attempts</th><th scope="col">Reason</th></tr></thead><tbody>
${list.map((row) => html`<tr><td>${changeLink(row.licenseChangeId)}</td><td>${subscriptionLink(row.subscriptionId, row.product)}</td><td>${row.provider}</td>
<td class="num">${row.attempts}</td><td>${row.lastFailure ?? row.message}</td></tr>`)}</tbody></table>`
}

const endOfDay = (now: Date): Date => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 23, 59, 59, 999))

/** What the dashboard shows of the log, computed once per log position (every page open at one position shares it). */
interface Summary {
  readonly at: number
  readonly counts: Readonly<Record<string, number>>
  readonly byProvider: Html
  readonly awaiting: ReadonlyArray<LicenseChangeRow>
  readonly failed: Html
}

const summaries = new WeakMap<Seatflow, Summary>()

const summaryOf = async (seatflow: Seatflow): Promise<Summary> => {
  await seatflow.refreshViews()
  const at = (await seatflow.positions()).views
  const known = summaries.get(seatflow)
  if (known !== undefined && known.at === at) return known
  const rows = await seatflow.licenseChangeLog()
  const summary: Summary = {
    at, counts: countsOf(rows), byProvider: byProvider(rows), failed: failed(rows),
    awaiting: rows.filter((row) => row.status === 'Awaiting Provisioning').sort((a, b) => a.recordedAt.localeCompare(b.recordedAt)).slice(0, 25),
  }
  summaries.set(seatflow, summary)
  return summary
}

/** The dashboard: counts by status and provider, what awaits (oldest first), what failed, the reminders due today. */
export const dashboardPage = async (seatflow: Seatflow): Promise<Html> => {
  const summary = await summaryOf(seatflow)
  const now = seatflow.now()
  const counts = summary.counts
  const due = await seatflow.dueReminders(endOfDay(now))
  return html`<section aria-labelledby="counts"><h2 id="counts">License Changes by status</h2>
<div class="cards">${statuses.map((status) => html`<p class="card">${statusBadge(status)}<span class="count" data-count="${status}">${counts[status] ?? 0}</span></p>`)}</div></section>
<section id="by-provider" data-live-region aria-labelledby="by-provider-title"><h2 id="by-provider-title">By provider</h2>${summary.byProvider}</section>
<section id="awaiting" data-live-region aria-labelledby="awaiting-title"><h2 id="awaiting-title">Awaiting provisioning, oldest first</h2>${awaiting(summary.awaiting, now)}</section>
<section id="failed" data-live-region aria-labelledby="failed-title"><h2 id="failed-title">Failed</h2>${summary.failed}</section>
<section id="due" data-live-region aria-labelledby="due-title"><h2 id="due-title">Reminders due today</h2>
${due.length === 0 ? html`<p>No reminder falls due today.</p>` : html`<table><thead><tr><th scope="col">Change</th><th scope="col">Product</th><th scope="col">To</th><th scope="col" class="num">Reminder</th><th scope="col">Due</th></tr></thead><tbody>
${due.map((reminder) => html`<tr><td>${changeLink(reminder.licenseChangeId)}</td><td>${reminder.product}</td><td>${reminder.to}</td><td class="num">${reminder.sequence}</td><td>${moment(reminder.dueAt)}</td></tr>`)}</tbody></table>`}</section>`
}
