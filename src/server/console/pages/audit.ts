import { AuditMoment, describeViolation } from '../../../index'
import type { Seatflow } from '../../../app/seatflow'
import { html, Html } from '../html'
import { subscriptionLink } from '../layout'

/** The moment an audit asks for: now, or as of a time (an unreadable time is said). */
const momentOf = (asOf: string | undefined): { readonly moment: AuditMoment; readonly problem: string | null } => {
  if (asOf === undefined || asOf.trim() === '') return { moment: { basis: 'now' }, problem: null }
  const time = new Date(asOf)
  return Number.isNaN(time.getTime()) ? { moment: { basis: 'now' }, problem: `"${asOf}" is not a time; the audit is of now` }
    : { moment: { basis: 'recorded time', time: time.toISOString() }, problem: null }
}

/** The audit: digest, the mismatch report and the violations, now or as of a time (a replay with no side effects). */
export const auditPage = async (seatflow: Seatflow, asOf: string | undefined): Promise<{ readonly body: Html; readonly problem: string | null }> => {
  const asked = momentOf(asOf)
  const report = await seatflow.auditAt(asked.moment)
  const body = html`<form class="panel filters" method="get" action="/audit"><div><label for="asOf">As of (a time; empty: now)</label>
<input id="asOf" name="asOf" value="${asOf ?? ''}" placeholder="2026-01-31T12:00:00Z"></div><div><button type="submit">Audit</button></div></form>
<dl class="facts"><dt>Events replayed</dt><dd>${report.events}</dd><dt>Up to position</dt><dd>${report.position}</dd><dt>Digest</dt><dd><code>${report.digest}</code></dd></dl>
<h2>Mismatches</h2>${report.mismatches.length === 0 ? html`<p>Every subscription's License Changes add up to its quantity.</p>`
    : html`<table><thead><tr><th scope="col">Subscription</th><th scope="col" class="num">Quantity</th><th scope="col" class="num">Sum of its License Changes</th>
<th scope="col" class="num">Not accounted for</th><th scope="col" class="num">License Changes</th></tr></thead><tbody>${report.mismatches.map((mismatch) => html`<tr>
<td>${subscriptionLink(mismatch.subscriptionId, mismatch.product)}</td><td class="num">${mismatch.quantity}</td><td class="num">${mismatch.sumOfDeltas}</td>
<td class="num">${mismatch.difference}</td><td class="num">${mismatch.licenseChanges}</td></tr>`)}</tbody></table>`}
<h2>Violations</h2>${report.violations.length === 0 ? html`<p>The log breaks no invariant.</p>`
    : html`<ul>${report.violations.map((violation) => html`<li>${describeViolation(violation)}</li>`)}</ul>`}`
  return { body, problem: asked.problem }
}
