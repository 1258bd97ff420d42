import * as E from 'fp-ts/Either'
import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import { replay } from '../../src/app/audit/replay'
import { describeImportRefused, exportEvents, importEvents, ImportReport, LineSource } from '../../src/app/transfer/transfer'
import { openStorage } from '../../src/store/open'
import { EventStore } from '../../src/store/port'
import { Storage } from '../../src/store/storage'
import { schemaRegistry } from '../../src/domain/schema'
import { buildRichHistory, right, subscription, useSeatflows, storageOf } from '../support/app'
import { defaultProviderIds } from '../../src/domain/ids'
import { startStandIn, StandIn } from '../support/eventstoredb/server'

/** The stores an export is imported into. Add a line here for another adapter (e.g. esdb://…). */
let standIn: StandIn | undefined
let namespaces = 0
const standInUrl = (folder: string): string => {
  if (standIn === undefined) throw new Error('the EventStoreDB stand-in is not running')
  namespaces += 1
  return `${standIn.url}&views=${path.join(folder, 'views.db')}&namespace=transfer${namespaces}/`
}

const targets: ReadonlyArray<readonly [string, (folder: string) => string]> = [
  ['a fresh SQLite file', (folder) => `sqlite:${path.join(folder, 'copy.db')}`],
  ['memory', () => 'memory:'],
  ['the EventStoreDB stand-in', standInUrl],
]

const exported = async (store: EventStore, from?: number): Promise<string> => {
  let text = ''
  await exportEvents(store, { ...(from === undefined ? {} : { from }), batchSize: 7, write: (chunk) => { text += chunk } })
  return text
}

const linesOf = (text: string): LineSource => async function* lines() { yield* text.split('\n') }

const withoutPositions = (text: string): ReadonlyArray<unknown> =>
  text.trim().split('\n').map((line) => ({ ...JSON.parse(line) as object, position: undefined }))

const imported = async (store: EventStore, text: string): Promise<ImportReport> => {
  const result = await importEvents(store, linesOf(text))
  if (E.isLeft(result)) throw new Error(describeImportRefused(result.left))
  return result.right
}

const refusal = async (store: EventStore, text: string): Promise<string> => {
  const result = await importEvents(store, linesOf(text))
  if (E.isRight(result)) throw new Error('the import was accepted')
  expect(await store.lastPosition()).toBe(0)
  return describeImportRefused(result.left)
}

describe('export and import', () => {
  const seatflows = useSeatflows('sqlite')
  beforeAll(async () => { standIn = await startStandIn() })
  afterAll(async () => { await standIn?.stop() })
  let folder: string
  const opened: Storage[] = []
  const open = (url: string): Storage => { const storage = openStorage(url); opened.push(storage); return storage }
  beforeEach(() => { folder = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-transfer-')) })
  afterEach(async () => {
    for (const storage of opened.splice(0)) await storage.close()
    fs.rmSync(folder, { recursive: true, force: true })
  })

  const source = async () => {
    const harness = await seatflows.start()
    await buildRichHistory(harness)
    return { app: harness.app, text: await exported(storageOf(harness.app).events) }
  }

  test.each(targets)('a SQLite log exported and imported into %s audits to the same digest, ids, order and metadata', async (_name, target) => {
    const { app, text } = await source()
    const lines = text.trim().split('\n')
    expect(lines).toHaveLength(await storageOf(app).events.lastPosition())
    const copy = open(target(folder))
    expect(await imported(copy.events, text)).toEqual({ events: lines.length, written: lines.length, alreadyThere: 0 })
    const [original, moved] = [await replay(storageOf(app).events), await replay(copy.events)]
    expect(moved.digest).toBe(original.digest)
    // Every store numbers its log its own way: all but the last position must match.
    expect({ ...moved, position: 0 }).toEqual({ ...original, position: 0 })
    expect(withoutPositions(await exported(copy.events))).toEqual(withoutPositions(text))
  })

  test('every line carries id, stream, revision, type, data and metadata with its schema version', async () => {
    const { text } = await source()
    for (const line of text.trim().split('\n')) {
      const event = JSON.parse(line) as { readonly type: string; readonly metadata: unknown }
      expect(Object.keys(event).sort()).toEqual(['data', 'id', 'metadata', 'position', 'revision', 'stream', 'type'])
      expect(event.metadata).toMatchObject({ schemaVersion: schemaRegistry.currentVersion(event.type), occurredAt: expect.any(String), actor: expect.any(String) })
    }
  })

  test('--from exports the events from a position on, and the rest can follow into a store that has the first part', async () => {
    const { app, text } = await source()
    const last = await storageOf(app).events.lastPosition()
    const tail = await exported(storageOf(app).events, 21)
    expect(tail.trim().split('\n').map((line) => (JSON.parse(line) as { position: number }).position)).toEqual(
      Array.from({ length: last - 20 }, (_, i) => i + 21))
    const copy = open('memory:')
    const head = text.trim().split('\n').slice(0, 20).join('\n')
    await imported(copy.events, head)
    expect(await imported(copy.events, tail)).toMatchObject({ written: last - 20, alreadyThere: 0 })
    expect((await replay(copy.events)).digest).toBe((await replay(storageOf(app).events)).digest)
  })

  test('an interrupted import runs again without duplicating anything', async () => {
    const { app, text } = await source()
    const lines = text.trim().split('\n')
    const copy = open(`sqlite:${path.join(folder, 'again.db')}`)
    await imported(copy.events, lines.slice(0, 31).join('\n'))
    expect(await imported(copy.events, text)).toEqual({ events: lines.length, written: lines.length - 31, alreadyThere: 31 })
    expect(await imported(copy.events, text)).toEqual({ events: lines.length, written: 0, alreadyThere: lines.length })
    expect(await copy.events.lastPosition()).toBe(lines.length)
    expect((await replay(copy.events)).digest).toBe((await replay(storageOf(app).events)).digest)
  })

  test('a bad line anywhere writes nothing and names the line and the reason', async () => {
    const { text } = await source()
    const lines = text.trim().split('\n')
    const replaced = (index: number, line: string): string => lines.map((l, i) => (i === index ? line : l)).join('\n')
    const edited = (index: number, edit: (event: Record<string, unknown>) => object): string =>
      replaced(index, JSON.stringify(edit(JSON.parse(lines[index] ?? '{}') as Record<string, unknown>)))
    const store = () => open('memory:').events
    expect(await refusal(store(), replaced(40, '{"id": oops'))).toMatch(/^line 41: not a JSON object \(.+\); nothing was imported$/)
    expect(await refusal(store(), edited(40, (e) => ({ ...e, revision: -1 })))).toContain('line 41: revision: expected a revision')
    const quantity = lines.findIndex((l) => l.includes('"type":"SubscriptionQuantityChanged"'))
    expect(await refusal(store(), edited(quantity, (e) => ({ ...e, data: { ...e.data as object, newQuantity: -4 } }))))
      .toContain(`line ${quantity + 1}: SubscriptionQuantityChanged of stream`)
    expect(await refusal(store(), edited(quantity, (e) => ({ ...e, metadata: { ...e.metadata as object, schemaVersion: 9 } }))))
      .toContain('schema version 9 of SubscriptionQuantityChanged was written by a newer seatflow')
    expect(await refusal(store(), edited(quantity, (e) => ({ ...e, revision: (e.revision as number) + 1 }))))
      .toContain(`line ${quantity + 1}: stream`)
    expect(await refusal(store(), edited(50, (e) => ({ ...e, id: (JSON.parse(lines[2] ?? '{}') as { id: string }).id }))))
      .toMatch(/^line 51: event id .+ appears twice in the input/)
    expect(await refusal(store(), `${text}{"id":"0b5e9d1c-4f7a-4b8e-9a51-3c2d1e0f9a87","stream":"x","revision":0,"type":"Teleported","data":{},"metadata":{}}\n`))
      .toContain(`line ${lines.length + 1}: Teleported of stream x revision 0 is unreadable: unknown event type "Teleported"`)
  })

  test('a store that holds other events in the same streams is refused before anything is written', async () => {
    const { text } = await source()
    const other = await seatflows.start()
    right(await other.app.createSubscription(subscription('Visio', defaultProviderIds.manual, 2)))
    const before = await storageOf(other.app).events.lastPosition()
    const result = await importEvents(storageOf(other.app).events, linesOf(text))
    expect(E.isLeft(result) && describeImportRefused(result.left)).toMatch(/^line 1: the store already holds another event at stream provider-.+ revision 0: it holds a conflicting stream/)
    expect(await storageOf(other.app).events.lastPosition()).toBe(before)
  })
})
