import path from 'node:path'
import { Command } from 'commander'
import { afterEach, describe, expect, test, vi } from '../fixtures.js'
import { register } from '../../src/cli/commands/data.js'
import { createCliContext, type CliContext } from '../../src/cli/context.js'
import { makeImage, writeTree } from '../data/images.js'

describe('sportscan data', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  test('imports a folder, then lists and shows the version it printed', async ({ tmpDir }) => {
    const source = path.join(tmpDir, 'photos')
    await writeTree(source, {
      'baseball/a.png': await makeImage('png', { width: 30, height: 20 }),
      'baseball/b.jpg': await makeImage('jpeg', { width: 10, height: 40 }),
      'bowling_ball/c.webp': await makeImage('webp', { width: 50, height: 30 }),
      'bowling_ball/broken.jpg': Buffer.from('not a jpeg'),
    })
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
      const imported = await run('data', 'import', source)
      const version = /dataset version ([0-9a-f]{64})/.exec(imported)?.[1] ?? ''
      expect(version).toHaveLength(64)
      expect(imported).toMatch(/new version: 3 images in 2 classes/)
      expect(imported).toMatch(/bowling_ball\/broken\.jpg: not a decodable image/)

      expect(await run('data', 'import', source)).toMatch(/already imported/)
      expect(await run('data', 'list')).toContain(version.slice(0, 12))

      const shown: unknown = JSON.parse(await run('data', 'show', version.slice(0, 10), '--json'))
      expect(shown).toMatchObject({
        version,
        imageCount: 3,
        classCounts: { baseball: 2, bowling_ball: 1 },
        width: { min: 10, median: 30, max: 50 },
        height: { min: 20, median: 30, max: 40 },
      })
      expect(await run('data', 'show', version)).toMatch(/width\s+10\s+30\s+50/)
    } finally {
      await ctx.close()
    }
  })
})
