import path from 'node:path'
import { loadServedClassifier } from '../../../src/api/inference/index.js'
import type { Config } from '../../../src/config/index.js'
import { createSilentLogger } from '../../../src/log/index.js'
import { describe, expect, test } from '../../fixtures.js'
import { colourImage, postMultipart, writeTinyModel } from '../api-harness.js'

const log = createSilentLogger()

type Answer = { id: string; predicted_label: string; confidence: number }

describe('POST /predict under concurrent load', () => {
  test('requests share micro-batches run by the ONNX worker pool, one batch in flight per worker; every answer is stored', async ({
    makeApp,
    tmpDir,
  }) => {
    const modelDir = await writeTinyModel(path.join(tmpDir, 'model'))
    const pooled: Pick<
      Config['serving'],
      'runtime' | 'inferenceThreads' | 'inferenceWorkers' | 'batchWindowMs' | 'maxBatchSize'
    > = { runtime: 'onnx', inferenceThreads: 1, inferenceWorkers: 2, batchWindowMs: 40, maxBatchSize: 4 }
    const batches: Array<{ size: number; inFlight: number }> = []
    const app = await makeApp({
      model: modelDir,
      serving: pooled,
      load: async (source, home) =>
        (
          await loadServedClassifier(source, {
            serving: pooled,
            home,
            log,
            onBatch: (size, inFlight) => batches.push({ size, inFlight }),
          })
        ).classifier,
    })
    // The reference: the same model one request at a time, in this thread.
    const single = { ...pooled, inferenceWorkers: 0, maxBatchSize: 1 }
    const reference = await makeApp({
      model: modelDir,
      serving: single,
      load: async (source, home) =>
        (await loadServedClassifier(source, { serving: single, home, log })).classifier,
    })

    const images = await Promise.all(Array.from({ length: 12 }, (_, i) => colourImage(i + 1, 40, 'jpeg')))
    const responses = await Promise.all(
      images.map((image, i) =>
        postMultipart(app, [{ name: 'img', filename: `ball-${i}.jpg`, value: image }]),
      ),
    )
    expect(responses.map((r) => r.statusCode)).toEqual(images.map(() => 200))
    const answers = responses.map((r) => r.json<Answer>())

    // Batching happened (12 requests in fewer runtime calls), never above the limits, and both workers ran.
    expect(batches.reduce((n, b) => n + b.size, 0)).toBe(12)
    expect(batches.length).toBeLessThan(12)
    expect(Math.max(...batches.map((b) => b.size))).toBeLessThanOrEqual(4)
    expect(Math.max(...batches.map((b) => b.inFlight))).toBe(2)

    // Rows stored == 2xx answers, each under its own id (before the reference app, which shares the database, adds its own).
    const history = (await app.inject({ method: 'GET', url: '/history?limit=100' })).json<{
      total: number
      items: Array<{ id: string }>
    }>()
    expect(history.total).toBe(12)
    expect(new Set(history.items.map((p) => p.id))).toEqual(new Set(answers.map((a) => a.id)))
    // Each request got its own image's answer, as if served alone.
    for (const [i, image] of images.entries()) {
      const alone = (
        await postMultipart(reference, [{ name: 'img', filename: 'one.jpg', value: image }])
      ).json<Answer>()
      expect(answers[i]?.predicted_label).toBe(alone.predicted_label)
      expect(Math.abs((answers[i]?.confidence ?? 0) - alone.confidence)).toBeLessThan(1e-4)
    }
  })
})
