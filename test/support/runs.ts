import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { createSimulatedClock } from '../../src/providers/clock'
import { defaultProviderIds } from '../../src/domain/ids'
import { right, subscription } from './app'
import { createSinkMailer, openReliabilityApp, reliabilityEpoch } from './reliability'

/** The files of one reliability run in a fresh temp folder. */
export interface Run {
  readonly dir: string
  readonly file: string
  readonly url: string
  readonly sink: string
  readonly subscriptions: ReadonlyArray<string>
}

const providers = [defaultProviderIds.manual, defaultProviderIds.partnerCenter, defaultProviderIds.doNothing]

/** A SQLite file with `count` subscriptions on the Manual, Partner Center and Do Nothing providers in turn. */
export const prepareRun = async (count: number, name: string): Promise<Run> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `seatflow-${name}-`))
  const file = path.join(dir, 'seatflow.db')
  const sink = path.join(dir, 'sent-mail.jsonl')
  const url = `sqlite:${file}`
  const app = await openReliabilityApp({ storage: url, mailer: createSinkMailer(sink), clock: createSimulatedClock(reliabilityEpoch) })
  const subscriptions: string[] = []
  for (let i = 0; i < count; i += 1) {
    const provider = providers[i % providers.length] as string
    subscriptions.push(right(await app.createSubscription(subscription(`Product ${i + 1}`, provider, 10))).subscriptionId)
  }
  await app.close()
  return { dir, file, url, sink, subscriptions }
}

/** Remove a run's folder. */
export const removeRun = (run: Run | null): void => {
  if (run !== null) fs.rmSync(run.dir, { recursive: true, force: true })
}
