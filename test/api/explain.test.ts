import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { imagesDir } from '../../src/data/index.js'
import { testDrivers } from '../fixtures.js'
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js'
import { multipart, startTestApi, writeTinyModel, type TestApi } from './api-harness.js'
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

describe.each(testDrivers)('GET /predictions/:id/explain (%s)', (driver) => {
  let database: TestDatabase
  let api: TestApi
  let modelDir: string

  beforeAll(async () => {
    modelDir = await mkdtemp(path.join(os.tmpdir(), 'sportscan-explain-'))
    await writeTinyConvModel(modelDir)
    database = await createTestDatabase(driver)
    api = await startTestApi(database.handle, modelDir, { storeImages: true })
  })
  afterAll(async () => {
    await api?.close()
    await database?.dispose()
    await rm(modelDir, { recursive: true, force: true })
  })

  const scan = async (image: Buffer, url = '/predict') => {
    const body = multipart([{ name: 'img', filename: 'ball.jpg', value: image }])
    const res = await api.app.inject({ method: 'POST', url, payload: body.payload, headers: body.headers })
    expect(res.statusCode, res.body).toBe(200)
    return res.json<{ id: string; model: string; explanation_url?: string }>()
  }

  it('answers a PNG overlay the size of the photo, the same on a second call', async () => {
    const { id } = await scan(await photo(120, 80))
    const first = await api.app.inject({ method: 'GET', url: `/predictions/${id}/explain` })
    expect(first.statusCode, first.body).toBe(200)
    expect(first.headers['content-type']).toBe('image/png')
    const meta = await sharp(first.rawPayload).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 120, 80])
    const second = await api.app.inject({ method: 'GET', url: `/predictions/${id}/explain` })
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true)
  })

  it('POST /predict?explain=1 links the overlay; plain /predict does not', async () => {
    const explained = await scan(await photo(40, 40), '/predict?explain=1')
    expect(explained.explanation_url).toBe(`/predictions/${explained.id}/explain`)
    const res = await api.app.inject({ method: 'GET', url: explained.explanation_url ?? '' })
    expect(res.statusCode).toBe(200)
    expect((await scan(await photo(40, 40))).explanation_url).toBeUndefined()
  })

  it('is listed in /openapi.json, where the dashboard looks for it', async () => {
    const doc = (await api.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>
    }>()
    expect(doc.paths['/predictions/{id}/explain']?.['get']).toBeDefined()
  })

  it('answers 404 {code, message} without the photo, for another model, and for an unknown scan', async () => {
    const kept = await scan(await photo(30, 30))
    await database.handle.db.execute(sql`update predictions set model = 'tiny@0' where id = ${kept.id}`)
    const swapped = await api.app.inject({ method: 'GET', url: `/predictions/${kept.id}/explain` })
    expect(swapped.statusCode).toBe(404)
    expect(swapped.json()).toEqual({
      code: 'SPS_API_EXPLANATION_UNAVAILABLE',
      message: expect.stringContaining('made by tiny@0 and the server now runs tiny@1'),
    })

    const lost = await scan(await photo(32, 32))
    await rm(imagesDir(api.home), { recursive: true, force: true })
    const missing = await api.app.inject({ method: 'GET', url: `/predictions/${lost.id}/explain` })
    expect(missing.statusCode).toBe(404)
    expect(missing.json<{ code: string }>().code).toBe('SPS_API_IMAGE_NOT_KEPT')

    const unknown = await api.app.inject({
      method: 'GET',
      url: '/predictions/00000000-0000-4000-8000-000000000000/explain',
    })
    expect(unknown.json<{ code: string }>().code).toBe('SPS_API_PREDICTION_NOT_FOUND')
  })

  it('without STORE_IMAGES, explains the latest scans from memory; older ones answer 404', async () => {
    const memoryOnly = await startTestApi(database.handle, modelDir, { storeImages: false })
    try {
      const scanOn = async (image: Buffer) => {
        const body = multipart([{ name: 'img', filename: 'ball.jpg', value: image }])
        const res = await memoryOnly.app.inject({
          method: 'POST',
          url: '/predict',
          payload: body.payload,
          headers: body.headers,
        })
        expect(res.statusCode, res.body).toBe(200)
        return res.json<{ id: string }>().id
      }
      const first = await scanOn(await photo(44, 44))
      const explained = await memoryOnly.app.inject({ method: 'GET', url: `/predictions/${first}/explain` })
      expect(explained.statusCode, explained.body).toBe(200)
      expect((await sharp(explained.rawPayload).metadata()).width).toBe(44)
      // 32 newer, different photos push the first out of memory
      for (let i = 0; i < 32; i++) await scanOn(await photo(46 + 2 * i, 40))
      const gone = await memoryOnly.app.inject({ method: 'GET', url: `/predictions/${first}/explain` })
      expect(gone.statusCode).toBe(404)
      expect(gone.json<{ code: string }>().code).toBe('SPS_API_IMAGE_NOT_KEPT')
    } finally {
      await memoryOnly.close()
    }
  })

  it('answers 404 for a model without a convolution layer', async () => {
    const denseDir = await mkdtemp(path.join(os.tmpdir(), 'sportscan-dense-'))
    await writeTinyModel(denseDir)
    const dense = await startTestApi(database.handle, denseDir, { storeImages: true })
    try {
      const body = multipart([{ name: 'img', filename: 'a.jpg', value: await photo(20, 20) }])
      const made = await dense.app.inject({ method: 'POST', url: '/predict', ...body })
      const id = made.json<{ id: string }>().id
      const res = await dense.app.inject({ method: 'GET', url: `/predictions/${id}/explain` })
      expect(res.statusCode).toBe(404)
      expect(res.json()).toEqual({
        code: 'SPS_API_EXPLANATION_UNAVAILABLE',
        message: expect.stringContaining('no convolution layer'),
      })
    } finally {
      await dense.close()
      await rm(denseDir, { recursive: true, force: true })
    }
  })
})
