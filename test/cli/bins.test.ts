import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Command } from 'commander'
import { register } from '../../src/cli/commands/bins.js'
import { createCliContext, type CliContext } from '../../src/cli/context.js'
import { BALL_LABELS } from '../../src/data/index.js'
import { listBinAssignments } from '../../src/db/index.js'
import { afterEach, describe, expect, test, vi } from '../fixtures.js'

const SAMPLE = path.resolve('docs/bins-sample.csv')

describe('sportscan bins', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  async function withCli(
    tmpDir: string,
    use: (run: (...args: string[]) => Promise<string>, ctx: CliContext) => Promise<void>,
  ) {
    const ctx = createCliContext({ SPORTSCAN_HOME: path.join(tmpDir, 'home'), LOG_LEVEL: 'silent' })
    const out: string[] = []
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      out.push(`${args.map(String).join(' ')}\n`)
    })
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk))
      return true
    })
    const run = async (...args: string[]) => {
      const program = new Command('sportscan').exitOverride()
      register(program, () => ctx)
      out.length = 0
      await program.parseAsync(['node', 'sportscan', ...args])
      return out.join('')
    }
    try {
      await use(run, ctx)
    } finally {
      await ctx.close()
    }
  }

  test('sets, lists, exports and unsets assignments on the server’s database', async ({ tmpDir }) => {
    await withCli(tmpDir, async (run, ctx) => {
      expect(await run('bins', 'list')).toMatch(/no bins assigned yet/)
      expect(await run('bins', 'set', 'basketball', 'A3-B', '--site', 'main', '--capacity', '24')).toBe(
        'basketball -> bin A3-B at site main (capacity 24)\n',
      )
      // The default site is SPORTSCAN_SITE's default, main; capacity left out keeps the bin's.
      expect(await run('bins', 'set', 'volleyball', 'A3-B')).toMatch(
        /volleyball -> bin A3-B at site main \(capacity 24\)/,
      )
      expect(await run('bins', 'list')).toMatch(
        /main\s+basketball\s+A3-B\s+24\nmain\s+volleyball\s+A3-B\s+24/,
      )
      expect(JSON.parse(await run('bins', 'list', '--json'))).toEqual([
        { site: 'main', label: 'basketball', bin: 'A3-B', capacity: 24 },
        { site: 'main', label: 'volleyball', bin: 'A3-B', capacity: 24 },
      ])
      expect(await run('bins', 'export')).toBe(
        'site,label,bin,capacity\nmain,basketball,A3-B,24\nmain,volleyball,A3-B,24\n',
      )
      const out = path.join(tmpDir, 'plan.csv')
      await run('bins', 'export', '--out', out)
      expect(await readFile(out, 'utf8')).toMatch(/^site,label,bin,capacity\n/)
      expect(await run('bins', 'unset', 'volleyball')).toMatch(/volleyball has no bin at site main/)
      expect(await listBinAssignments((await ctx.db()).db)).toMatchObject([{ ballLabel: 'basketball' }])
    })
  })

  test('imports the sample plan in docs/: every ball type gets a bin at site main', async ({ tmpDir }) => {
    await withCli(tmpDir, async (run, ctx) => {
      expect(await run('bins', 'import', SAMPLE)).toBe('imported 15 bin assignments for site(s) main\n')
      const rows = await listBinAssignments((await ctx.db()).db)
      expect(rows.map((r) => r.ballLabel).sort()).toEqual([...BALL_LABELS].sort())
      expect(rows.find((r) => r.ballLabel === 'basketball')).toMatchObject({ binLabel: 'A3-B', capacity: 24 })
      // Importing again is harmless: same plan, same rows.
      await run('bins', 'import', SAMPLE)
      expect(await listBinAssignments((await ctx.db()).db)).toHaveLength(15)
      // --replace: the site keeps only the file's lines.
      const one = path.join(tmpDir, 'one.csv')
      await writeFile(one, 'site,label,bin\nmain,golf_ball,G1\n')
      await run('bins', 'import', one, '--replace')
      expect(await listBinAssignments((await ctx.db()).db)).toMatchObject([
        { ballLabel: 'golf_ball', binLabel: 'G1' },
      ])
    })
  })

  test('refuses bad input with the stable codes and changes nothing', async ({ tmpDir }) => {
    await withCli(tmpDir, async (run, ctx) => {
      await expect(run('bins', 'set', 'frisbee', 'A1')).rejects.toMatchObject({
        code: 'SPS_PUTAWAY_BALL_TYPE_UNKNOWN',
      })
      await expect(run('bins', 'set', 'basketball', 'A 1')).rejects.toMatchObject({
        code: 'SPS_PUTAWAY_BIN_INVALID',
      })
      await expect(run('bins', 'set', 'basketball', 'A1', '--site', 'my site')).rejects.toMatchObject({
        code: 'SPS_PUTAWAY_SITE_INVALID',
      })
      await expect(run('bins', 'set', 'basketball', 'A1', '--capacity', 'lots')).rejects.toMatchObject({
        code: 'SPS_PUTAWAY_CAPACITY_INVALID',
      })
      await expect(run('bins', 'unset', 'basketball')).rejects.toMatchObject({
        code: 'SPS_PUTAWAY_ASSIGNMENT_NOT_FOUND',
      })
      const bad = path.join(tmpDir, 'bad.csv')
      await writeFile(bad, 'site,label,bin\nmain,basketball,A1\nmain,frisbee,F1\n')
      await expect(run('bins', 'import', bad)).rejects.toMatchObject({
        code: 'SPS_PUTAWAY_CSV_INVALID',
        message: expect.stringMatching(/line 3: "frisbee"/),
      })
      expect(await listBinAssignments((await ctx.db()).db)).toEqual([])
    })
  })
})
