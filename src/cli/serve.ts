import pino, { Logger } from 'pino'
import { createSeatflow } from '../app/seatflow'
import { createSeatflowServer, emailLinks, EmailLinks, SeatflowServer, ServerOptions } from '../server'
import { linkOptionProblems } from '../server/console/links'
import { createServiceMetrics } from '../server/metrics'
import { gatewaysFrom } from './gateways'
import { Flags, Io, positiveFlag, UsageError, wholeFlag } from './io'
import { mailOf, NamedStore, openStore, storeOf } from './store'

/** How long a shutdown may take before the process exits anyway (within the 10 s a supervisor gives). */
export const shutdownBudgetMs = 9000

/** What `seatflow serve` runs with, from its flags, checked before anything is opened. */
interface ServeSettings {
  readonly store: NamedStore
  readonly server: Omit<ServerOptions, 'logger' | 'metrics'>
  readonly gatewaysModule: string | undefined
  readonly reminderIntervalHours: number | undefined
  readonly links: EmailLinks | undefined
}

/**
 * The email links: `--public-url` with the secret from SEATFLOW_LINK_SECRET (never a flag: flags
 * show in the process list), `--link-days` how long a link works. Without a public URL, none.
 */
const linksOf = (flags: Flags, env: NodeJS.ProcessEnv): EmailLinks | undefined => {
  const publicUrl = flags['public-url']
  const linkExpiryDays = positiveFlag(flags['link-days'], '--link-days', 365)
  if (publicUrl === undefined) {
    if (linkExpiryDays !== undefined) throw new UsageError('--link-days needs --public-url (and SEATFLOW_LINK_SECRET)')
    return undefined
  }
  const options = { publicUrl, linkSecret: env.SEATFLOW_LINK_SECRET ?? '', ...(linkExpiryDays === undefined ? {} : { linkExpiryDays }) }
  const problems = linkOptionProblems(options).map((problem) => problem.replace('linkSecret', 'SEATFLOW_LINK_SECRET').replace('publicUrl', '--public-url'))
  if (problems.length > 0) throw new UsageError(problems.join('; '))
  return emailLinks(options)
}

const settingsOf = (flags: Flags): ServeSettings => {
  const port = wholeFlag(flags.port, '--port', 0) ?? 8080
  if (port > 65_535) throw new UsageError(`--port must be a whole number from 0 to 65535, got "${flags.port ?? ''}"`)
  if (flags.host !== undefined && flags.host.trim() === '') throw new UsageError('--host needs an address (127.0.0.1, 0.0.0.0, ::1, a host name)')
  const syncIntervalMinutes = positiveFlag(flags['sync-minutes'], '--sync-minutes', 10_080)
  const recheckSeconds = positiveFlag(flags['recheck-seconds'], '--recheck-seconds', 86_400)
  const checkSeconds = positiveFlag(flags['check-seconds'], '--check-seconds', 86_400)
  const readyMaxLag = wholeFlag(flags['ready-lag'], '--ready-lag', 0)
  const rateLimitPerMinute = wholeFlag(flags['rate-limit'], '--rate-limit', 1)
  const sessionIdleMinutes = positiveFlag(flags['session-minutes'], '--session-minutes', 10_080)
  const links = linksOf(flags, process.env)
  return {
    links,
    store: storeOf(flags),
    gatewaysModule: flags.gateways,
    reminderIntervalHours: positiveFlag(flags['reminder-hours'], '--reminder-hours', 8760),
    server: {
      host: flags.host ?? '127.0.0.1', port,
      worker: {
        ...(syncIntervalMinutes === undefined ? {} : { syncIntervalMinutes }),
        ...(recheckSeconds === undefined ? {} : { recheckSeconds }),
        ...(checkSeconds === undefined ? {} : { checkSeconds }),
      },
      ...(readyMaxLag === undefined ? {} : { readyMaxLag }),
      ...(rateLimitPerMinute === undefined ? {} : { rateLimitPerMinute }),
      console: { ...(sessionIdleMinutes === undefined ? {} : { sessionIdleMinutes }), ...(links === undefined ? {} : { links }) },
    },
  }
}

/**
 * Stop on SIGTERM or SIGINT: no new requests, those in flight and the worker's run finish, the store
 * closes; answers the exit code (0). A second signal exits at once; a shutdown that takes longer than
 * the budget exits 1 (what was in flight is done again by the next start: every write is whole).
 */
const stopOnSignal = (server: SeatflowServer, log: Logger): Promise<number> => new Promise((done) => {
  let began: number | null = null
  const onSignal = (signal: NodeJS.Signals): void => {
    if (began !== null) {
      log.warn({ signal }, 'second signal: exiting at once')
      process.exit(signal === 'SIGINT' ? 130 : 143)
    }
    began = Date.now()
    log.info({ signal }, 'shutting down: no new requests; finishing those in flight and the worker\'s run')
    const deadline = setTimeout(() => {
      log.error({ budgetMs: shutdownBudgetMs }, 'shutdown took too long: exiting')
      process.exit(1)
    }, shutdownBudgetMs)
    deadline.unref()
    server.close().then(() => {
      log.info({ ms: Date.now() - (began ?? Date.now()) }, 'stopped: store closed')
      done(0)
    }, (error: unknown) => {
      log.error({ err: error }, 'shutdown failed')
      done(1)
    })
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
})

/**
 * `seatflow serve`: the HTTP API, /healthz, /readyz, /metrics and the worker on one store, until
 * SIGTERM or SIGINT. Logs are JSON lines on stdout (pino; SEATFLOW_LOG_LEVEL, default info).
 */
export const serveCommand = async (flags: Flags, _io: Io): Promise<number> => {
  const settings = settingsOf(flags)
  const gateways = gatewaysFrom(settings.gatewaysModule)
  const log = pino({ level: process.env.SEATFLOW_LOG_LEVEL ?? 'info' })
  const metrics = createServiceMetrics()
  const storage = openStore(settings.store, 'make')
  const mail = mailOf(settings.store)
  const seatflow = await createSeatflow({
    store: storage, mailer: mail.mailer, gateways: metrics.instrument(gateways), actor: 'seatflow serve', autoProcess: false,
    ...(settings.links === undefined ? {} : { mailLinks: settings.links.mail }),
    ...(settings.reminderIntervalHours === undefined ? {} : { reminderIntervalHours: settings.reminderIntervalHours }),
  })
    .catch(async (error: unknown) => { await storage.close(); throw error })
  const server = createSeatflowServer(seatflow, { ...settings.server, logger: log, metrics })
  const stopped = stopOnSignal(server, log)
  const address = await server.listen().catch(async (error: unknown) => { await seatflow.close(); throw error })
  log.info({ address, store: storage.describe, mail: mail.where, gateways: Object.keys(gateways) }, `listening on ${address}`)
  const code = await stopped
  // Every handle is closed by now; should one linger (a mail connection), it must not hold the process.
  setTimeout(() => process.exit(code), 2000).unref()
  return code
}
