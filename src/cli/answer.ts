import * as E from 'fp-ts/Either'
import { Seatflow } from '../app/seatflow'
import { describeError, SeatflowError } from '../domain/errors'
import { visible } from '../domain/text'
import { ProviderRow } from '../projections/catalog'
import { Io } from './io'
import { NamedStore, openSeatflow, SeatflowExtras } from './store'

/** Run `body` on a seatflow opened on the store for that use, and close it whatever happens. */
export const withSeatflow = async (store: NamedStore, use: 'read' | 'write', extra: SeatflowExtras, body: (app: Seatflow) => Promise<number>)
: Promise<number> => {
  const app = await openSeatflow(store, use, extra)
  try {
    return await body(app)
  } finally { await app.close() }
}

/** Print what a command answered (`show`), or its refusal as one line `seatflow: <sentence>`: exit 1, nothing written. */
export const answer = async <A>(io: Io, result: E.Either<SeatflowError, A>, show: (value: A) => string | Promise<string>): Promise<number> => {
  if (E.isLeft(result)) {
    io.err(`seatflow: ${describeError(result.left)}`)
    return 1
  }
  io.out(await show(result.right))
  return 0
}

/** The provider a person names by its id or its name (any case): one, or why not (none, or a name several providers share). */
export const providerNamed = (rows: ReadonlyArray<ProviderRow>, named: string): E.Either<string, ProviderRow> => {
  const wanted = named.trim().toLowerCase()
  const byId = rows.find((row) => row.providerId.toLowerCase() === wanted)
  if (byId !== undefined) return E.right(byId)
  const byName = rows.filter((row) => row.name.toLowerCase() === wanted)
  const [only] = byName
  if (byName.length === 1 && only !== undefined) return E.right(only)
  return E.left(byName.length === 0
    ? `no provider has the id or name "${visible(named)}"; list them with seatflow providers`
    : `${byName.length} providers are named "${visible(named)}"; give the id of one (seatflow providers lists them)`)
}
