import { html, Html, Part } from './html'
import { Signed } from './session'

/** What a page is shown with: who is signed in (null: nobody) and the path it answers. */
export interface Seen {
  readonly signed: Signed | null
  readonly path: string
}

const sections: ReadonlyArray<readonly [string, string]> = [
  ['/', 'Dashboard'], ['/changes', 'License Changes'], ['/subscriptions', 'Subscriptions'],
  ['/providers', 'Providers'], ['/settings', 'Settings'], ['/audit', 'Audit'],
]

const current = (path: string, href: string): boolean => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`))

/** The hidden field that carries the form's CSRF token. */
export const csrfField = (csrf: string): Html => html`<input type="hidden" name="_csrf" value="${csrf}">`

const navigation = (seen: Seen): Html => {
  if (seen.signed === null) return html``
  const { token, csrf } = seen.signed
  return html`<nav aria-label="Sections"><ul>${sections.map(([href, label]) =>
    html`<li><a href="${href}"${current(seen.path, href) ? html` aria-current="page"` : ''}>${label}</a></li>`)}</ul></nav>
<div class="who"><span>Signed in as <strong>${token.name}</strong> (${token.role})</span>
<form class="inline" method="post" action="/signout">${csrfField(csrf)}<button type="submit">Sign out</button></form></div>`
}

/** Options of a page: a live page refreshes its counts and regions as events arrive. */
export interface PageOptions {
  readonly live?: boolean
  readonly notice?: { readonly kind: 'ok' | 'error'; readonly text: string } | null
}

/** A whole console page: the header and sections, the title, the body. */
export const layout = (title: string, seen: Seen, body: Part, options: PageOptions = {}): Html => html`<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · seatflow</title>
<link rel="stylesheet" href="/console/assets/console.css">
<script src="/console/assets/console.js" defer></script></head>
<body${options.live === true ? html` data-live` : ''}>
<a class="skip" href="#main">Skip to the content</a>
<header><a href="/"><strong>seatflow</strong></a>${navigation(seen)}</header>
<main id="main"><h1>${title}</h1>
${options.notice === undefined || options.notice === null ? '' : html`<div class="notice ${options.notice.kind}" role="${options.notice.kind === 'error' ? 'alert' : 'status'}">${options.notice.text}</div>`}
${body}
</main></body></html>`

/** A status with its colour (and its words: colour is never the only sign). */
export const statusClass = (status: string): string => {
  switch (status) {
    case 'Awaiting Provisioning': return 'status-awaiting'
    case 'Provisioned': return 'status-provisioned'
    case 'Failed Provisioning': return 'status-failed'
    default: return 'status-na'
  }
}

/** A status badge. */
export const statusBadge = (status: string): Html => html`<span class="status ${statusClass(status)}">${status}</span>`

/** A moment, readable and machine-readable. */
export const moment = (iso: string | null): Html =>
  (iso === null ? html`<span class="hint">never</span>` : html`<time datetime="${iso}">${iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time>`)

/** How long ago, in days and hours. */
export const ageOf = (iso: string, now: Date): string => {
  const hours = Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 3_600_000))
  return hours < 24 ? `${hours} h` : `${Math.floor(hours / 24)} d ${hours % 24} h`
}

/** The link to a License Change. */
export const changeLink = (licenseChangeId: string, text?: string): Html => html`<a href="/changes/${licenseChangeId}">${text ?? licenseChangeId.slice(0, 8)}</a>`

/** The link to a subscription. */
export const subscriptionLink = (subscriptionId: string, text: string): Html => html`<a href="/subscriptions/${subscriptionId}">${text}</a>`
