import { resetViewsOfOtherShape } from '../projections/all'
import { openStorage } from '../store/open'
import { compose, ensureDefaultProviders, Parts } from './compose'
import { commandsOf, lookupsOf, processingOf, readsOf, syncOf } from './facade'
import { lifecycleOf } from './facadeLifecycle'
import { InvalidOptionsError, SeatflowOptions, settingsOf } from './options'

export type { SeatflowOptions } from './options'
export type { ProcessReport } from './processes/processor'
export type { DriftReport, SyncReport } from './facade'
export type { InvoiceLine, MoveReport, Period } from './facadeLifecycle'

/** What a host holds: the commands, two-way sync, processing, and the views' answers. */
const facade = (parts: Parts) => ({
  ...commandsOf(parts), ...lifecycleOf(parts), ...syncOf(parts), ...processingOf(parts), ...readsOf(parts), ...lookupsOf(parts),
})

/**
 * Compose a seatflow: a store, a mailer, a clock and the gateways of automatic providers. Every
 * option is checked first (InvalidOptionsError names each bad one). The three default providers
 * are there when it resolves.
 */
export const createSeatflow = async (options: SeatflowOptions = {}) => {
  const settings = settingsOf(options)
  const storage = typeof settings.store === 'object' ? settings.store : openStorage(settings.store)
  resetViewsOfOtherShape(storage.views)
  const parts = compose(settings, storage)
  if (storage.readOnly === true) return facade(parts)
  await ensureDefaultProviders(parts)
  if (settings.autoProcess) await parts.processor.process()
  return facade(parts)
}

/** A composed seatflow. */
export type Seatflow = Awaited<ReturnType<typeof createSeatflow>>

export { InvalidOptionsError }
