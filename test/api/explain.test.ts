import { rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { sql } from 'drizzle-orm'
import sharp from 'sharp'
import { loadServedClassifier } from '../../src/api/inference/index.js'
import { loadConfig } from '../../src/config/index.js'
import { imagesDir } from '../../src/data/index.js'
import { afterAll, beforeAll, describe, expect, test, type TestApp } from '../fixtures.js'
import { postMultipart } from './api-harness.js'
import { writeTinyConvModel } from './explain-model.js'

async function photo(width: number, height: number): Promise<Buffer> {
  const left = await sharp({ create: { width: width / 2, height, channels: 3, background: '#d02020' } })
    .png()
    .toBuffer()
  return sharp({ create: { width, height, channels: 3, background: '#2040c0' } })
    .composite([{ input: left, left: 0, top: 0 }])
    .jpeg()
    .toBuffer()
}

// A small conv net (Grad-CAM needs a convolution layer), written once for the file.
const convModelDir = path.join(os.tmpdir(), `sportscan-explain-${process.pid}-${Date.now().toString(36)}`)
beforeAll(async () => {
  await writeTinyConvModel(convModelDir)
})
afterAll(async () => {
  await rm(convModelDir, { recursive: true, force: true })
})

async function scan(app: TestApp, image: Buffer, url = '/predict') {
  const res = await postMultipart(app, [{ name: 'img', filename: 'ball.jpg', value: image }], {}, url)
  expect(res.statusCode, res.body).toBe(200)
  return res.json<{ id: string; model: string; explanation_url?: string }>()
}

// One database driver: Grad-CAM does not depend on it (the scan lookups are tested on both elsewhere), and each
// app starts its own Grad-CAM worker thread, which costs seconds.
describe('GET /predictions/:id/explain', () => {
  test.override({ appOptions: { model: convModelDir, serving: { storeImages: true } } })

  test('answers a PNG overlay the size of the photo, the same on a second call', async ({ app }) => {
    const { id } = await scan(app, await photo(120, 80))
    const first = await app.inject({ method: 'GET', url: `/predictions/${id}/explain` })
    expect(first.statusCode, first.body).toBe(200)
    expect(first.headers['content-type']).toBe('image/png')
    const meta = await sharp(first.rawPayload).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 120, 80])
    const second = await app.inject({ method: 'GET', url: `/predictions/${id}/explain` })
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true)
  })

  test('POST /predict?explain=1 links the overlay; plain /predict does not', async ({ app }) => {
    const explained = await scan(app, await photo(40, 40), '/predict?explain=1')
    expect(explained.explanation_url).toBe(`/predictions/${explained.id}/explain`)
    const res = await app.inject({ method: 'GET', url: explained.explanation_url ?? '' })
    expect(res.statusCode).toBe(200)
    expect((await scan(app, await photo(40, 40))).explanation_url).toBeUndefined()
  })

  test('is listed in /openapi.json, where the dashboard looks for it', async ({ app }) => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>
    }>()
    expect(doc.paths['/predictions/{id}/explain']?.['get']).toBeDefined()
  })

  test('answers 404 {code, message} without the photo, for another model, and for an unknown scan', async ({
    app,
  }) => {
    const kept = await scan(app, await photo(34, 34))
    await app.db.db.execute(sql`update predictions set model = 'tiny@0' where id = ${kept.id}`)
    const swapped = await app.inject({ method: 'GET', url: `/predictions/${kept.id}/explain` })
    expect(swapped.statusCode).toBe(404)
    expect(swapped.json()).toEqual({
      code: 'SPS_API_EXPLANATION_UNAVAILABLE',
      message: expect.stringContaining('made by tiny@0 and the server now runs tiny@1'),
    })

    const lost = await scan(app, await photo(32, 32))
    await rm(imagesDir(app.home), { recursive: true, force: true })
    const missing = await app.inject({ method: 'GET', url: `/predictions/${lost.id}/explain` })
    expect(missing.statusCode).toBe(404)
    expect(missing.json<{ code: string }>().code).toBe('SPS_API_IMAGE_NOT_KEPT')

    const unknown = await app.inject({
      method: 'GET',
      url: '/predictions/00000000-0000-4000-8000-000000000000/explain',
    })
    expect(unknown.json<{ code: string }>().code).toBe('SPS_API_PREDICTION_NOT_FOUND')
  })

  test('without STORE_IMAGES, explains the latest scans from memory; older ones answer 404', async ({
    makeApp,
  }) => {
    const memoryOnly = await makeApp({ model: convModelDir, serving: { storeImages: false } })
    const first = (await scan(memoryOnly, await photo(44, 44))).id
    const explained = await memoryOnly.inject({ method: 'GET', url: `/predictions/${first}/explain` })
    expect(explained.statusCode, explained.body).toBe(200)
    expect((await sharp(explained.rawPayload).metadata()).width).toBe(44)
    // 32 newer, different photos push the first out of memory
    for (let i = 0; i < 32; i++) await scan(memoryOnly, await photo(46 + 2 * i, 40))
    const gone = await memoryOnly.inject({ method: 'GET', url: `/predictions/${first}/explain` })
    expect(gone.statusCode).toBe(404)
    expect(gone.json<{ code: string }>().code).toBe('SPS_API_IMAGE_NOT_KEPT')
  })

  test('answers 404 for a model without a convolution layer', async ({ makeApp }) => {
    // The default test model: a dense layer on the pixels.
    const dense = await makeApp({ serving: { storeImages: true } })
    const { id } = await scan(dense, await photo(36, 36))
    const res = await dense.inject({ method: 'GET', url: `/predictions/${id}/explain` })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toEqual({
      code: 'SPS_API_EXPLANATION_UNAVAILABLE',
      message: expect.stringContaining('no convolution layer'),
    })
  })
})

const bundledModelDir = fileURLToPath(new URL('../../models/sports-ball-cnn', import.meta.url))

describe('Grad-CAM of the bundled network', () => {
  test('runs off the event loop: scans are answered while it computes', async ({ makeApp, log }) => {
    // Served as in production (ONNX worker pool), so the only TF.js work left is the explanation's.
    const app = await makeApp({
      model: bundledModelDir,
      serving: { storeImages: true },
      load: async (source, home) => {
        const { serving } = loadConfig({ SPORTSCAN_HOME: home })
        return (await loadServedClassifier(source, { serving, home, log })).classifier
      },
    })
    const { id } = await scan(app, await photo(400, 300))
    const delay = monitorEventLoopDelay({ resolution: 10 })
    delay.enable()
    const started = performance.now()
    let isExplained = false
    const explained = app.inject({ method: 'GET', url: `/predictions/${id}/explain` }).finally(() => {
      isExplained = true
    })
    let answeredMeanwhile = 0
    for (let i = 0; !isExplained; i++) {
      await scan(app, await photo(200 + 2 * (i % 50), 160))
      if (!isExplained) answeredMeanwhile++
    }
    const res = await explained
    const explainMs = performance.now() - started
    delay.disable()
    expect(res.statusCode, res.body).toBe(200)
    expect((await sharp(res.rawPayload).metadata()).width).toBe(400)
    // Loading the layers model and running Grad-CAM on the event loop would hold it for most of this time.
    expect(answeredMeanwhile).toBeGreaterThanOrEqual(3)
    expect(delay.max / 1e6, `event loop held ${delay.max / 1e6} ms of ${explainMs} ms`).toBeLessThan(
      explainMs / 4,
    )
  })
})
