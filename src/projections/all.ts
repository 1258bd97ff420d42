import { providers, providersView, settings, settingsView, subscriptions, subscriptionsView } from './catalog'
import {
  automaticQueueView, licenseChangeLog, licenseChangesView, openLicenseChangesView, requestsDueView, unresolvedLicenseChangesView,
} from './licenseChangeLog'
import { Projection } from './projection'

/** A projection among others: the rows of its view are only ever written by itself. */
const erase = <Row>(projection: Projection<Row>): Projection<unknown> => projection as unknown as Projection<unknown>

/** Every projection seatflow keeps. */
export const allProjections: ReadonlyArray<Projection<unknown>> = [
  erase(licenseChangeLog), erase(providers), erase(subscriptions), erase(settings),
]

/** Every view they write, in digest order. */
export const allViews: ReadonlyArray<string> = [
  licenseChangesView, openLicenseChangesView, unresolvedLicenseChangesView, requestsDueView, automaticQueueView,
  providersView, subscriptionsView, settingsView,
]

/** The checkpoint name of the live views. */
export const viewsCheckpoint = 'views'
