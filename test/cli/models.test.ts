import path from 'node:path'
import { Command } from 'commander'
import { afterEach, describe, expect, test, vi } from '../fixtures.js'
import { register } from '../../src/cli/commands/models.js'
import { createCliContext, type CliContext } from '../../src/cli/context.js'

describe('sportscan models with the bundled model serving (a fresh clone)', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  test('list names the bundled model with its accuracy; show takes its ref or "bundled"', async ({
    tmpDir,
  }) => {
    // The repository's own bundled model, as `serve` finds it on a fresh clone (empty registry).
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
      const listed = await run('models', 'list')
      expect(listed).not.toMatch(/no model/i)
      expect(listed).toMatch(/^sports-ball-cnn@bundled-\S+\s+serving \(bundled\)\s+-\s+\d+\.\d%/m)
      const ref = /^(sports-ball-cnn@bundled-\S+)/m.exec(listed)?.[1] ?? ''
      for (const name of [ref, 'bundled']) {
        const shown = await run('models', 'show', name)
        expect(shown).toContain(`model         ${ref}`)
        expect(shown).toMatch(/origin\s+bundled/)
        expect(shown).toMatch(/model card\s+\S+README\.md/)
        expect(shown).toMatch(/accuracy\s+\d+\.\d%/)
      }
      const json = JSON.parse(await run('models', 'list', '--json')) as Array<Record<string, unknown>>
      expect(json[0]).toMatchObject({ ref, origin: 'bundled', isServing: true })
    } finally {
      await ctx.close()
    }
  })
})
