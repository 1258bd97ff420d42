import Database from 'better-sqlite3'
import { decodeOrThrow, Recorded } from '../../src/domain/envelope'
import { EventOf, EventType } from '../../src/domain/events'
import { licenseChangeIdFor } from '../../src/domain/ids'
import { openStorage } from '../../src/store/open'
import { Acknowledged, SentMail } from './reliability'

/**
 * Invariants of a log, each returning what breaks it (an empty list: it holds), so that a
 * failing test names every broken fact. They read the events only, not the views.
 */

/** Every event of a store, in global order, each validated by its codec. */
export const readLog = async (url: string): Promise<ReadonlyArray<Recorded>> => {
  const storage = openStorage(url)
  const events: Recorded[] = []
  try {
    for await (const batch of storage.events.readAll({ after: 0 })) events.push(...batch.map(decodeOrThrow))
  } finally {
    await storage.close()
  }
  return events
}

/** SQLite's own check of the file: ['ok'] when sound. */
export const integrityCheck = (file: string): ReadonlyArray<string> => {
  const db = new Database(file)
  try {
    const rows = db.pragma('integrity_check') as ReadonlyArray<{ readonly integrity_check: string }>
    return rows.map((row) => row.integrity_check)
  } finally {
    db.close()
  }
}

const ofType = <K extends EventType>(events: ReadonlyArray<Recorded>, type: K): ReadonlyArray<Recorded<EventOf<K>>> =>
  events.filter((event): event is Recorded<EventOf<K>> => event.type === type)

/** How many items share each key. */
export const countBy = <A>(items: ReadonlyArray<A>, key: (item: A) => string): Map<string, number> =>
  items.reduce((counts, item) => counts.set(key(item), (counts.get(key(item)) ?? 0) + 1), new Map<string, number>())

const repeated = (counts: Map<string, number>, what: string): ReadonlyArray<string> =>
  [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${what} ${key} stands ${n} times`)

/** Positions from 1 with no gap, unique event ids, and in each stream the revisions 0, 1, 2, ... in position order. */
export const revisionProblems = (events: ReadonlyArray<Recorded>): ReadonlyArray<string> => {
  const problems: string[] = [...repeated(countBy(events, (event) => event.eventId), 'event id')]
  const next = new Map<string, number>()
  events.forEach((event, index) => {
    if (event.position !== index + 1) problems.push(`position ${event.position} where ${index + 1} was next`)
    const expected = next.get(event.streamId) ?? 0
    if (event.revision !== expected) problems.push(`${event.streamId} has revision ${event.revision} where ${expected} was next`)
    next.set(event.streamId, event.revision + 1)
  })
  return problems
}

const ackProblem = (ack: Acknowledged, events: ReadonlyArray<Recorded>): string | null => {
  const mine = events.filter((event) => event.metadata.correlationId === ack.correlationId && event.metadata.causationId === null)
  if (mine.length !== 1) return `acknowledged ${ack.kind} ${ack.correlationId} stands ${mine.length} times in the log`
  const [event] = mine
  if (ack.kind === 'provision') {
    return event?.type === 'LicenseChangeProvisioned' && event.data.licenseChangeId === ack.licenseChangeId
      ? null : `acknowledged provision of ${ack.licenseChangeId} is a ${event?.type ?? 'nothing'} in the log`
  }
  const origin = ack.kind === 'change' ? 'host' : 'provider'
  const ok = event?.type === 'SubscriptionQuantityChanged' && event.data.subscriptionId === ack.subscriptionId
    && event.data.newQuantity === ack.quantity && event.data.origin === origin && licenseChangeIdFor(event.eventId) === ack.licenseChangeId
  return ok ? null : `acknowledged ${ack.kind} ${ack.correlationId} to ${ack.quantity} does not match ${JSON.stringify(event)}`
}

/** Every acknowledged command stands exactly once in the log, as what was asked. */
export const acknowledgedProblems = (events: ReadonlyArray<Recorded>, acks: ReadonlyArray<Acknowledged>): ReadonlyArray<string> =>
  acks.flatMap((ack) => ackProblem(ack, events) ?? [])

type QuantityEvent = Recorded<EventOf<'SubscriptionCreated'>> | Recorded<EventOf<'SubscriptionQuantityChanged'>>

const quantities = (event: QuantityEvent): readonly [number, number] =>
  event.type === 'SubscriptionCreated' ? [0, event.data.quantity] : [event.data.previousQuantity, event.data.newQuantity]

/**
 * Every quantity change has exactly one License Change (id derived from the change's event id),
 * every License Change has its quantity change, and each subscription's deltas add up to its quantity.
 */
export const licenseChangeProblems = (events: ReadonlyArray<Recorded>): ReadonlyArray<string> => {
  const changes: ReadonlyArray<QuantityEvent> = events.filter((event): event is QuantityEvent =>
    event.type === 'SubscriptionCreated' || event.type === 'SubscriptionQuantityChanged')
  const recorded = countBy(ofType(events, 'LicenseChangeRecorded'), (event) => event.data.licenseChangeId)
  const expected = new Set<string>()
  const problems: string[] = [...repeated(recorded, 'License Change')]
  const quantity = new Map<string, number>()
  for (const change of changes) {
    const [from, to] = quantities(change)
    quantity.set(change.data.subscriptionId, to)
    if (from === to) continue
    const id = licenseChangeIdFor(change.eventId)
    expected.add(id)
    if (!recorded.has(id)) problems.push(`no License Change for ${change.type} ${change.eventId} (${from} -> ${to})`)
  }
  problems.push(...[...recorded.keys()].filter((id) => !expected.has(id)).map((id) => `License Change ${id} has no quantity change behind it`))
  const sums = ofType(events, 'LicenseChangeRecorded').reduce((acc, event) =>
    acc.set(event.data.subscriptionId, (acc.get(event.data.subscriptionId) ?? 0) + event.data.newQuantity - event.data.previousQuantity), new Map<string, number>())
  for (const [subscriptionId, q] of quantity) {
    if ((sums.get(subscriptionId) ?? 0) !== q) problems.push(`subscription ${subscriptionId}: quantity ${q}, License Changes add up to ${sums.get(subscriptionId) ?? 0}`)
  }
  return problems
}

/** The events that record a mail: their event id is the mail's id. */
export const mailRecords = (events: ReadonlyArray<Recorded>): ReadonlyArray<Recorded> =>
  events.filter((event) => event.type === 'ProvisioningRequested' || event.type === 'ProvisioningReminderSent')

/** No request recorded twice for a License Change, no reminder sequence twice; reminders numbered 1, 2, 3, ... */
export const mailRecordProblems = (events: ReadonlyArray<Recorded>): ReadonlyArray<string> => {
  const reminders = ofType(events, 'ProvisioningReminderSent')
  const problems = [
    ...repeated(countBy(ofType(events, 'ProvisioningRequested'), (event) => event.data.licenseChangeId), 'provisioning request of'),
    ...repeated(countBy(reminders, (event) => `${event.data.licenseChangeId}#${event.data.sequence}`), 'reminder'),
  ]
  const last = new Map<string, number>()
  for (const reminder of reminders) {
    const { licenseChangeId, sequence } = reminder.data
    if (sequence !== (last.get(licenseChangeId) ?? 0) + 1) problems.push(`reminder ${sequence} of ${licenseChangeId} follows ${last.get(licenseChangeId) ?? 0}`)
    last.set(licenseChangeId, sequence)
  }
  return problems
}

/**
 * The mail sink against the log, once nothing is pending: every recorded mail was sent, and
 * every sent mail is recorded exactly once (its id is the recording event's id).
 */
export const sinkProblems = (events: ReadonlyArray<Recorded>, sends: ReadonlyArray<SentMail>): ReadonlyArray<string> => {
  const sent = new Set(sends.map((mail) => mail.id))
  const records = countBy(mailRecords(events), (event) => event.eventId)
  return [
    ...[...records.keys()].filter((id) => !sent.has(id)).map((id) => `mail ${id} is recorded but was never sent`),
    ...[...sent].filter((id) => records.get(id) !== 1).map((id) => `mail ${id} was sent and is recorded ${records.get(id) ?? 0} times`),
  ]
}
