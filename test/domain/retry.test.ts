import { defaultRetryPolicy, jitterFraction, retryDelayMs, retryPolicyProblem } from '../../src/domain/retry'

const policy = { baseSeconds: 30, capSeconds: 3600 }
const delay = (failures: number, retryAfterSeconds: number | null = null, nextAttempt = failures + 1) =>
  retryDelayMs(policy, { licenseChangeId: 'lc-1', nextAttempt, failures, retryAfterSeconds })

describe('jitter', () => {
  test('is FNV-1a of the name over 2^32 (published test vectors)', () => {
    expect(jitterFraction('')).toBe(0x811c9dc5 / 2 ** 32)
    expect(jitterFraction('a')).toBe(0xe40c292c / 2 ** 32)
    expect(jitterFraction('foobar')).toBe(0xbf9cf968 / 2 ** 32)
  })

  test('differs between changes and attempts, and stays within [0, 1)', () => {
    const fractions = ['lc-1:2', 'lc-1:3', 'lc-2:2'].map(jitterFraction)
    expect(new Set(fractions).size).toBe(3)
    for (const f of fractions) expect(f >= 0 && f < 1).toBe(true)
  })
})

describe('the wait before the next attempt', () => {
  test('is base × 2^(failures−1) plus a jitter of up to half of that, the same every time', () => {
    for (const failures of [1, 2, 3, 4]) {
      const exponential = 30_000 * 2 ** (failures - 1)
      const expected = exponential + Math.floor(jitterFraction(`lc-1:${failures + 1}`) * exponential / 2)
      expect(delay(failures)).toBe(expected)
      expect(delay(failures)).toBeGreaterThanOrEqual(exponential)
      expect(delay(failures)).toBeLessThan(exponential * 1.5)
    }
  })

  test('never exceeds the cap', () => {
    expect(delay(7)).toBeLessThanOrEqual(3_600_000)
    expect(delay(8)).toBe(3_600_000)
    expect(delay(19)).toBe(3_600_000)
  })

  test('is the provider’s Retry-After when that is longer, even past the cap', () => {
    expect(delay(1, 600)).toBe(600_000)
    expect(delay(1, 7200)).toBe(7_200_000)
    expect(delay(1, 1)).toBe(delay(1))
  })

  test('a zero base retries at once', () => {
    expect(retryDelayMs({ baseSeconds: 0, capSeconds: 0 }, { licenseChangeId: 'lc-1', nextAttempt: 2, failures: 1, retryAfterSeconds: null })).toBe(0)
  })
})

describe('a retry policy', () => {
  test('the default is 30 seconds doubling up to an hour', () => {
    expect(defaultRetryPolicy).toEqual({ baseSeconds: 30, capSeconds: 3600 })
    expect(retryPolicyProblem(defaultRetryPolicy)).toBeNull()
  })

  test.each([
    [{ baseSeconds: -1, capSeconds: 10 }, 'retryBaseSeconds must be a number of seconds >= 0, not -1'],
    [{ baseSeconds: Number.NaN, capSeconds: 10 }, 'retryBaseSeconds must be a number of seconds >= 0, not NaN'],
    [{ baseSeconds: 60, capSeconds: 30 }, 'retryCapSeconds must be a number of seconds >= retryBaseSeconds (60), not 30'],
  ])('%p is refused: %s', (bad, problem) => {
    expect(retryPolicyProblem(bad)).toBe(problem)
  })
})
