import { providers, providersView, settings, settingsView, subscriptions, subscriptionsView, suspendedSubscriptionsView } from './catalog'
import { ViewStore } from '../store/views'
import {
  activeLicenseChangesView, automaticQueueView, licenseChangeLog, licenseChangesView, openLicenseChangesView, requestsDueView, unresolvedLicenseChangesView,
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
  licenseChangesView, openLicenseChangesView, unresolvedLicenseChangesView, requestsDueView, automaticQueueView, activeLicenseChangesView,
  providersView, subscriptionsView, suspendedSubscriptionsView, settingsView,
]

/** The checkpoint name of the live views. */
export const viewsCheckpoint = 'views'

/** The shape of the views' rows: bump it when a row gains or changes a field (issue 13: kinds, lifecycle, invoicing). */
export const viewsShape = 2
const viewsShapeCheckpoint = 'views-shape'

/**
 * Views written by a seatflow whose rows had another shape are forgotten, and rebuilt from the log
 * by the next catch-up (the log is the truth; the views are a cache of it). Answers whether it reset them.
 */
export const resetViewsOfOtherShape = (views: ViewStore): boolean => {
  const shape = views.checkpoint(viewsShapeCheckpoint)
  if (shape === viewsShape) return false
  const stale = views.checkpoint(viewsCheckpoint) > 0
  if (stale) views.reset(allViews, [viewsCheckpoint])
  views.update(viewsShapeCheckpoint, () => viewsShape)
  return stale
}
