import * as E from 'fp-ts/Either'
import { describeError } from '../domain/errors'
import { defaultProviderIds } from '../domain/ids'
import { Storage } from '../store/storage'
import * as C from './commands'
import { createLane, defaultConflictPolicy, Writer } from './commands/handler'
import { Settings } from './options'
import { claimantName } from './processes/claimant'
import { Outbox } from './processes/outbox'
import { createProcessor } from './processes/processor'
import { Provisioning } from './processes/provisioning'
import { Sync } from './processes/sync'
import { createAggregateCache } from './state/cache'

/**
 * The parts of one seatflow: its settings and storage, the writer every write goes through (its
 * cache and lane belong to this seatflow alone), the commands, and the processes.
 */
export const compose = (settings: Settings, storage: Storage) => {
  const reader = { store: storage.events, cache: createAggregateCache(storage.views) }
  const writer: Writer = {
    reader, lane: createLane(), conflicts: defaultConflictPolicy,
    withinCommit: (events) => processor.withinCommit(events), afterCommit: (done) => processor.afterCommit(done),
  }
  const commands: C.CommandContext = { writer, clock: settings.clock, actor: settings.actor }
  const claiming = { claims: storage.claims, owner: claimantName(), wallClock: Date.now }
  const outbox: Outbox = { ...claiming, writer, views: storage.views, mailer: settings.mailer, links: settings.mailLinks, leaseMs: settings.mailLeaseMs, inFlight: new Set<string>() }
  const provisioning: Provisioning = {
    ...claiming, leaseMs: settings.attemptLeaseMs, writer, views: storage.views, clock: settings.clock, gateways: settings.gateways, retry: settings.retry,
  }
  const processor = createProcessor({
    viewsFollowCommits: settings.autoProcess, store: storage.events, views: storage.views,
    ...(storage.transactionalViews === undefined ? {} : { transactionalViews: storage.transactionalViews }),
    writer, outbox, provisioning, clock: settings.clock,
  })
  const sync: Sync = { commands, views: storage.views, gateways: settings.gateways }
  return { settings, storage, commands, outbox, processor, sync }
}

/** A composed seatflow's parts. */
export type Parts = ReturnType<typeof compose>

const defaultProviders = (manualEmail: string) => [
  { providerId: defaultProviderIds.doNothing, name: 'Do Nothing Provider', kind: 'Do Nothing' },
  { providerId: defaultProviderIds.manual, name: 'Manual Provider', kind: 'Manual', provisioningEmail: manualEmail },
  { providerId: defaultProviderIds.partnerCenter, name: 'Partner Center', kind: 'Automatic', system: 'Partner Center' },
] as const

/** Register the three default providers once: derived ids make a second start, or a concurrent one, write nothing. */
export const ensureDefaultProviders = async (parts: Parts): Promise<void> => {
  for (const provider of defaultProviders(parts.settings.manualProvisioningEmail)) {
    const registered = await C.registerProvider(parts.commands, { ...provider, actor: 'seatflow' }, provider.providerId)
    if (E.isLeft(registered) && registered.left._tag !== 'ProviderAlreadyRegistered') {
      throw new Error(`could not register the default provider ${provider.name}: ${describeError(registered.left)}`)
    }
  }
}
