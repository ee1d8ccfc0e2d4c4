import path from 'node:path'
import { Command } from 'commander'
import { afterEach, describe, expect, test, vi } from '../fixtures.js'
import { register } from '../../src/cli/commands/keys.js'
import { createCliContext, type CliContext } from '../../src/cli/context.js'
import { ApiKeyVerifier, hasActiveApiKeys } from '../../src/auth/index.js'

describe('sportscan keys', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  test('creates a key shown once, lists it without the secret, revokes it by prefix', async ({ tmpDir }) => {
    const ctx: CliContext = createCliContext({
      SPORTSCAN_HOME: path.join(tmpDir, 'home'),
      LOG_LEVEL: 'silent',
    })
    const lines: string[] = []
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '))
    })
    const run = async (...args: string[]) => {
      const program = new Command('sportscan').exitOverride()
      register(program, () => ctx)
      lines.length = 0
      await program.parseAsync(['node', 'sportscan', ...args])
      return lines.join('\n')
    }
    try {
      const created = await run('keys', 'create', '--role', 'scanner', '--name', 'belt-3')
      const key = /^(sps_[0-9a-f]{8}_\S+)$/m.exec(created)?.[1] ?? ''
      const prefix = key.slice(4, 12)
      expect(key).toMatch(/^sps_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/)
      expect(created).toMatch(/cannot be shown again/)

      const db = (await ctx.db()).db
      expect(await hasActiveApiKeys(db)).toBe(true)
      const verifier = new ApiKeyVerifier(db)
      expect(await verifier.verify(key)).toMatchObject({ name: 'belt-3', role: 'scanner', prefix })

      const listed = await run('keys', 'list')
      expect(listed).toMatch(new RegExp(`${prefix}\\s+scanner\\s+belt-3`))
      expect(listed).not.toContain(key.slice(13))

      const json = JSON.parse(await run('keys', 'list', '--json')) as Array<Record<string, unknown>>
      expect(json).toEqual([expect.objectContaining({ prefix, role: 'scanner', revoked_at: null })])
      expect(JSON.stringify(json)).not.toContain(key)

      expect(await run('keys', 'revoke', prefix)).toMatch(/revoked key 1 \(scanner, "belt-3"/)
      expect(await verifier.verify(key)).toBeUndefined()
      expect(await hasActiveApiKeys(db)).toBe(false)
      expect(
        (JSON.parse(await run('keys', 'list', '--json')) as Array<{ revoked_at: unknown }>)[0]?.revoked_at,
      ).toEqual(expect.any(String))

      await expect(run('keys', 'revoke', 'nosuchkey')).rejects.toMatchObject({
        code: 'SPS_AUTH_KEY_NOT_FOUND',
      })
      await expect(run('keys', 'create', '--role', 'root', '--name', 'x')).rejects.toMatchObject({
        code: 'SPS_AUTH_ROLE_INVALID',
      })
    } finally {
      await ctx.close()
    }
  })
})
