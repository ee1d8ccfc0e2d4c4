import { rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { registerModel } from '../../src/registry/index.js'
import { afterAll, beforeAll, describe, expect, test, testDrivers } from '../fixtures.js'
import { writeTinyModel } from './api-harness.js'

interface ModelEntry {
  ref: string
  confusion_matrix_url: string | null
  learning_curves_url: string | null
}
interface ModelsBody {
  serving: (ModelEntry & { origin: string }) | null
  models: ModelEntry[]
}

const png = (colour: string) =>
  sharp({ create: { width: 6, height: 4, channels: 3, background: colour } })
    .png()
    .toBuffer()

// The bundled model has a confusion matrix, the registered one learning curves: written once for the file.
const work = path.join(os.tmpdir(), `sportscan-model-files-${process.pid}-${Date.now().toString(36)}`)
const bundledDir = path.join(work, 'bundled')
const trainedDir = path.join(work, 'trained')
let bundledPlot: Buffer
let registeredPlot: Buffer
beforeAll(async () => {
  await writeTinyModel(bundledDir)
  bundledPlot = await png('#ff0000')
  await writeFile(path.join(bundledDir, 'confusion-matrix.png'), bundledPlot)
  await writeFile(path.join(bundledDir, 'metrics.json'), JSON.stringify({ accuracy: 0.75, macroF1: 0.7 }))
  await writeFile(path.join(bundledDir, 'README.md'), '# Model card: tiny\n')
  await writeTinyModel(trainedDir, { seed: 3 })
  registeredPlot = await png('#00ff00')
  await writeFile(path.join(trainedDir, 'learning-curves.png'), registeredPlot)
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

/** The app, with the trained model registered (not promoted: the bundled one is served). */
const it = test.extend('get', async ({ app }) => {
  await registerModel(app.db.db, {
    home: app.home,
    name: 'sports-ball-cnn',
    artifactDir: trainedDir,
    architecture: 'tiny-dense',
  })
  return (url: string) => app.inject({ method: 'GET', url })
})

describe.each(testDrivers)('model plots (%s)', (driver) => {
  it.override({ driver, appOptions: { model: bundledDir } })

  it('GET /models links the plots each artifact folder has, the bundled model included', async ({ get }) => {
    const body = (await get('/models')).json<ModelsBody>()
    expect(body.serving).toMatchObject({
      ref: 'tiny@1',
      origin: 'bundled',
      confusion_matrix_url: '/models/tiny/1/files/confusion-matrix.png',
      learning_curves_url: null,
    })
    expect(body.models).toEqual([
      expect.objectContaining({
        ref: 'sports-ball-cnn@1',
        confusion_matrix_url: null,
        learning_curves_url: '/models/sports-ball-cnn/1/files/learning-curves.png',
      }),
    ])
  })

  it('GET /models describes the bundled model like a registered one: metrics and model card', async ({
    get,
  }) => {
    const body = (await get('/models')).json<{ serving: Record<string, unknown> }>()
    expect(body.serving).toMatchObject({
      name: 'tiny',
      version: '1',
      metrics: { accuracy: 0.75, macroF1: 0.7 },
      model_card_url: '/models/tiny/1/files/README.md',
    })
    const card = await get('/models/tiny/1/files/README.md')
    expect(card.statusCode).toBe(200)
    expect(card.headers['content-type']).toMatch(/^text\/markdown/)
    expect(card.body).toBe('# Model card: tiny\n')
  })

  it('serves the linked PNGs byte for byte', async ({ get }) => {
    const bundled = await get('/models/tiny/1/files/confusion-matrix.png')
    expect(bundled.statusCode).toBe(200)
    expect(bundled.headers['content-type']).toBe('image/png')
    expect(bundled.rawPayload.equals(bundledPlot)).toBe(true)
    const registered = await get('/models/sports-ball-cnn/1/files/learning-curves.png')
    expect(registered.rawPayload.equals(registeredPlot)).toBe(true)
  })

  it('answers 404 for a plot the folder lacks or a model that does not exist', async ({ get }) => {
    for (const url of [
      '/models/tiny/1/files/learning-curves.png',
      '/models/sports-ball-cnn/1/files/confusion-matrix.png',
    ]) {
      const res = await get(url)
      expect(res.statusCode, url).toBe(404)
      expect(res.json<{ code: string }>().code).toBe('SPS_API_MODEL_FILE_NOT_FOUND')
    }
    expect((await get('/models/sports-ball-cnn/7/files/learning-curves.png')).json()).toMatchObject({
      code: 'SPS_REGISTRY_MODEL_NOT_FOUND',
    })
    expect((await get('/models/sports-ball-cnn/production/files/learning-curves.png')).statusCode).toBe(404)
  })

  it('serves only whitelisted file names: no traversal, no other artifact files', async ({ get }) => {
    for (const url of [
      '/models/tiny/1/files/..%2F..%2F..%2Fetc%2Fpasswd',
      '/models/tiny/1/files/..%2Fconfusion-matrix.png',
      '/models/tiny/1/files/model.json',
      '/models/tiny/1/files/weights.bin',
    ]) {
      const res = await get(url)
      expect(res.statusCode, url).toBe(400)
      expect(res.json<{ code: string }>().code).toBe('SPS_API_VALIDATION')
    }
    for (const url of [
      '/models/..%2F..%2Fbundled/1/files/confusion-matrix.png',
      '/models/tiny/..%2F1/files/confusion-matrix.png',
    ]) {
      // The registry refuses such a name (400) or finds no model (404); never a file.
      const res = await get(url)
      expect([400, 404], url).toContain(res.statusCode)
      expect(res.headers['content-type']).toMatch(/json/)
    }
  })
})
