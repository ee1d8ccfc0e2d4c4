import { access, readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { loadServedClassifier } from '../../../src/api/inference/index.js'
import { loadConfig } from '../../../src/config/index.js'
import { createSeededRandom, preprocessImage } from '../../../src/data/index.js'
import { initBackend, readArtifactSidecar } from '../../../src/model/index.js'
import { resolveServedModel } from '../../../src/registry/index.js'
import { describe, expect, test } from '../../fixtures.js'
import { maxAbsDifference } from '../../model/onnx/onnx-parity.js'

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url))
const bundledModelDir = path.join(repoRoot, 'models/sports-ball-cnn')

/**
 * Four photos at their own size: one from each of four classes of SPORTSCAN_DATASET (which must exist when set),
 * else generated 640x480 noise-and-gradient pictures, so the test runs on a fresh clone without the dataset.
 */
async function photos(): Promise<Buffer[]> {
  const dataset = process.env.SPORTSCAN_DATASET
  if (dataset) {
    await expect(access(dataset), `SPORTSCAN_DATASET=${dataset} does not exist`).resolves.toBeUndefined()
    const classes = (await readdir(dataset, { withFileTypes: true })).filter((d) => d.isDirectory())
    return Promise.all(
      classes.slice(0, 4).map(async (c) => {
        const [first] = (await readdir(path.join(dataset, c.name))).filter((f) => f.endsWith('.jpg')).sort()
        return readFile(path.join(dataset, c.name, first ?? ''))
      }),
    )
  }
  return Promise.all(
    [1, 2, 3, 4].map((seed) => {
      const random = createSeededRandom(seed)
      const pixels = Buffer.alloc(640 * 480 * 3)
      for (let i = 0; i < pixels.length; i++) pixels[i] = Math.round(((i / 3) % 640) / 3 + random() * 40)
      return sharp(pixels, { raw: { width: 640, height: 480, channels: 3 } })
        .jpeg()
        .toBuffer()
    }),
  )
}

// Whatever model is bundled (the lead replaces it from time to time): the served path and the path that
// `sportscan evaluate` and the retraining gate score through must give the same probabilities.
describe('the bundled model, served as the resolver says', () => {
  test('answers within 1e-4 through the ONNX worker pool with its views and through TF.js', async ({
    database,
    tmpDir,
    log,
  }) => {
    const config = loadConfig({ SPORTSCAN_HOME: tmpDir, SPORTSCAN_BUNDLED_MODEL: bundledModelDir })
    const served = await resolveServedModel(database.handle.db, config.serving)
    expect(served).toMatchObject({ origin: 'bundled', dir: bundledModelDir, testViews: 'model' })
    const sidecar = await readArtifactSidecar(served.dir)
    const images = await Promise.all(
      (await photos()).map((bytes) => preprocessImage(bytes, sidecar.preprocess)),
    )
    expect(images[0]?.length).toBe(sidecar.preprocess.size * sidecar.preprocess.size * 3)

    await initBackend({ log })
    const serving = { inferenceThreads: 1, inferenceWorkers: 1, batchWindowMs: 0, maxBatchSize: 1 }
    const pooled = await loadServedClassifier(
      { ...served, runtime: 'onnx', precision: 'fp32' },
      { serving, home: tmpDir, log },
    )
    const tfjs = await loadServedClassifier({ ...served, runtime: 'tfjs' }, { serving, home: tmpDir, log })
    try {
      expect([pooled.runtime, tfjs.runtime]).toEqual(['onnx', 'tfjs'])
      const [viaOnnx, viaTfjs] = await Promise.all([
        pooled.classifier.predict(images),
        tfjs.classifier.predict(images),
      ])
      expect(viaOnnx).toHaveLength(images.length)
      viaOnnx.forEach((probs, i) => {
        expect(probs).toHaveLength(sidecar.labels.length)
        expect(maxAbsDifference(probs, viaTfjs[i] ?? []), `image ${i}`).toBeLessThan(1e-4)
      })
      // SPORTSCAN_PRECISION=auto: the int8 twin when the model ships one, close to the float answers.
      const auto = await loadServedClassifier(
        { ...served, precision: 'auto' },
        { serving, home: tmpDir, log },
      )
      try {
        const shipsInt8 = sidecar.int8 !== undefined
        expect(auto.precision).toBe(shipsInt8 ? 'int8' : 'fp32')
        const viaAuto = await auto.classifier.predict(images)
        viaAuto.forEach((probs, i) => {
          expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4)
          // total variation distance to the float answer: rounding moves probabilities, not the picture
          const tv = probs.reduce((sum, p, k) => sum + Math.abs(p - (viaTfjs[i]?.[k] ?? 0)), 0) / 2
          expect(tv, `image ${i}`).toBeLessThan(shipsInt8 ? 0.35 : 1e-4)
        })
      } finally {
        await auto.classifier.dispose()
      }
    } finally {
      await Promise.all([pooled.classifier.dispose(), tfjs.classifier.dispose()])
    }
  })
})
