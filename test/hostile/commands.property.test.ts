import * as fc from 'fast-check'
import * as E from 'fp-ts/Either'
import { trail } from '../../src/app/audit/trail'
import { SeatflowError } from '../../src/domain/errors'
import { defaultProviderIds } from '../../src/domain/ids'
import { Harness, right, storageOf, subscription, useSeatflows } from '../support/app'
import { acceptable, hostileAddress, hostileRuns, hostileText, TextRule } from './arbitraries'
import { expectLogOutputsSafe } from './outputs'

/** One text field of one command: how to set up for it, run it with a text, and where the text must come out. */
interface TextField {
  readonly command: string
  readonly field: string
  readonly rule: TextRule
  readonly run: (harness: Harness, text: string) => Promise<{ readonly result: E.Either<SeatflowError, unknown>; readonly before: number; readonly shown: () => Promise<ReadonlyArray<unknown>> }>
}

const lastPosition = (harness: Harness): Promise<number> => storageOf(harness.app).events.lastPosition()
let serial = 0
const fresh = (): number => { serial += 1; return serial }

/** The texts the License Change Log and the trail of a subscription show. */
const logAndTrail = (harness: Harness, subscriptionId: string) => async (): Promise<ReadonlyArray<unknown>> => {
  const rows = (await harness.app.licenseChangeLog()).filter((row) => row.subscriptionId === subscriptionId)
  const steps = right(await trail(storageOf(harness.app).events, { subscriptionId }))
  return [...rows.flatMap((row) => [row.product, row.billingContractId, row.provider, row.provisionedBy, row.message]), ...steps.flatMap((step) => [step.actor, step.correlationId])]
}

/** Run a command, with the log's last position just before it. */
const measured = async (harness: Harness, command: () => Promise<E.Either<SeatflowError, unknown>>) => {
  const before = await lastPosition(harness)
  return { result: await command(), before }
}

const manualChange = async (harness: Harness): Promise<{ subscriptionId: string; licenseChangeId: string }> => {
  const created = right(await harness.app.createSubscription(subscription(`Visio ${fresh()}`, defaultProviderIds.manual, 2)))
  await harness.app.process()
  return { subscriptionId: created.subscriptionId, licenseChangeId: created.licenseChangeId ?? '' }
}

const failedChange = async (harness: Harness): Promise<{ subscriptionId: string; licenseChangeId: string }> => {
  harness.gateway.queue({ _tag: 'PermanentFailure', reason: 'offer not found', code: 'OfferNotFound' })
  const created = right(await harness.app.createSubscription(subscription(`Teams ${fresh()}`, defaultProviderIds.partnerCenter, 2)))
  await harness.app.process()
  return { subscriptionId: created.subscriptionId, licenseChangeId: created.licenseChangeId ?? '' }
}

/** The actor and correlation id of the last event, as the export and the trail show them. */
const lastEvent = async (harness: Harness): Promise<ReadonlyArray<string>> => {
  const position = await lastPosition(harness)
  for await (const batch of storageOf(harness.app).events.readAll({ after: position - 1 })) return batch.flatMap((event) => [event.metadata.actor, event.metadata.correlationId])
  return []
}

const providerFields: ReadonlyArray<TextField> = [
  ...(['name', 'actor', 'correlationId'] as const).map((field): TextField => ({
    command: 'RegisterProvider', field, rule: 'name',
    run: async (harness, text) => {
      const input = { name: `Distributor ${fresh()}`, kind: 'Manual', provisioningEmail: 'orders@distributor.example', [field]: text }
      const run = await measured(harness, () => harness.app.registerProvider(input))
      return { ...run, shown: async () => [...(await harness.app.providers()).map((row) => row.name), ...(await lastEvent(harness))] }
    },
  })),
  {
    command: 'ChangeProviderConfiguration', field: 'name', rule: 'name',
    run: async (harness, text) => {
      const { providerId } = right(await harness.app.registerProvider({ name: `Distributor ${fresh()}`, kind: 'Do Nothing' }))
      const run = await measured(harness, () => harness.app.changeProviderConfiguration({ providerId, name: text }))
      return { ...run, shown: async () => (await harness.app.providers()).map((row) => row.name) }
    },
  },
]

const subscriptionFields: ReadonlyArray<TextField> = [
  ...(['product', 'billingContractId', 'actor', 'correlationId'] as const).map((field): TextField => ({
    command: 'CreateSubscription', field, rule: 'name',
    run: async (harness, text) => {
      const input = { ...subscription(`Visio ${fresh()}`, defaultProviderIds.doNothing, 1), [field]: text }
      const run = await measured(harness, () => harness.app.createSubscription(input))
      const subscriptionId = E.isRight(run.result) ? (run.result.right as { subscriptionId: string }).subscriptionId : ''
      return { ...run, shown: logAndTrail(harness, subscriptionId) }
    },
  })),
  ...([['ChangeQuantity', 'changeQuantity'], ['RecordProviderQuantity', 'recordProviderQuantity']] as const).map(([command, method]): TextField => ({
    command, field: 'actor', rule: 'name',
    run: async (harness, text) => {
      const { subscriptionId } = right(await harness.app.createSubscription(subscription(`Visio ${fresh()}`, defaultProviderIds.doNothing, 1)))
      const run = await measured(harness, () => harness.app[method]({ subscriptionId, quantity: 3, actor: text }))
      return { ...run, shown: logAndTrail(harness, subscriptionId) }
    },
  })),
  {
    command: 'SyncFromProvider', field: 'changedBy', rule: 'name',
    run: async (harness, text) => {
      const { subscriptionId } = right(await harness.app.createSubscription(subscription(`Visio ${fresh()}`, defaultProviderIds.partnerCenter, 1)))
      await harness.app.process()
      const run = await measured(harness, () => harness.app.syncFromProvider({ subscriptionId, quantity: 4, changedBy: text }))
      return { ...run, shown: logAndTrail(harness, subscriptionId) }
    },
  },
]

const licenseChangeFields: ReadonlyArray<TextField> = [
  ...([['by', 'name'], ['note', 'note'], ['actor', 'name']] as const).map(([field, rule]): TextField => ({
    command: 'MarkProvisioned', field, rule,
    run: async (harness, text) => {
      const change = await manualChange(harness)
      const run = await measured(harness, () => harness.app.markProvisioned({ licenseChangeId: change.licenseChangeId, by: 'Dana', [field]: text }))
      return { ...run, shown: logAndTrail(harness, change.subscriptionId) }
    },
  })),
  ...([['by', 'name'], ['reason', 'reason']] as const).map(([field, rule]): TextField => ({
    command: 'Requeue', field, rule,
    run: async (harness, text) => {
      const change = await failedChange(harness)
      const run = await measured(harness, () => harness.app.requeue({ licenseChangeId: change.licenseChangeId, by: 'Dana', reason: 'offer fixed', [field]: text }))
      return { ...run, shown: logAndTrail(harness, change.subscriptionId) }
    },
  })),
]

/** What a refused text must give: InvalidCommand for this command, every problem naming the field (or a place in it) first. */
const expectRefused = (result: E.Either<SeatflowError, unknown>, command: string, field: string): void => {
  expect(result).toStrictEqual(E.left({ _tag: 'InvalidCommand', command, problems: expect.any(Array) }))
  const problems = E.isLeft(result) && result.left._tag === 'InvalidCommand' ? result.left.problems : []
  expect(problems.length).toBeGreaterThan(0)
  for (const problem of problems) expect(problem).toMatch(new RegExp(`^${field}(\\.\\d+)?: `))
}

describe('hostile text through every command that takes text (SEATFLOW_HOSTILE_RUNS runs each)', () => {
  // A long hunt (SEATFLOW_HOSTILE_RUNS=300) gets the time it needs: about half a second a run at most.
  jest.setTimeout(Math.max(30_000, hostileRuns() * 500))
  const seatflows = useSeatflows('memory')

  test.each([...providerFields, ...subscriptionFields, ...licenseChangeFields].map((field) => [`${field.command} ${field.field}`, field] as const))(
    '%s: a refusal names the field and writes nothing; accepted text comes out intact in the log, JSON, CSV, table and trail', async (_name, field) => {
      const harness = await seatflows.start({ autoProcess: false })
      await fc.assert(fc.asyncProperty(hostileText, async (text) => {
        const { result, before, shown } = await field.run(harness, text)
        if (!acceptable(field.rule, text)) {
          expectRefused(result, field.command, field.field)
          expect(await lastPosition(harness)).toBe(before)
          return
        }
        expect(E.isRight(result) ? 'accepted' : result.left).toBe('accepted')
        const beforeProcessing = await shown()
        await harness.app.process()
        const values = [...beforeProcessing, ...await shown()]
        expect(values.some((value) => typeof value === 'string' && value.includes(text))).toBe(true)
        expect(result).toStrictEqual(E.right(expect.anything()))
        expectLogOutputsSafe((await harness.app.licenseChangeLog()).slice(-10))
      }), { numRuns: hostileRuns() })
    })

  test('setCopiedEmailAddresses: more than 50, a control character or an address twice (any case) is refused and writes nothing', async () => {
    const harness = await seatflows.start({ autoProcess: false })
    await fc.assert(fc.asyncProperty(fc.array(hostileAddress, { maxLength: 60 }), async (addresses) => {
      const before = await lastPosition(harness)
      const result = await harness.app.setCopiedEmailAddresses({ addresses })
      const unique = new Set(addresses.map((address) => address.toLowerCase())).size === addresses.length
      const clean = addresses.every((address) => /^[\x21-\x7e]+$/.test(address))
      if (addresses.length <= 50 && unique && clean) {
        if (E.isLeft(result)) expect(result.left._tag).toBe('SettingUnchanged')
        else expect((await harness.app.settings()).map((row) => row.value)).toContainEqual(addresses)
        return
      }
      expectRefused(result, 'ChangeSetting', 'value')
      expect(await lastPosition(harness)).toBe(before)
    }), { numRuns: hostileRuns() * 2 })
  })
})
