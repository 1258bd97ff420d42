import type { Seatflow } from '../../../app/seatflow'
import { SubscriptionRow } from '../../../projections/catalog'
import { html, Html } from '../html'
import { changeLink, moment, statusBadge, subscriptionLink } from '../layout'
import { quantityChart } from './chart'

/** Every subscription. */
export const subscriptionsPage = async (seatflow: Seatflow): Promise<Html> => {
  const rows = await seatflow.subscriptions()
  const providers = new Map((await seatflow.providers()).map((provider) => [provider.providerId, provider.name]))
  return html`<table><thead><tr><th scope="col">Product</th><th scope="col">Provider</th><th scope="col" class="num">Quantity</th><th scope="col">Status</th><th scope="col">Contract owner</th></tr></thead><tbody>
${rows.map((row) => html`<tr><td>${subscriptionLink(row.subscriptionId, row.product)}</td><td>${providers.get(row.providerId) ?? row.providerId}</td>
<td class="num">${row.quantity}</td><td>${row.status}</td><td>${row.contractOwnerEmail}</td></tr>`)}</tbody></table>`
}

const bundleOf = (row: SubscriptionRow, all: ReadonlyArray<SubscriptionRow>): Html => {
  const parent = row.bundle === null ? undefined : all.find((other) => other.subscriptionId === row.bundle?.parentId)
  const children = all.filter((other) => other.bundle?.parentId === row.subscriptionId)
  return html`${parent === undefined ? '' : html`<dt>Bundle parent</dt><dd>${subscriptionLink(parent.subscriptionId, parent.product)} (× ${row.bundle?.multiplier ?? 1})</dd>`}
${children.length === 0 ? '' : html`<dt>Bundle children</dt><dd><ul>${children.map((child) => html`<li>${subscriptionLink(child.subscriptionId, child.product)} (× ${child.bundle?.multiplier ?? 1})</li>`)}</ul></dd>`}`
}

/** A subscription: its facts, its quantity over time as a chart, and its License Changes. Null: no such subscription. */
export const subscriptionPage = async (seatflow: Seatflow, subscriptionId: string): Promise<{ readonly title: string; readonly body: Html } | null> => {
  const row = await seatflow.subscription(subscriptionId)
  if (row === null) return null
  const changes = (await seatflow.licenseChanges({ subscriptionId: row.subscriptionId }, { limit: 500 })).rows
  const provider = await seatflow.provider(row.providerId)
  const all = await seatflow.subscriptions()
  const body = html`<dl class="facts"><dt>Product</dt><dd>${row.product}</dd><dt>Provider</dt><dd>${provider?.name ?? row.providerId}</dd>
<dt>Quantity</dt><dd>${row.quantity}</dd><dt>Status</dt><dd>${row.status}${row.suspendedReason === null ? '' : html` (${row.suspendedReason})`}</dd>
<dt>Billing contract</dt><dd>${row.billingContractId} (owner ${row.contractOwnerEmail})</dd>${bundleOf(row, all)}</dl>
<h2>Quantity over time</h2>
<figure>${quantityChart(changes, row.product)}</figure>
<h2>License Changes</h2>
<table><thead><tr><th scope="col">Change</th><th scope="col">Recorded</th><th scope="col" class="num">Quantity</th><th scope="col">Status</th></tr></thead><tbody>
${[...changes].sort((a, b) => a.recordedPosition - b.recordedPosition).map((change) => html`<tr><td>${changeLink(change.licenseChangeId)}</td><td>${moment(change.recordedAt)}</td>
<td class="num">${change.previousQuantity} → ${change.newQuantity}</td><td>${statusBadge(change.status)}</td></tr>`)}</tbody></table>`
  return { title: `Subscription: ${row.product}`, body }
}
