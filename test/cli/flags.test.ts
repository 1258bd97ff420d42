import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cli } from '../support/cli'
import { isAbsent } from '../support/files'

const someId = '0b5e9d1c-4f7a-4b8e-9a51-3c2d1e0f9a87'

describe('every flag is checked before a store is opened: one usage line naming the flag and the value', () => {
  let folder: string
  let missing: string
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'seatflow-flags-'))
    missing = join(folder, 'never-made.db')
  })
  afterAll(() => rmSync(folder, { recursive: true, force: true }))

  /** The command on a store that does not exist: the flag must be refused before the store is looked for. */
  const usage = async (...argv: string[]) => {
    const result = await cli(...argv)
    expect(isAbsent(missing)).toBe(true)
    return result
  }

  test('--now is an ISO-8601 time with its offset, as --since and --as-of are', async () => {
    for (const value of ['12', '2026-05-06T09:00:00', '2026-05-06', 'tomorrow', '2026-13-01T00:00:00Z', '2026-02-30T09:00:00Z']) {
      const expected = (flag: string) => ({ code: 2, err: `seatflow: ${flag} "${value}" is not an ISO-8601 time with its offset (e.g. 2026-01-06T09:00:00Z)` })
      expect(await usage('reminders', '--db', missing, '--now', value)).toEqual({ ...expected('--now'), out: '' })
      expect(await usage('log', '--db', missing, '--since', value)).toEqual({ ...expected('--since'), out: '' })
      expect(await usage('audit', '--db', missing, '--as-of', value)).toEqual({ ...expected('--as-of'), out: '' })
    }
  })

  test('a negative or malformed --position or --from is one line naming the flag and the value', async () => {
    expect(await usage('audit', '--db', missing, '--position', '-1')).toEqual({ code: 2, out: '', err: 'seatflow: --position must be a whole number from 0, got "-1"' })
    expect(await usage('audit', '--position', '-1', '--db', missing)).toEqual({ code: 2, out: '', err: 'seatflow: --position must be a whole number from 0, got "-1"' })
    expect(await usage('audit', '--db', missing, '--position=-1')).toEqual({ code: 2, out: '', err: 'seatflow: --position must be a whole number from 0, got "-1"' })
    expect(await usage('audit', '--db', missing, '--position', '1e3')).toEqual({ code: 2, out: '', err: 'seatflow: --position must be a whole number from 0, got "1e3"' })
    expect(await usage('export', '--db', missing, '--from', '-5')).toEqual({ code: 2, out: '', err: 'seatflow: --from must be a whole number from 1, got "-5"' })
    expect(await usage('export', '--db', missing, '--from', '0')).toEqual({ code: 2, out: '', err: 'seatflow: --from must be a whole number from 1, got "0"' })
    expect(await usage('export', '--db', missing, '--from', 'x1')).toEqual({ code: 2, out: '', err: 'seatflow: --from must be a whole number from 1, got "x1"' })
  })

  test('what parseArgs refuses is one line naming the flag', async () => {
    expect(await usage('audit', '--db', missing, '--position')).toEqual({ code: 2, out: '', err: 'seatflow: --position needs a value (write --position=VALUE for one that starts with a dash)' })
    expect(await usage('provision', '--db', missing, '--change', someId, '--note', '--by', 'Dana')).toEqual({ code: 2, out: '', err: 'seatflow: --note needs a value (write --note=VALUE for one that starts with a dash)' })
    expect(await usage('log', '--db', missing, '--json=yes')).toEqual({ code: 2, out: '', err: 'seatflow: --json takes no value' })
    expect(await usage('log', '--db', missing, '--colour')).toEqual({ code: 2, out: '', err: 'seatflow: unknown option --colour' })
    expect(await usage('log', '--db', missing, '-x')).toEqual({ code: 2, out: '', err: 'seatflow: unknown option -x' })
  })

  test('a flag the command does not take, a flag given twice, or --db with --store is refused, not ignored', async () => {
    expect(await usage('log', '--db', missing, '--position', '3')).toEqual({ code: 2, out: '', err: 'seatflow: log does not take --position' })
    expect(await usage('export', '--db', missing, '--json')).toEqual({ code: 2, out: '', err: 'seatflow: export does not take --json' })
    expect(await usage('audit', '--db', missing, '--since', '2026-01-01T00:00:00Z')).toEqual({ code: 2, out: '', err: 'seatflow: audit does not take --since' })
    expect(await usage('log', '--db', missing, '--status', 'Provisioned', '--status', 'Failed Provisioning')).toEqual({ code: 2, out: '', err: 'seatflow: --status is given twice: give it once' })
    expect(await usage('log', '--db', missing, '--store', missing)).toEqual({ code: 2, out: '', err: 'seatflow: give --db FILE or --store URL, not both' })
  })

  test('the store itself is a flag: a URL that names no store and an empty path are usage errors naming it', async () => {
    expect(await usage('log', '--store', 'redis://cache:6379')).toEqual({ code: 2, out: '', err: 'seatflow: --store "redis://cache:6379": unknown store URL "redis://cache:6379": use sqlite:PATH, memory: or esdb://host:port?tls=false' })
    expect(await usage('log', '--store', 'sqlite:')).toEqual({ code: 2, out: '', err: 'seatflow: --store "sqlite:": a sqlite: store URL needs a file path, e.g. sqlite:./seatflow.db' })
    expect(await usage('log', '--store', 'esdb://?tls=false')).toEqual({ code: 2, out: '', err: 'seatflow: --store "esdb://?tls=false": "esdb://?tls=false" names no host: use esdb://host:port?tls=false' })
    expect(await usage('log', '--db', '')).toEqual({ code: 2, out: '', err: 'seatflow: --db needs a file path' })
  })

  test('provision checks --change is a License Change id and --by is given before it opens the store', async () => {
    expect(await usage('provision', '--db', missing, '--change', 'LC-7', '--by', 'Dana')).toEqual({ code: 2, out: '', err: 'seatflow: --change must be the id of a License Change (a uuid), not "LC-7"' })
    expect(await usage('provision', '--db', missing, '--change', someId, '--by', ' ')).toEqual({ code: 2, out: '', err: 'seatflow: --by is required' })
    expect(await usage('trail', '--db', missing, '--subscription', 'S-1')).toEqual({ code: 2, out: '', err: 'seatflow: --subscription must be the id of a subscription (a uuid), not "S-1"' })
  })
})
