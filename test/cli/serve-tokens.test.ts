import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSeatflow } from '../../src/app/seatflow'
import { tokenRegistry } from '../../src/server/tokens'
import { cli } from '../support/cli'
import { isAbsent } from '../support/files'

describe('seatflow token and seatflow serve on the command line', () => {
  let folder: string
  let db: string
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'seatflow-tokens-'))
    db = join(folder, 'seatflow.db')
  })
  afterEach(() => rmSync(folder, { recursive: true, force: true }))

  /** Whether the store takes this bearer value, as the service would. */
  const verifies = async (token: string): Promise<string | null> => {
    const seatflow = await createSeatflow({ store: `sqlite:${db}`, autoProcess: false })
    try {
      return tokenRegistry(seatflow.records).verify(token)?.name ?? null
    } finally { await seatflow.close() }
  }

  it('token create prints the token once (making the store where none is); list shows it without its secret; revoke by name or id ends it', async () => {
    const created = await cli('token', 'create', '--store', `sqlite:${db}`, '--name', 'billing system', '--role', 'operator')
    expect(created.code).toBe(0)
    expect(created.out).toMatch(/^sft_[0-9a-f]{12}_[A-Za-z0-9_-]{32}$/)
    expect(created.err).toMatch(/^token [0-9a-f]{12} "billing system" \(operator\) made: it is shown this once; keep it now$/)
    expect(await verifies(created.out)).toBe('billing system')

    const second = await cli('token', 'create', '--db', db, '--name', 'auditor', '--role', 'viewer', '--json')
    const made = JSON.parse(second.out) as { token: string; id: string; role: string; revokedAt: null }
    expect(made).toMatchObject({ name: 'auditor', role: 'viewer', revokedAt: null })

    const listed = await cli('token', 'list', '--store', `sqlite:${db}`)
    expect(listed.code).toBe(0)
    expect(listed.out).toContain('billing system')
    expect(listed.out).toContain('auditor')
    // The secret is everything after `sft_<id>_` (base64url may hold `_` itself).
    expect(listed.out).not.toContain(created.out.trim().split('_').slice(2).join('_'))
    const asJson = JSON.parse((await cli('token', 'list', '--db', db, '--json')).out) as ReadonlyArray<Record<string, unknown>>
    expect(asJson.map((token) => Object.keys(token).sort())).toEqual([['createdAt', 'id', 'name', 'revokedAt', 'role'], ['createdAt', 'id', 'name', 'revokedAt', 'role']])

    expect(await cli('token', 'revoke', '--db', db, 'billing system')).toMatchObject({ code: 0, out: expect.stringMatching(/^revoked [0-9a-f]{12} "billing system"$/) })
    expect(await verifies(created.out)).toBeNull()
    expect(await cli('token', 'revoke', '--db', db, made.id)).toMatchObject({ code: 0 })
    expect(await verifies(made.token)).toBeNull()
    expect(await cli('token', 'revoke', '--db', db, 'auditor')).toEqual({ code: 1, out: '', err: 'seatflow: no live token has the id or name "auditor" (see seatflow token list)' })
  })

  it('refuses a bad token command line in one usage line, before any store is opened', async () => {
    const usage = async (...argv: string[]) => {
      const result = await cli(...argv)
      expect(isAbsent(db)).toBe(true)
      return result
    }
    expect(await usage('token', '--db', db)).toEqual({ code: 2, out: '', err: 'seatflow: token needs one of create, list, revoke' })
    expect(await usage('token', 'mint', '--db', db)).toEqual({ code: 2, out: '', err: 'seatflow: token needs one of create, list, revoke, not "mint"' })
    expect(await usage('token', 'create', '--db', db, '--name', 'x', '--role', 'root')).toEqual({ code: 2, out: '', err: 'seatflow: --role must be one of viewer, operator, admin, got "root"' })
    expect(await usage('token', 'create', '--db', db, '--role', 'admin')).toEqual({ code: 2, out: '', err: 'seatflow: --name is required' })
    expect((await usage('token', 'create', '--db', db, '--name', 'a\u001bb', '--role', 'admin')).err).toBe('seatflow: --name "a\\u001bb" must be a trimmed name of at most 200 characters without control characters (it is the actor of what the token\'s requests write)')
    expect(await usage('token', 'list', '--db', db, '--role', 'admin')).toEqual({ code: 2, out: '', err: 'seatflow: token list does not take --role' })
    expect(await usage('token', 'list', '--db', db, 'extra')).toEqual({ code: 2, out: '', err: 'seatflow: token list takes no operand' })
    expect(await usage('token', 'revoke', '--db', db)).toEqual({ code: 2, out: '', err: 'seatflow: token revoke needs the id or name of a token' })
    expect(await usage('token', 'list', '--db', db)).toMatchObject({ code: 2, err: expect.stringContaining('no seatflow store at') })
  })

  it('refuses a bad serve command line in one usage line, before any store is opened', async () => {
    const usage = async (...argv: string[]) => {
      const result = await cli('serve', '--db', db, ...argv)
      expect(isAbsent(db)).toBe(true)
      return result
    }
    expect(await usage('--port', '70000')).toEqual({ code: 2, out: '', err: 'seatflow: --port must be a whole number from 0 to 65535, got "70000"' })
    expect(await usage('--port', 'http')).toEqual({ code: 2, out: '', err: 'seatflow: --port must be a whole number from 0, got "http"' })
    expect(await usage('--host', ' ')).toEqual({ code: 2, out: '', err: 'seatflow: --host needs an address (127.0.0.1, 0.0.0.0, ::1, a host name)' })
    expect(await usage('--sync-minutes', '0')).toEqual({ code: 2, out: '', err: 'seatflow: --sync-minutes must be a number above 0 and at most 10080, got "0"' })
    expect(await usage('--recheck-seconds', '-1')).toEqual({ code: 2, out: '', err: 'seatflow: --recheck-seconds must be a number above 0 and at most 86400, got "-1"' })
    expect(await usage('--reminder-hours', 'soon')).toEqual({ code: 2, out: '', err: 'seatflow: --reminder-hours must be a number above 0 and at most 8760, got "soon"' })
    expect(await usage('--ready-lag', '1.5')).toEqual({ code: 2, out: '', err: 'seatflow: --ready-lag must be a whole number from 0, got "1.5"' })
    expect(await usage('--json')).toEqual({ code: 2, out: '', err: 'seatflow: serve does not take --json' })
    expect((await usage('--gateways', join(folder, 'none.js'))).err).toMatch(/^seatflow: --gateways ".*none\.js" could not be loaded \(a CommonJS module exporting gateways\): Cannot find module/)
    expect(await cli('serve', 'now', '--db', db)).toEqual({ code: 2, out: '', err: 'seatflow: unknown command "serve now"' })
  })
})
