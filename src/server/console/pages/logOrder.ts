import type { Seatflow } from '../../../app/seatflow'
import { LicenseChangeFilter, passes } from '../../../app/queries'
import { LicenseChangeRow } from '../../../projections/licenseChangeLog'
import { cursorOf, cursorText, LogSort, orderOfRows, pageAfter, SortCursor, sortParameter } from './logSort'

/**
 * The sorted License Change Log reads the whole filtered view (the views keep rows by License
 * Change id only): its order (each row's value and id) is kept per log position, for the last few
 * filters and sorts asked, so the next pages, another tab and the live refreshes at that position
 * reuse it; a new position reads the view again (as the dashboard's counts do).
 */
interface Ordered {
  readonly at: number
  readonly order: ReadonlyArray<SortCursor>
}

/** How many orders are kept (each about 100 bytes a row). */
const keptOrders = 4
const orders = new WeakMap<Seatflow, Map<string, Ordered>>()

const orderOf = async (seatflow: Seatflow, filter: LicenseChangeFilter, sort: LogSort): Promise<ReadonlyArray<SortCursor>> => {
  await seatflow.refreshViews()
  const at = (await seatflow.positions()).views
  const kept = orders.get(seatflow) ?? new Map<string, Ordered>()
  orders.set(seatflow, kept)
  const key = JSON.stringify([filter, sortParameter(sort)])
  const known = kept.get(key)
  if (known !== undefined && known.at === at) return known.order
  const order = orderOfRows(sort, (await seatflow.licenseChangeLog()).filter(passes(filter)))
  kept.delete(key)
  kept.set(key, { at, order })
  for (const oldest of kept.keys()) if (kept.size > keptOrders) kept.delete(oldest)
  return order
}

/** A sorted page of the log: its rows, the `after` of the next (null: the last), and whether `after` was none of this order's. */
export const sortedLogPage = async (seatflow: Seatflow, asked: { readonly filter: LicenseChangeFilter; readonly sort: LogSort; readonly after: string | null; readonly limit: number })
  : Promise<{ readonly rows: ReadonlyArray<LicenseChangeRow>; readonly next: string | null; readonly badCursor: boolean }> => {
  const after = asked.after === null ? null : cursorOf(asked.sort, asked.after)
  const page = pageAfter(asked.sort, await orderOf(seatflow, asked.filter, asked.sort), after, asked.limit)
  const rows = await Promise.all(page.ids.map((id) => seatflow.licenseChange(id)))
  return {
    rows: rows.filter((row): row is LicenseChangeRow => row !== null),
    next: page.next === null ? null : cursorText(page.next),
    badCursor: asked.after !== null && after === null,
  }
}
