/** Where an EventStoreDB store is, as seatflow reads its URL. */
export interface EventStoreDbAddress {
  /** The connection string handed to the client: the URL without seatflow's own parameters. */
  readonly connectionString: string
  /** Hosts and ports, without credentials: for messages. */
  readonly address: string
  /** The SQLite file of the views (`:memory:` for `views=memory`). */
  readonly views: string
  /** A prefix of every stream name, so that several seatflows can share one cluster ('' for none). */
  readonly namespace: string
}

/** The views file when the URL names none: in the working folder. */
export const defaultViewsFile = 'seatflow-views.db'

const schemes = /^esdb(\+discover)?:\/\//i

/** Whether a store URL names an EventStoreDB store. */
export const isEventStoreDbUrl = (url: string): boolean => schemes.test(url)

const hostsOf = (url: string): string => {
  const afterScheme = url.replace(schemes, '')
  const authority = afterScheme.split(/[/?]/)[0] ?? ''
  return authority.slice(authority.lastIndexOf('@') + 1)
}

const checkNamespace = (namespace: string): string => {
  if (namespace.startsWith('$')) throw new Error(`namespace "${namespace}" must not start with $: those are EventStoreDB's system streams`)
  return namespace
}

/**
 * Read a store URL `esdb://host:port?tls=false` (any connection string the client accepts) with two
 * parameters of seatflow's own, taken out before the client sees it: `views=PATH` (the SQLite file of
 * the views; `memory` keeps them in memory; default `seatflow-views.db` in the working folder) and
 * `namespace=PREFIX` (prefix of every stream name).
 */
export const parseEventStoreDbUrl = (url: string): EventStoreDbAddress => {
  if (!isEventStoreDbUrl(url)) throw new Error(`"${url}" is not an EventStoreDB URL: use esdb://host:port?tls=false`)
  const [base = '', query = ''] = url.split(/\?(.*)/s)
  const kept: string[] = []
  let views = defaultViewsFile
  let namespace = ''
  for (const pair of query.split('&').filter((part) => part !== '')) {
    const [key = '', value = ''] = pair.split(/=(.*)/s)
    const decoded = decodeURIComponent(value)
    if (key.toLowerCase() === 'views') views = decoded === 'memory' ? ':memory:' : decoded
    else if (key.toLowerCase() === 'namespace') namespace = checkNamespace(decoded)
    else kept.push(pair)
  }
  if (views === '') throw new Error('views= needs a file path, or memory')
  const address = hostsOf(url)
  if (address === '') throw new Error(`"${url}" names no host: use esdb://host:port?tls=false`)
  return { connectionString: kept.length === 0 ? base : `${base}?${kept.join('&')}`, address, views, namespace }
}
