import { parseJson, providerError, retryAfterSeconds } from '../../src/providers/http'
import { pollDelay, pollUntil, PollStep } from '../../src/providers/polling'
import { atPointer, renderBody, renderPath } from '../../src/providers/template'

describe('the HTTP plumbing of the gateways', () => {
  const now = new Date('2026-01-05T09:00:00.000Z')

  it('reads Retry-After as seconds or as an HTTP date, and ignores what it cannot read', () => {
    expect(retryAfterSeconds('120', now)).toBe(120)
    expect(retryAfterSeconds('Mon, 05 Jan 2026 09:00:30 GMT', now)).toBe(30)
    expect(retryAfterSeconds('Mon, 05 Jan 2026 08:00:00 GMT', now)).toBe(0)
    expect(retryAfterSeconds('soon', now)).toBeUndefined()
    expect(retryAfterSeconds(null, now)).toBeUndefined()
  })

  it('says where malformed JSON came from, and reads the usual error shapes', () => {
    expect(parseJson('{"a":1}', 'GET x')).toEqual({ ok: true, value: { a: 1 } })
    expect(parseJson('<html>', 'GET https://pc/v1')).toMatchObject({ ok: false, reason: expect.stringMatching(/^malformed JSON in the answer to GET https:\/\/pc\/v1 \(.*\): "<html>"$/) })
    expect(providerError({ code: 800002, description: 'too many' })).toEqual({ code: '800002', description: 'too many' })
    expect(providerError({ error: { code: 'E1', message: 'bad' } })).toEqual({ code: 'E1', description: 'bad' })
    expect(providerError({ error: 'invalid_grant', error_description: 'used' })).toEqual({ code: 'invalid_grant', description: 'used' })
  })

  it('backs off exponentially up to a ceiling, with the injected jitter deciding the random half', () => {
    const policy = { firstDelayMs: 100, maxDelayMs: 1000, totalMs: 10_000 }
    expect([0, 1, 2, 3, 4, 5].map((round) => pollDelay(policy, round, () => 0))).toEqual([50, 100, 200, 400, 500, 500])
    expect([0, 1, 2, 3, 4, 5].map((round) => pollDelay(policy, round, () => 0.999999))).toEqual([100, 200, 400, 800, 1000, 1000])
  })

  it('polls until done, honours a Retry-After longer than the backoff, and stops before passing the total time', async () => {
    let clock = 0
    const waits: number[] = []
    const timing = { poll: { firstDelayMs: 10, maxDelayMs: 40, totalMs: 200 }, random: () => 0.5, now: () => clock, sleep: async (ms: number) => { waits.push(ms); clock += ms } }
    const answers: Array<PollStep<string>> = [{ _tag: 'NotYet', retryAfterSeconds: 0.1 }, { _tag: 'NotYet' }, { _tag: 'Done', value: 'ok' }]
    expect(await pollUntil(async () => answers.shift() ?? { _tag: 'NotYet' }, timing)).toEqual({ _tag: 'Done', value: 'ok' })
    expect(waits).toEqual([8, 100, 30])

    clock = 0
    waits.length = 0
    expect(await pollUntil(async () => ({ _tag: 'NotYet' }), timing)).toEqual({ _tag: 'StillPending' })
    expect(waits).toEqual([8, 15, 30, 30, 30, 30, 30])
    expect(waits.reduce((a, b) => a + b)).toBeLessThanOrEqual(200)
  })

  it('renders templates (a lone placeholder keeps its type, paths are encoded) and reads JSON pointers', () => {
    expect(renderPath('/s/{{id}}/x', { id: 'a/b c' })).toBe('/s/a%2Fb%20c/x')
    expect(renderBody({ n: '{{q}}', s: 'q={{q}}', list: ['{{ id }}', 3, null] }, { q: 7, id: 'x' })).toEqual({ n: 7, s: 'q=7', list: ['x', 3, null] })
    expect(() => renderBody('{{nope}}', {})).toThrow('no value for the placeholder {{nope}}')
    expect(atPointer({ a: { 'b/c': [1, { d: 'e' }] } }, '/a/b~1c/1/d')).toBe('e')
    expect(atPointer({ a: 1 }, '/a/b')).toBeUndefined()
    expect(atPointer({ a: 1 }, '')).toEqual({ a: 1 })
  })
})
