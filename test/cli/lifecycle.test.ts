import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSeatflow } from '../../src/app/seatflow'
import { defaultProviderIds } from '../../src/domain/ids'
import { createMemoryMailer } from '../../src/providers/mail'
import { right, subscription } from '../support/app'
import { cli } from '../support/cli'
import { eventCount, logRows, scriptedGatewayModule } from '../support/weekly'

const unknownId = '0b5e9d1c-4f7a-4b8e-9a51-3c2d1e0f9a87'

describe('move, suspend, reactivate and cancel from the CLI', () => {
  let folder: string
  let db: string
  let gateway: ReturnType<typeof scriptedGatewayModule>
  const ids = { visio: '', teams: '', project: '', deactivated: '' }

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'seatflow-lifecycle-'))
    db = join(folder, 'seatflow.db')
    gateway = scriptedGatewayModule(folder)
    const host = await createSeatflow({ store: `sqlite:${db}`, autoProcess: true, mailer: createMemoryMailer() })
    ids.visio = right(await host.createSubscription(subscription('Visio', defaultProviderIds.manual, 3))).subscriptionId
    ids.teams = right(await host.createSubscription(subscription('Teams', defaultProviderIds.doNothing, 5))).subscriptionId
    ids.project = right(await host.createSubscription(subscription('Project', defaultProviderIds.doNothing, 2))).subscriptionId
    ids.deactivated = right(await host.registerProvider({ name: 'Old Distributor', kind: 'Manual', provisioningEmail: 'orders@old.example' })).providerId
    right(await host.deactivateProvider({ providerId: ids.deactivated }))
    await host.close()
  })
  afterAll(() => rmSync(folder, { recursive: true, force: true }))

  /** The command must be refused in one line naming `what`, exit 1, with nothing written. */
  const refused = async (what: RegExp, ...argv: string[]) => {
    const events = await eventCount(db)
    const result = await cli(...argv, '--db', db)
    expect(result).toEqual({ code: 1, out: '', err: expect.stringMatching(what) as unknown })
    expect(result.err.split('\n')).toHaveLength(1)
    expect(await eventCount(db)).toBe(events)
  }

  test('a move while a change is unresolved is refused naming the change; to the same provider, a deactivated or an unknown one too', async () => {
    const awaiting = (await logRows(db)).find((row) => row.subscriptionId === ids.visio && row.status === 'Awaiting Provisioning')
    expect(awaiting).toBeDefined()
    await refused(new RegExp(`^seatflow: .*${awaiting?.licenseChangeId ?? 'the awaiting change'}`), 'move', '--subscription', ids.visio, '--provider', 'Partner Center')
    await refused(/^seatflow: .*already/, 'move', '--subscription', ids.teams, '--provider', 'do nothing provider')
    await refused(/^seatflow: provider "Old Distributor" .* is deactivated/, 'move', '--subscription', ids.teams, '--provider', ids.deactivated)
    await refused(/^seatflow: no provider has the id or name "Nobody"; list them with seatflow providers$/, 'move', '--subscription', ids.teams, '--provider', 'Nobody')
    await refused(new RegExp(`^seatflow: subscription ${unknownId} `), 'move', '--subscription', unknownId, '--provider', 'Partner Center')
  })

  test('move --withdraw-unresolved withdraws the changes it names and, asked, reads the new provider and shows the drift', async () => {
    const awaiting = (await logRows(db)).find((row) => row.subscriptionId === ids.visio && row.status === 'Awaiting Provisioning')?.licenseChangeId
    gateway.script({ quantities: { [ids.visio]: 4 }, answers: {} })
    const events = await eventCount(db)
    const moved = await cli('move', '--db', db, '--subscription', ids.visio, '--provider', 'partner center', '--withdraw-unresolved', '--read-provider', '--gateways', gateway.module, '--json')
    expect(moved.code).toBe(0)
    expect(JSON.parse(moved.out)).toEqual({
      subscriptionId: ids.visio, fromProviderId: defaultProviderIds.manual, toProviderId: defaultProviderIds.partnerCenter, withdrawn: [awaiting],
      providerRead: 'read', drift: expect.objectContaining({ subscriptionId: ids.visio, seatflowQuantity: 3, providerQuantity: 4 }) as unknown,
    })
    expect(await eventCount(db)).toBeGreaterThan(events)
    // The drift is shown, never written: no change from the provider was recorded.
    expect((await logRows(db)).filter((row) => row.subscriptionId === ids.visio).map((row) => [row.status, row.origin])).toEqual([['Failed Provisioning', 'host']])
    const back = await cli('move', '--db', db, '--subscription', ids.visio, '--provider', defaultProviderIds.manual)
    expect(back).toEqual({ code: 0, err: '', out: `subscription ${ids.visio} moved from "Partner Center" to "Manual Provider"` })
    const subscriptions = JSON.parse((await cli('subscriptions', '--db', db, '--json')).out) as Array<{ subscriptionId: string; provider: string }>
    expect(subscriptions.find((row) => row.subscriptionId === ids.visio)?.provider).toBe('Manual Provider')
  })

  test('suspend once, reactivate once: each second time is refused in one line', async () => {
    const suspended = await cli('suspend', '--db', db, '--subscription', ids.teams, '--reason', 'non-payment', '--json')
    expect(suspended.code).toBe(0)
    expect(JSON.parse(suspended.out)).toEqual({ subscriptionId: ids.teams, status: 'Suspended', suspendedReason: 'non-payment' })
    await refused(/^seatflow: .*suspended/i, 'suspend', '--subscription', ids.teams, '--reason', 'again')
    expect((await cli('subscriptions', '--db', db)).out).toMatch(new RegExp(`${ids.teams} +Teams +Do Nothing Provider +5 +Suspended \\(non-payment\\)`))
    const reactivated = await cli('reactivate', '--db', db, '--subscription', ids.teams)
    expect(reactivated).toEqual({ code: 0, err: '', out: `subscription ${ids.teams} is Active again; the provider already has its quantity: nothing to provision` })
    expect(JSON.parse((await cli('subscriptions', '--db', db, '--json')).out)).toContainEqual(expect.objectContaining({ subscriptionId: ids.teams, status: 'Active', suspendedReason: null }))
    await refused(/^seatflow: .*not suspended/i, 'reactivate', '--subscription', ids.teams)
    expect(await cli('suspend', '--db', db, '--subscription', ids.teams)).toEqual({ code: 2, out: '', err: 'seatflow: --reason is required' })
  })

  test('a change while suspended is Not Applicable; reactivate records the change that brings the provider back in line', async () => {
    expect((await cli('suspend', '--db', db, '--subscription', ids.visio, '--reason', 'non-payment')).code).toBe(0)
    const host = await createSeatflow({ store: `sqlite:${db}`, autoProcess: true, mailer: createMemoryMailer() })
    right(await host.changeQuantity({ subscriptionId: ids.visio, quantity: 8 }))
    await host.close()
    expect((await logRows(db)).filter((row) => row.subscriptionId === ids.visio).at(-1)).toMatchObject({ newQuantity: 8, status: 'Not Applicable' })
    const reactivated = await cli('reactivate', '--db', db, '--subscription', ids.visio, '--json')
    expect(reactivated.code).toBe(0)
    const answer = JSON.parse(reactivated.out) as { licenseChangeId: string }
    expect(answer).toEqual({ subscriptionId: ids.visio, licenseChangeId: expect.any(String) as unknown, status: 'Active', suspendedReason: null })
    expect((await logRows(db)).find((row) => row.licenseChangeId === answer.licenseChangeId)).toMatchObject({ previousQuantity: 3, newQuantity: 8, status: 'Awaiting Provisioning', providerKind: 'Manual' })
  })

  test('cancel records a change to zero; a cancelled subscription takes no further change', async () => {
    const cancelled = await cli('cancel', '--db', db, '--subscription', ids.project, '--json')
    expect(cancelled.code).toBe(0)
    const answer = JSON.parse(cancelled.out) as { licenseChangeId: string }
    expect(answer).toEqual({ subscriptionId: ids.project, licenseChangeId: expect.any(String) as unknown, status: 'Cancelled', suspendedReason: null })
    expect((await logRows(db)).find((row) => row.licenseChangeId === answer.licenseChangeId)).toMatchObject({ previousQuantity: 2, newQuantity: 0, kind: 'cancellation' })
    await refused(/^seatflow: .*cancelled/i, 'cancel', '--subscription', ids.project)
    await refused(/^seatflow: .*cancelled/i, 'sync', '--subscription', ids.project, '--quantity', '3')
    await refused(/^seatflow: .*cancelled/i, 'suspend', '--subscription', ids.project, '--reason', 'late')
    await refused(/^seatflow: .*cancelled/i, 'move', '--subscription', ids.project, '--provider', 'Manual Provider')
  })

  test('a bad flag is one usage line before the store is opened', async () => {
    const events = await eventCount(db)
    expect(await cli('move', '--db', db, '--subscription', 'S-1', '--provider', 'Manual Provider')).toEqual({ code: 2, out: '', err: 'seatflow: --subscription must be the id of a subscription (a uuid), not "S-1"' })
    expect(await cli('move', '--db', db, '--subscription', ids.teams)).toEqual({ code: 2, out: '', err: 'seatflow: --provider is required' })
    expect(await cli('move', '--db', db, '--subscription', ids.teams, '--provider', 'x', '--gateways', gateway.module)).toEqual({ code: 2, out: '', err: 'seatflow: --gateways goes with --read-provider (move reads the new provider only when asked)' })
    expect((await cli('move', '--db', db, '--subscription', ids.teams, '--provider', 'x', '--read-provider', '--gateways', join(folder, 'none.js'))).code).toBe(2)
    expect(await cli('cancel', '--db', db, '--subscription', ids.teams, '--reason', 'x')).toEqual({ code: 2, out: '', err: 'seatflow: cancel does not take --reason' })
    expect(await eventCount(db)).toBe(events)
  })
})
