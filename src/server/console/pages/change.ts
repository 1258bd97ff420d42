import * as E from 'fp-ts/Either'
import type { Seatflow } from '../../../app/seatflow'
import { LicenseChangeRow } from '../../../projections/licenseChangeLog'
import { mayRun } from '../actions'
import { html, Html } from '../html'
import { csrfField, moment, statusBadge, subscriptionLink } from '../layout'
import { Signed } from '../session'

/** The facts of a License Change, as a description list. */
export const changeFacts = (row: LicenseChangeRow): Html => html`<dl class="facts">
<dt>Status</dt><dd>${statusBadge(row.status)}</dd>
<dt>Product</dt><dd>${subscriptionLink(row.subscriptionId, row.product)}</dd>
<dt>Subscription</dt><dd>${row.subscriptionId}</dd>
<dt>Provider</dt><dd>${row.provider} (${row.providerKind})</dd>
<dt>Previous quantity</dt><dd>${row.previousQuantity}</dd>
<dt>New quantity</dt><dd>${row.newQuantity}</dd>
<dt>Recorded</dt><dd>${moment(row.recordedAt)}</dd>
<dt>Provisioned</dt><dd>${row.provisionedAt === null ? html`<span class="hint">not yet</span>` : html`${moment(row.provisionedAt)} by ${row.provisionedBy ?? 'the provider'}`}</dd>
<dt>Why</dt><dd>${row.message}</dd>
${row.lastFailure === null ? '' : html`<dt>Last failure</dt><dd>${row.lastFailure}</dd>`}
</dl>`

const actions = (row: LicenseChangeRow, signed: Signed): Html => {
  const provision = row.status === 'Awaiting Provisioning' && row.providerKind === 'Manual' && mayRun(signed.token, 'markProvisioned')
  const requeue = row.status === 'Failed Provisioning' && mayRun(signed.token, 'requeueLicenseChange')
  if (!provision && !requeue) return html``
  return html`<h2>Actions</h2>
${provision ? html`<form class="panel" method="post" action="/changes/${row.licenseChangeId}/mark-provisioned">${csrfField(signed.csrf)}
<label for="note">Note: what was done at ${row.provider}</label><textarea id="note" name="note" rows="2"></textarea>
<p><button type="submit">Mark provisioned</button></p></form>` : ''}
${requeue ? html`<form class="panel" method="post" action="/changes/${row.licenseChangeId}/requeue">${csrfField(signed.csrf)}
<label for="reason">Reason for re-queueing</label><textarea id="reason" name="reason" rows="2" required></textarea>
<p><button type="submit">Re-queue</button></p></form>` : ''}`
}

/** A License Change: its facts, the actions its status allows the signed-in role, and its trail as a timeline. Null: no such change. */
export const changePage = async (seatflow: Seatflow, licenseChangeId: string, signed: Signed): Promise<Html | null> => {
  const row = await seatflow.licenseChange(licenseChangeId)
  if (row === null) return null
  const trail = await seatflow.trail({ licenseChangeId })
  const events = E.isRight(trail) ? trail.right : []
  return html`<section id="change-facts" data-live-region aria-label="The License Change">${changeFacts(row)}</section>
${actions(row, signed)}
<h2>Trail</h2>
<ol class="timeline">${events.map((event) => html`<li><strong>${event.type}</strong> ${moment(event.occurredAt)}<br>
by ${event.actor}${event.causedBy === null ? '' : html`, caused by ${event.causedBy.type ?? 'an event'}`} → ${event.result}
<span class="hint">(correlation ${event.correlationId})</span></li>`)}</ol>`
}
