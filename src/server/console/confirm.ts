import * as E from 'fp-ts/Either'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { LicenseChangeRow } from '../../projections/licenseChangeLog'
import { answerPage, ConsoleContext, cookie, formOf, seenOf } from './guard'
import { html, Html } from './html'
import { csrfField, moment } from './layout'
import { confirmPath, LinkParts } from './links'
import { changeFacts } from './pages/change'
import { cookiesOf, freshSecret, sameSecret } from './session'

const confirmCookie = 'seatflow_confirm'

const partsOf = (id: string, fields: Readonly<Record<string, unknown>>): LinkParts => {
  const text = (name: string): string => (typeof fields[name] === 'string' ? fields[name] : '')
  return { licenseChangeId: id, to: text('to'), until: text('until'), sig: text('sig') }
}

const refusals = {
  tampered: html`<p>This link is not one this seatflow made, or it was changed on the way (a different change, recipient or expiry).</p>`,
  expired: html`<p>This link has expired. Mark the change provisioned in the console, or ask the reseller for a new request.</p>`,
  foreign: html`<p>This link was made for a different recipient than this change's provisioning team.</p>`,
  unconfigured: html`<p>This seatflow does not confirm changes from email links (no public URL and link secret are configured).</p>`,
  missing: html`<p>There is no License Change for this link.</p>`,
}

const refuse = (request: FastifyRequest, reply: FastifyReply, why: keyof typeof refusals): FastifyReply =>
  answerPage(reply, seenOf(request, null), 'This link cannot confirm anything', html`${refusals[why]}<p><strong>Nothing was recorded.</strong></p>`, { status: why === 'missing' ? 404 : 400 })

const doneAlready = (row: LicenseChangeRow): Html => (row.status === 'Provisioned'
  ? html`<p class="notice ok">This change was already confirmed: provisioned by <strong>${row.provisionedBy ?? 'the provider'}</strong> at ${moment(row.provisionedAt)}. Nothing more to do.</p>`
  : html`<p class="notice">This change is ${row.status}: there is nothing to confirm.</p>`)

type Linked = { readonly row: LicenseChangeRow; readonly recipient: string } | { readonly refusal: keyof typeof refusals }

/** A checked link's change and recipient, or why the link cannot be used. */
const linkedChange = async (context: ConsoleContext, parts: LinkParts): Promise<Linked> => {
  if (context.links === null) return { refusal: 'unconfigured' }
  const check = context.links.check(parts)
  if (check._tag === 'Invalid') return { refusal: check.reason }
  const row = /^[0-9a-f-]{36}$/i.test(check.licenseChangeId) ? await context.seatflow.licenseChange(check.licenseChangeId) : null
  if (row === null) return { refusal: 'missing' }
  if (row.provisioningEmail?.toLowerCase() !== check.recipient.toLowerCase()) return { refusal: 'foreign' }
  return { row, recipient: check.recipient }
}

const confirmForm = (parts: LinkParts, csrf: string): Html => html`<form class="panel" method="post" action="${confirmPath}/${parts.licenseChangeId}">${csrfField(csrf)}
<input type="hidden" name="to" value="${parts.to}"><input type="hidden" name="until" value="${parts.until}"><input type="hidden" name="sig" value="${parts.sig}">
<p>Confirm only once the quantity is changed in the provider's portal.</p><p><button type="submit">I have made this change</button></p></form>`

/**
 * The email link: GET shows the change and a button and never writes (mail scanners open links);
 * POST marks it provisioned by the recipient, once, through the façade's command. A bad link writes nothing.
 */
export const confirmRoutes = (scope: FastifyInstance, context: ConsoleContext): void => {
  scope.get<{ Params: { id: string } }>(`${confirmPath}/:id`, async (request, reply) => {
    const parts = partsOf(request.params.id, request.query as Readonly<Record<string, unknown>>)
    const linked = await linkedChange(context, parts)
    if ('refusal' in linked) return refuse(request, reply, linked.refusal)
    const csrf = freshSecret()
    cookie(context, request, reply, { name: confirmCookie, value: csrf, maxAgeSeconds: 3600 })
    return answerPage(reply, seenOf(request, null), 'Confirm a License Change', html`<p>For <strong>${linked.recipient}</strong>.</p>${changeFacts(linked.row)}
${linked.row.status === 'Awaiting Provisioning' ? confirmForm(parts, csrf) : doneAlready(linked.row)}`)
  })
  scope.post<{ Params: { id: string } }>(`${confirmPath}/:id`, async (request, reply) => {
    const form = formOf(request)
    const parts = partsOf(request.params.id, form)
    const linked = await linkedChange(context, parts)
    if ('refusal' in linked) return refuse(request, reply, linked.refusal)
    if (!sameSecret(form._csrf ?? '', cookiesOf(request).get(confirmCookie) ?? '')) {
      return answerPage(reply, seenOf(request, null), 'Not confirmed', html`<p>This form is stale or did not come from this page; open the link from the email again. Nothing was recorded.</p>`, { status: 403 })
    }
    if (linked.row.status !== 'Awaiting Provisioning') return answerPage(reply, seenOf(request, null), 'Already confirmed', doneAlready(linked.row))
    const actor = `email link: ${linked.recipient}`
    const result = await context.seatflow.markProvisioned({
      licenseChangeId: linked.row.licenseChangeId, by: linked.recipient, note: `confirmed with the link in the provisioning request email sent to ${linked.recipient}`,
      actor, correlationId: request.correlationId,
    })
    const row = (await context.seatflow.licenseChange(linked.row.licenseChangeId)) ?? linked.row
    if (E.isLeft(result)) return answerPage(reply, seenOf(request, null), 'Already confirmed', doneAlready(row))
    return answerPage(reply, seenOf(request, null), 'Thank you: confirmed', html`<p class="notice ok" role="status">Recorded: provisioned by <strong>${linked.recipient}</strong> at ${moment(row.provisionedAt)}.</p>${changeFacts(row)}`)
  })
}
