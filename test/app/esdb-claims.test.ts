import * as E from 'fp-ts/Either'
import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import { replay } from '../../src/app/audit/replay'
import { describeImportRefused, exportEvents, importEvents } from '../../src/app/transfer/transfer'
import { defaultProviderIds } from '../../src/domain/ids'
import { Mail } from '../../src/providers/mail'
import { openStorage } from '../../src/store/open'
import { EventStore } from '../../src/store/port'
import { countOf, right, storageOf, subscription, useSeatflows } from '../support/app'
import { startStandIn, StandIn } from '../support/eventstoredb/server'

const idsOf = (mails: ReadonlyArray<Mail>): ReadonlyArray<string> => mails.map((mail) => mail.id)

const exported = async (store: EventStore): Promise<string> => {
  let text = ''
  await exportEvents(store, { batchSize: 7, write: (chunk) => { text += chunk } })
  return text
}

const withoutPositions = (text: string): ReadonlyArray<unknown> =>
  text.trim().split('\n').map((line) => ({ ...JSON.parse(line) as object, position: undefined }))

describe('two seatflows on one EventStoreDB (stand-in), each with its own views file', () => {
  const seatflows = useSeatflows('memory')
  let standIn: StandIn
  let dir: string
  beforeEach(async () => {
    standIn = await startStandIn({ systemEventEvery: 3 })
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-esdb-claims-'))
  })
  afterEach(async () => {
    await standIn.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  })
  const urlOf = (views: string, namespace = 'shop/'): string => `${standIn.url}&views=${path.join(dir, views)}&namespace=${namespace}`

  /** Three Manual changes, processed by both instances at once, twice each. */
  const race = async () => {
    const first = await seatflows.start({ autoProcess: false, store: urlOf('first-views.db') })
    const second = await seatflows.start({ autoProcess: false, store: urlOf('second-views.db') })
    for (const product of ['Visio', 'Teams', 'Project']) right(await first.app.createSubscription(subscription(product, defaultProviderIds.manual, 2)))
    await Promise.all([first.app.process(), second.app.process(), first.app.process(), second.app.process()])
    return { first, second }
  }

  it('send each request mail once and record it once: the claim is in EventStoreDB, not in either views file', async () => {
    const { first, second } = await race()
    const sent = [...first.mailer.sent(), ...second.mailer.sent()]
    expect(sent.filter((mail) => mail.subject.startsWith('Provisioning request'))).toHaveLength(3)
    expect(new Set(idsOf(sent)).size).toBe(sent.length)
    expect(await countOf(first.app, 'ProvisioningRequested')).toBe(3)
    expect(await countOf(second.app, 'ProvisioningRequested')).toBe(3)
    expect(standIn.log.records().some((record) => record.streamId.startsWith('shop/seatflow-claim-'))).toBe(true)
    expect((await first.app.audit()).violations).toEqual([])
  })

  it('a log with claims exports and audits exactly as the same events in a store that never held a claim', async () => {
    const { first } = await race()
    const text = await exported(storageOf(first.app).events)
    expect(text).not.toContain('ClaimTaken')
    const copy = openStorage(urlOf('copy-views.db', 'copy/'))
    try {
      const result = await importEvents(copy.events, async function* lines() { yield* text.split('\n') })
      if (E.isLeft(result)) throw new Error(describeImportRefused(result.left))
      expect(standIn.log.records().some((record) => record.streamId.startsWith('copy/seatflow-claim-'))).toBe(false)
      const [original, moved] = [await replay(storageOf(first.app).events), await replay(copy.events)]
      expect(original.digest).toBe(moved.digest)
      expect({ ...original, position: 0 }).toEqual({ ...moved, position: 0 })
      expect(withoutPositions(await exported(copy.events))).toEqual(withoutPositions(text))
      expect(text.trim().split('\n')).toHaveLength(result.right.events)
    } finally {
      await copy.close()
    }
  })
})
