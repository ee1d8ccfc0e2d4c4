import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { Command } from 'commander'
import { afterEach, describe, expect, test, vi } from '../fixtures.js'
import { register as registerModels } from '../../src/cli/commands/models.js'
import { register as registerExport } from '../../src/cli/commands/models-export.js'
import { createCliContext, type CliContext } from '../../src/cli/context.js'
import { getArchitecture, saveModelArtifact } from '../../src/model/index.js'
import { loadOnnxClassifier } from '../../src/model/onnx/index.js'
import { registerModel } from '../../src/registry/index.js'

describe('sportscan models export', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  test('writes model.onnx into an artifact folder, and a registry model to --out without touching the registry', async ({
    tmpDir,
  }) => {
    await tf.setBackend('cpu')
    const artifact = path.join(tmpDir, 'bundled')
    const model = getArchitecture('seed-cnn').build({ inputSize: 8, numClasses: 3, seed: 1 })
    await saveModelArtifact(artifact, {
      model,
      labels: ['a', 'b', 'c'],
      preprocess: { size: 8, fit: 'stretch' },
      metadata: { name: 'tiny', version: 1 },
    })
    model.dispose()
    const home = path.join(tmpDir, 'home')
    const ctx: CliContext = createCliContext({ SPORTSCAN_HOME: home, LOG_LEVEL: 'silent' })
    const lines: string[] = []
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '))
    })
    const run = async (...args: string[]) => {
      const program = new Command('sportscan').exitOverride()
      registerModels(program, () => ctx)
      registerExport(program, () => ctx)
      await program.parseAsync(['node', 'sportscan', ...args])
    }
    try {
      await run('models', 'export', artifact, '--format', 'onnx')
      expect(lines.at(-1)).toContain(path.join(artifact, 'model.onnx'))
      const classifier = await loadOnnxClassifier(artifact)
      expect(classifier.ref).toBe('tiny@1')
      await classifier.dispose()

      const registered = await registerModel((await ctx.db()).db, {
        home,
        name: 'balls',
        artifactDir: artifact,
        architecture: 'seed-cnn',
      })
      const before = await readdir(registered.artifactPath)
      const out = path.join(tmpDir, 'exported.onnx')
      await run('models', 'export', 'balls@latest', '--out', out, '--opset', '17')
      expect(lines.at(-1)).toMatch(/balls@1 -> .*exported\.onnx .*opset 17/)
      expect((await stat(out)).size).toBeGreaterThan(1000)
      expect(await readdir(registered.artifactPath)).toEqual(before)

      await expect(run('models', 'export', artifact, '--format', 'tflite')).rejects.toMatchObject({
        code: 'commander.invalidArgument',
      })
    } finally {
      await ctx.close()
    }
  })
})
