import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { loadServedClassifier } from '../../../src/api/inference/index.js'
import type { Config } from '../../../src/config/index.js'
import { createSilentLogger } from '../../../src/log/index.js'
import { initBackend } from '../../../src/model/backend/index.js'
import { loadClassifier, saveModelArtifact, TEST_VIEW_PRESETS } from '../../../src/model/index.js'
import { buildChannelModel, randomImages } from '../../model/tiny-model.js'
import { describe, expect, test, type AppOptions, type TestApp } from '../../fixtures.js'
import { TINY_LABELS, TINY_SIZE, colourImage, postMultipart, writeTinyModel } from '../api-harness.js'

type Serving = Config['serving']

const log = createSilentLogger()

function servedBy(
  makeApp: (options: AppOptions) => Promise<TestApp>,
  modelDir: string,
  serving: Pick<
    Serving,
    'runtime' | 'inferenceThreads' | 'inferenceWorkers' | 'batchWindowMs' | 'maxBatchSize'
  >,
  loaded: Array<'onnx' | 'tfjs'>,
): Promise<TestApp> {
  return makeApp({
    model: modelDir,
    serving,
    load: async (source, home) => {
      const { classifier, runtime } = await loadServedClassifier(source, { serving, home, log })
      loaded.push(runtime)
      return classifier
    },
  })
}

async function predict(app: TestApp, image: Buffer) {
  const res = await postMultipart(app, [{ name: 'img', filename: 'ball.png', value: image }])
  expect(res.statusCode).toBe(200)
  const body: unknown = res.json()
  if (typeof body !== 'object' || body === null) throw new Error('not an object')
  return body as { predicted_label: string; confidence: number }
}

describe('serving runtime (config.serving.runtime)', () => {
  test('answers the same label and confidence with ONNX Runtime as with TF.js, for the same images', async ({
    makeApp,
    tmpDir,
  }) => {
    const modelDir = await writeTinyModel(path.join(tmpDir, 'model'))
    const loaded: Array<'onnx' | 'tfjs'> = []
    const base = { inferenceThreads: 1, inferenceWorkers: 0, batchWindowMs: 0, maxBatchSize: 1 }
    const tfjs = await servedBy(makeApp, modelDir, { ...base, runtime: 'tfjs' }, loaded)
    const onnx = await servedBy(makeApp, modelDir, { ...base, runtime: 'onnx' }, loaded)
    const auto = await servedBy(makeApp, modelDir, { ...base, runtime: 'auto', maxBatchSize: 8 }, loaded)
    const pooled = await servedBy(
      makeApp,
      modelDir,
      { ...base, runtime: 'onnx', inferenceWorkers: 1 },
      loaded,
    )
    expect(loaded).toEqual(['tfjs', 'onnx', 'onnx', 'onnx'])
    // The export went to the server's cache, never into the artifact folder.
    expect(await readdir(modelDir)).not.toContain('model.onnx')
    expect((await readdir(path.join(onnx.home, 'onnx-cache'))).some((f) => f.endsWith('.onnx'))).toBe(true)
    for (const n of [1, 2, 3]) {
      const image = await colourImage(n, 40, 'jpeg')
      const [a, b, c, d] = await Promise.all([
        predict(tfjs, image),
        predict(onnx, image),
        predict(auto, image),
        predict(pooled, image),
      ])
      expect(d.predicted_label).toBe(a.predicted_label)
      expect(Math.abs(d.confidence - a.confidence)).toBeLessThan(1e-4)
      expect(TINY_LABELS).toContain(a.predicted_label)
      expect(b.predicted_label).toBe(a.predicted_label)
      expect(c.predicted_label).toBe(a.predicted_label)
      expect(Math.abs(b.confidence - a.confidence)).toBeLessThan(1e-4)
      expect(Math.abs(c.confidence - a.confidence)).toBeLessThan(1e-4)
    }
  })

  test('auto falls back to TF.js when the model cannot be exported; onnx refuses it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sportscan-runtime-permute-'))
    const home = await mkdtemp(path.join(os.tmpdir(), 'sportscan-runtime-home-'))
    try {
      await initBackend()
      // Permute has no ONNX converter: a real artifact only TF.js can serve.
      const model = tf.sequential({
        layers: [
          tf.layers.permute({ dims: [2, 1, 3], inputShape: [TINY_SIZE, TINY_SIZE, 3] }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 2, activation: 'softmax' }),
        ],
      })
      await saveModelArtifact(dir, {
        model,
        labels: ['a', 'b'],
        preprocess: { size: TINY_SIZE, fit: 'stretch' },
      })
      model.dispose()
      const source = {
        key: `dir:${dir}`,
        dir,
        origin: 'bundled' as const,
        precision: 'auto' as const,
        testViews: 'model' as const,
      }
      const serving = { inferenceThreads: 1, inferenceWorkers: 0, batchWindowMs: 0, maxBatchSize: 1 }
      const auto = await loadServedClassifier({ ...source, runtime: 'auto' }, { serving, home, log })
      expect(auto.runtime).toBe('tfjs')
      const [probs] = await auto.classifier.predict([new Float32Array(TINY_SIZE * TINY_SIZE * 3).fill(0.5)])
      expect(probs?.length).toBe(2)
      await auto.classifier.dispose()
      await expect(
        loadServedClassifier({ ...source, runtime: 'onnx' }, { serving, home, log }),
      ).rejects.toMatchObject({ code: 'SPS_ONNX_UNSUPPORTED_LAYER' })
    } finally {
      await rm(dir, { recursive: true, force: true })
      await rm(home, { recursive: true, force: true })
    }
  })

  test('serves the view preset SPORTSCAN_TEST_VIEWS names on every runtime, and refuses an uncalibrated one', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sportscan-runtime-views-'))
    const home = await mkdtemp(path.join(os.tmpdir(), 'sportscan-runtime-home-'))
    try {
      await initBackend()
      const model = buildChannelModel(16)
      await saveModelArtifact(dir, {
        model,
        labels: ['red', 'green', 'blue'],
        preprocess: { size: 16, fit: 'stretch' },
        temperature: 0.9,
        views: TEST_VIEW_PRESETS['centre-flip'],
        viewTemperatures: { 'centre-flip': 0.9, full: 2 },
      })
      model.dispose()
      const source = {
        key: `dir:${dir}`,
        dir,
        origin: 'bundled' as const,
        precision: 'auto' as const,
        testViews: 'full' as const,
      }
      const images = randomImages(3, 16, 11)
      const reference = await loadClassifier(dir, { testViews: 'full' })
      const expected = await reference.predict(images)
      await reference.dispose()
      const base = { inferenceThreads: 1, batchWindowMs: 0, maxBatchSize: 4 }
      for (const [runtime, inferenceWorkers] of [
        ['tfjs', 0],
        ['onnx', 0],
        ['onnx', 1],
      ] as const) {
        const serving = { ...base, inferenceWorkers }
        const { classifier } = await loadServedClassifier({ ...source, runtime }, { serving, home, log })
        const got = await classifier.predict(images)
        got.forEach((row, i) => row.forEach((v, k) => expect(v).toBeCloseTo(expected[i]![k]!, 4)))
        await classifier.dispose()
        await expect(
          loadServedClassifier({ ...source, runtime, testViews: 'multi-crop' }, { serving, home, log }),
        ).rejects.toMatchObject({ code: 'SPS_MODEL_ARTIFACT_INVALID' })
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
      await rm(home, { recursive: true, force: true })
    }
  })
})
