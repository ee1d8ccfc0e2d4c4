import { readdir } from 'node:fs/promises'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { Command } from 'commander'
import { afterEach, describe, expect, test, vi } from '../fixtures.js'
import { register } from '../../src/cli/commands/evaluate.js'
import { createCliContext, type CliContext } from '../../src/cli/context.js'
import { saveModelArtifact } from '../../src/model/index.js'
import { makeImage, writeTree } from '../data/images.js'
import { buildChannelModel } from '../model/tiny-model.js'

describe('sportscan evaluate', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  test('prints one JSON object for the bundled model and writes its confusion matrix under the home folder', async ({
    tmpDir,
  }) => {
    await tf.setBackend('cpu')
    const modelDir = path.join(tmpDir, 'bundled')
    const model = buildChannelModel()
    await saveModelArtifact(modelDir, {
      model,
      labels: ['red', 'green', 'blue'],
      preprocess: { size: 16, fit: 'stretch' },
      metadata: { name: 'channels', version: 2 },
    })
    model.dispose()
    const data = path.join(tmpDir, 'photos')
    await writeTree(data, {
      'red/a.png': await makeImage('png', { colour: '#e01010' }),
      'blue/b.png': await makeImage('png', { colour: '#1010e0' }),
      'blue/c.png': await makeImage('png', { colour: '#10e010' }),
    })
    const home = path.join(tmpDir, 'home')
    const ctx: CliContext = createCliContext({
      SPORTSCAN_HOME: home,
      SPORTSCAN_BUNDLED_MODEL: modelDir,
      SPORTSCAN_THRESHOLD: '0.55',
      LOG_LEVEL: 'silent',
    })
    const lines: string[] = []
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '))
    })
    const run = async (...args: string[]) => runWith(ctx, ...args)
    const runWith = async (context: CliContext, ...args: string[]) => {
      const program = new Command('sportscan').exitOverride()
      register(program, () => context)
      lines.length = 0
      await program.parseAsync(['node', 'sportscan', ...args])
      return lines
    }
    try {
      const printed = await run('evaluate', '--data', data, '--json')
      expect(printed).toHaveLength(1)
      const result: unknown = JSON.parse(printed[0] ?? '')
      expect(result).toMatchObject({
        model: 'channels@2',
        n: 3,
        labels: ['red', 'green', 'blue'],
        confusion: [
          [1, 0, 0],
          [0, 0, 0],
          [0, 1, 1],
        ],
        perClass: { blue: { precision: 1, recall: 0.5, support: 2 } },
      })
      expect((result as { accuracy: number }).accuracy).toBeCloseTo(2 / 3, 12)
      // The review trade-off, with the configured threshold among the reported ones.
      const points = (result as { byThreshold: Array<{ threshold: number; coverage: number }> }).byThreshold
      expect(points.map((p) => p.threshold)).toEqual([0.3, 0.4, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9])
      const coverages = points.map((p) => p.coverage)
      expect(coverages).toEqual([...coverages].sort((a, b) => b - a))
      const [evaluation] = await readdir(path.join(home, 'evaluations'))
      expect(await readdir(path.join(home, 'evaluations', evaluation ?? ''))).toEqual([
        'confusion-matrix.png',
        'metrics.json',
      ])

      const out = path.join(tmpDir, 'out')
      const report = (await run('evaluate', '--data', data, '--model', modelDir, '--out', out)).join('\n')
      expect(report).toMatch(/accuracy\s+66\.7%/)
      expect(report).toMatch(/^\s+0\.55\s+\d+\.\d%\s+(\d+\.\d%|-)\s+<- SPORTSCAN_THRESHOLD$/m)
      expect(await readdir(out)).toContain('confusion-matrix.png')

      // A view preset the model was not calibrated for is refused by name; its own views are always there.
      await expect(run('evaluate', '--data', data, '--test-views', 'centre')).rejects.toThrow(
        /no temperature for test views "centre"/,
      )
      await expect(run('evaluate', '--data', data, '--test-views', 'ten-crop')).rejects.toThrow(/invalid/)
      expect((await run('evaluate', '--data', data, '--test-views', 'full')).join('\n')).toMatch(
        /accuracy\s+66\.7%/,
      )
      // SPORTSCAN_TEST_VIEWS is the default, as for serving; a folder is scored without opening the database.
      const centre = createCliContext({
        SPORTSCAN_HOME: path.join(tmpDir, 'other-home'),
        SPORTSCAN_TEST_VIEWS: 'centre',
        LOG_LEVEL: 'silent',
      })
      await expect(runWith(centre, 'evaluate', '--data', data, '--model', modelDir)).rejects.toThrow(
        /no temperature for test views "centre"/,
      )
      await centre.close()
      await expect(readdir(path.join(tmpDir, 'other-home'))).rejects.toMatchObject({ code: 'ENOENT' })
    } finally {
      await ctx.close()
    }
  })
})
