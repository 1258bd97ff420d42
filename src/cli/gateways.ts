import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { Gateways } from '../providers/gateway'
import { UsageError } from './io'

/**
 * The gateways a host module exports (`gateways`, or the module itself): secrets stay in that module,
 * never in flags or the log. No module: no gateways. `serve`, `sync --all`, `drift`, `process` and `move` load it alike.
 */
export const gatewaysFrom = (module: string | undefined): Gateways => {
  if (module === undefined) return {}
  if (module.trim() === '') throw new UsageError('--gateways needs the path of a module')
  let loaded: unknown
  try {
    loaded = createRequire(__filename)(resolve(module)) as unknown
  } catch (error) {
    throw new UsageError(`--gateways "${module}" could not be loaded (a CommonJS module exporting gateways): ${String((error as { message?: unknown }).message ?? error)}`)
  }
  const exported = typeof loaded === 'object' && loaded !== null && 'gateways' in loaded ? loaded.gateways : loaded
  if (typeof exported !== 'object' || exported === null) throw new UsageError(`--gateways "${module}" exports no gateways object`)
  return exported as Gateways
}
