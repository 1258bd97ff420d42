import type { Seatflow } from '../../../app/seatflow'
import { CopiedEmailAddressesKey } from '../../../domain/events'
import { ProviderRow } from '../../../projections/catalog'
import { mayRun } from '../actions'
import { html, Html } from '../html'
import { csrfField, moment } from '../layout'
import { Signed } from '../session'

const configurationOf = (row: ProviderRow): string => {
  const configuration = row.configuration
  switch (configuration.kind) {
    case 'Manual': return `requests to ${configuration.provisioningEmail}`
    case 'Automatic': return `${configuration.system}, at most ${configuration.maxAttempts} attempts`
    case 'Do Nothing': return 'nothing to provision'
  }
}

const changeForm = (row: ProviderRow, csrf: string): Html => {
  const id = row.providerId
  const field = row.configuration.kind === 'Manual'
    ? html`<label for="email-${id}">Provisioning email</label><input id="email-${id}" name="provisioningEmail" type="email" value="${row.configuration.provisioningEmail}">`
    : row.configuration.kind === 'Automatic'
      ? html`<label for="attempts-${id}">Most attempts</label><input id="attempts-${id}" name="maxAttempts" inputmode="numeric" value="${row.configuration.maxAttempts}">` : ''
  return html`<details><summary>Change ${row.name}</summary><form class="panel" method="post" action="/providers/${id}">${csrfField(csrf)}
<label for="name-${id}">Name</label><input id="name-${id}" name="name" value="${row.name}">${field}
<p><button type="submit">Save</button></p></form>
${row.active ? html`<form class="panel" method="post" action="/providers/${id}/deactivate">${csrfField(csrf)}<button type="submit" class="secondary">Deactivate ${row.name}</button></form>` : ''}</details>`
}

const registerForm = (csrf: string): Html => html`<h2>Register a provider</h2>
<form class="panel" method="post" action="/providers">${csrfField(csrf)}
<label for="new-name">Name</label><input id="new-name" name="name" required>
<label for="new-kind">Kind</label><select id="new-kind" name="kind"><option>Manual</option><option>Automatic</option><option>Do Nothing</option></select>
<label for="new-email">Provisioning email (Manual)</label><input id="new-email" name="provisioningEmail" type="email">
<label for="new-system">System (Automatic)</label><select id="new-system" name="system"><option value="">none</option><option>Partner Center</option><option>Synnex</option><option>TechData</option></select>
<p><button type="submit">Register</button></p></form>`

/** The providers; an admin also registers, changes and deactivates them (the API's admin routes). */
export const providersPage = async (seatflow: Seatflow, signed: Signed): Promise<Html> => {
  const rows = await seatflow.providers()
  const admin = mayRun(signed.token, 'changeProviderConfiguration')
  return html`<table><thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Configuration</th><th scope="col">Active</th><th scope="col">Registered</th>
${admin ? html`<th scope="col">Edit</th>` : ''}</tr></thead><tbody>${rows.map((row) => html`<tr><td>${row.name}</td><td>${row.kind}</td><td>${configurationOf(row)}</td>
<td>${row.active ? 'yes' : 'no'}</td><td>${moment(row.registeredAt)}</td>${admin ? html`<td>${changeForm(row, signed.csrf)}</td>` : ''}</tr>`)}</tbody></table>
${admin ? registerForm(signed.csrf) : html`<p class="hint">Only an admin registers, changes or deactivates providers.</p>`}`
}

/** The settings: the addresses every Manual provisioning request copies; an admin changes them (checked as typed, and again by the server). */
export const settingsPage = async (seatflow: Seatflow, signed: Signed): Promise<Html> => {
  const setting = (await seatflow.settings()).find((row) => row.key === CopiedEmailAddressesKey)
  const addresses = setting?.value ?? []
  const admin = mayRun(signed.token, 'setCopiedEmailAddresses')
  return html`<h2>Copied addresses</h2><p>Every Manual provisioning request copies these addresses.</p>
${addresses.length === 0 ? html`<p>Nobody is copied.</p>` : html`<ul>${addresses.map((address) => html`<li>${address}</li>`)}</ul>`}
${setting === undefined ? '' : html`<p class="hint">Set ${moment(setting.changedAt)} by ${setting.changedBy}</p>`}
${admin ? html`<form class="panel" method="post" action="/settings">${csrfField(signed.csrf)}
<label for="addresses">Copied addresses, one a line</label>
<textarea id="addresses" name="addresses" rows="5" aria-describedby="addresses-check">${addresses.join('\n')}</textarea>
<p id="addresses-check" class="field-error" aria-live="polite"></p>
<p><button type="submit">Save</button></p></form>` : html`<p class="hint">Only an admin changes settings.</p>`}`
}
