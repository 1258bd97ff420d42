import { createSeatflow, InvalidOptionsError } from '../../src/app/seatflow'
import { createMemoryMailer } from '../../src/providers/mail'

/** What createSeatflow says of these options: the problems it names, or 'accepted'. */
const refusal = async (options: Record<string, unknown>): Promise<ReadonlyArray<string> | 'accepted'> => {
  try {
    const app = await createSeatflow({ store: 'memory:', ...options } as Parameters<typeof createSeatflow>[0])
    await app.close()
    return 'accepted'
  } catch (error) {
    if (!(error instanceof InvalidOptionsError)) throw error
    return error.problems.map((p) => `${p.option} ${p.problem}, not ${p.value}`)
  }
}

describe('every option of createSeatflow is checked, and a refusal names the option and its value', () => {
  test.each([
    [0, 'reminderIntervalHours must be a number of hours above 0 and at most 8760, not 0'],
    [-1, 'reminderIntervalHours must be a number of hours above 0 and at most 8760, not -1'],
    [Number.NaN, 'reminderIntervalHours must be a number of hours above 0 and at most 8760, not NaN'],
    [Number.POSITIVE_INFINITY, 'reminderIntervalHours must be a number of hours above 0 and at most 8760, not Infinity'],
    ['24', 'reminderIntervalHours must be a number of hours above 0 and at most 8760, not "24"'],
  ])('reminderIntervalHours %p is refused', async (value, problem) => {
    expect(await refusal({ reminderIntervalHours: value })).toEqual([problem])
  })

  test('a fractional interval is an interval', async () => {
    expect(await refusal({ reminderIntervalHours: 0.5 })).toBe('accepted')
  })

  test.each([
    [{ retryBaseSeconds: -5 }, 'retryBaseSeconds must be a number of seconds from 0 to 86400, not -5'],
    [{ retryCapSeconds: Number.NaN }, 'retryCapSeconds must be a number of seconds from 0 to 604800, not NaN'],
    [{ retryBaseSeconds: 60, retryCapSeconds: 30 }, 'retryCapSeconds must be a number of seconds >= retryBaseSeconds (60), not 30'],
    [{ mailLeaseSeconds: 0 }, 'mailLeaseSeconds must be a number of seconds above 0 and at most 86400, not 0'],
    [{ autoProcess: 'yes' }, 'autoProcess must be true or false, not "yes"'],
    [{ actor: '' }, 'actor must be a trimmed, non-empty name of at most 200 characters without control characters, not ""'],
    [{ actor: 'cli\r\nBcc: x' }, 'actor must be a trimmed, non-empty name of at most 200 characters without control characters, not "cli\\r\\nBcc: x"'],
    [{ manualProvisioningEmail: 'nobody' }, 'manualProvisioningEmail must be an email address, not "nobody"'],
    [{ mailer: { deliver: () => undefined } }, 'mailer must be a mailer: an object with send(mail), not {}'],
    [{ clock: Date.now }, 'clock must be a clock: an object with now(), not a function'],
    [{ gateways: { 'Partner Center': {} } }, 'gateways must map provider ids or systems to gateways (changeQuantity and checkPending), not {"Partner Center":{}}'],
    [{ store: 42 }, 'store must be a store URL or an open Storage, not 42'],
  ])('%p is refused', async (options, problem) => {
    expect(await refusal(options)).toEqual([problem])
  })

  test('an option seatflow does not know is refused (a typo is not silently ignored)', async () => {
    const [problem] = await refusal({ reminderIntervalHour: 12 }) as ReadonlyArray<string>
    expect(problem).toMatch(/^reminderIntervalHour is not an option \(known: store, mailer, .*reminderIntervalHours.*\), not 12$/)
  })

  test('every problem is named at once, and nothing is opened', async () => {
    expect(await refusal({ reminderIntervalHours: 0, autoProcess: 1 })).toHaveLength(2)
  })

  test('sound options are accepted', async () => {
    expect(await refusal({ reminderIntervalHours: 12, retryBaseSeconds: 1, retryCapSeconds: 10, actor: 'billing', mailer: createMemoryMailer(), autoProcess: false })).toBe('accepted')
  })
})
