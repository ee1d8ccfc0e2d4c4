import path from 'node:path'
import { Command } from 'commander'
import { afterEach, describe, expect, test, vi } from '../fixtures.js'
import { register } from '../../src/cli/commands/evaluate.js'
import { createCliContext, type CliContext } from '../../src/cli/context.js'
import { importDataset } from '../../src/data/index.js'
import { registerModel } from '../../src/registry/index.js'
import { writeTinyModel } from '../api/api-harness.js'
import { makeImage, writeTree } from '../data/images.js'

describe('sportscan evaluate on photos the model was trained on', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  test('says how many scored photos were in its training and validation split, by content', async ({
    tmpDir,
  }) => {
    // 8 distinct photos per class; the model's recorded split (stratified, 25% val, 25% test) is rebuilt.
    const data = path.join(tmpDir, 'photos')
    const tree: Record<string, Buffer> = {}
    for (const [c, label] of ['basketball', 'tennis_ball'].entries()) {
      for (let i = 0; i < 8; i++) {
        const colour = `#${((c * 8 + i) * 997 + 0x102030).toString(16).padStart(6, '0').slice(-6)}`
        tree[`${label}/${i}.png`] = await makeImage('png', { colour, width: 24 + i, height: 16 + c })
      }
    }
    await writeTree(data, tree)
    const home = path.join(tmpDir, 'home')
    const ctx: CliContext = createCliContext({ SPORTSCAN_HOME: home, LOG_LEVEL: 'silent' })
    const out: string[] = []
    const err: string[] = []
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => out.push(args.map(String).join(' ')))
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) =>
      err.push(args.map(String).join(' ')),
    )
    const run = async (...args: string[]) => {
      const program = new Command('sportscan').exitOverride()
      register(program, () => ctx)
      out.length = 0
      err.length = 0
      await program.parseAsync(['node', 'sportscan', ...args])
    }
    try {
      const db = (await ctx.db()).db
      const imported = await importDataset(data, { home, db, log: ctx.log })
      const registered = await registerModel(db, {
        home,
        name: 'tiny',
        artifactDir: await writeTinyModel(path.join(tmpDir, 'model')),
        architecture: 'tiny-dense',
        datasetVersion: imported.version,
        split: { kind: 'stratified', valFraction: 0.25, testFraction: 0.25, seed: 1 },
      })
      await run('evaluate', '--data', data, '--model', registered.ref, '--json')
      const result = JSON.parse(out[0] ?? '') as { trainingOverlap: unknown }
      // 16 photos: 4 per class in training, 2 in validation, 2 in test.
      expect(result.trainingOverlap).toEqual({ isChecked: true, scored: 16, inTrain: 8, inVal: 4 })

      await run('evaluate', '--data', data, '--model', registered.ref)
      expect(err.join('\n')).toContain(
        "warning: 8 of the 16 photos scored were in the model's training split and 4 in its validation split",
      )
    } finally {
      await ctx.close()
    }
  })
})
