import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { testDrivers } from '../fixtures.js'
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js'
import { colourImage, multipart, startTestApi, writeTinyModel, type TestApi } from './api-harness.js'

// The cases test/api/predict.test.ts already covers (text as image/jpeg, SVG, truncated JPEG, zero bytes,
// wrong field name, invalid UTF-8 and control characters in fields, 20000x20000 PNG header, pixel bomb) are
// not repeated here; this file adds the rest of issue #8's table, with the default 10 MB upload limit.

/** An animated GIF of `frames` distinct 8x8 frames. */
async function animatedGif(frames: number): Promise<Buffer> {
  const raw = Buffer.alloc(8 * 8 * 3 * frames)
  // Each frame a different pattern, so the encoder cannot merge frames.
  for (let i = 0; i < raw.length; i++) raw[i] = (Math.floor(i / 192) * 31 + (i % 192) * 17) & 255
  return sharp(raw, { raw: { width: 8, height: 8 * frames, channels: 3, pageHeight: 8 } })
    .gif()
    .toBuffer()
}

describe.each(testDrivers)(
  'bad input to POST /predict (%s): clear 4xx, nothing stored, or stored safely',
  (driver) => {
    let database: TestDatabase
    let api: TestApi
    let modelDir: string

    beforeAll(async () => {
      modelDir = await mkdtemp(path.join(os.tmpdir(), 'sportscan-model-'))
      await writeTinyModel(modelDir)
      database = await createTestDatabase(driver)
      api = await startTestApi(database.handle, modelDir)
    })
    afterAll(async () => {
      await api?.close()
      await database?.dispose()
      await rm(modelDir, { recursive: true, force: true })
    })
    beforeEach(async () => {
      expect((await api.app.inject({ method: 'DELETE', url: '/predictions' })).statusCode).toBe(200)
    })

    const post = (parts: Parameters<typeof multipart>[0]) => {
      const body = multipart(parts)
      return api.app.inject({ method: 'POST', url: '/predict', payload: body.payload, headers: body.headers })
    }
    const storedCount = async () =>
      (await api.app.inject({ method: 'GET', url: '/history?limit=1' })).json<{ total: number }>().total

    it('a real 50 MB upload -> 413 SPS_API_UPLOAD_TOO_LARGE', async () => {
      const png = await colourImage(1)
      const res = await post([
        { name: 'img', filename: 'huge.png', value: Buffer.concat([png, Buffer.alloc(50 * 1024 * 1024)]) },
      ])
      expect(res.statusCode).toBe(413)
      expect(res.json()).toEqual({ code: 'SPS_API_UPLOAD_TOO_LARGE', message: expect.any(String) })
      expect(await storedCount()).toBe(0)
    })

    it('a GIF with 1000 frames is accepted and classified from its first frame', async () => {
      const gif = await animatedGif(1000)
      expect((await sharp(gif).metadata()).pages).toBe(1000)
      const firstFrame = await sharp(gif).png().toBuffer()
      const res = await post([{ name: 'img', filename: 'anim.gif', value: gif }])
      expect(res.statusCode).toBe(200)
      const still = await post([{ name: 'img', filename: 'still.png', value: firstFrame }])
      // Same pixels in, same scores out: only the first frame was read.
      expect(res.json<{ all_scores: unknown }>().all_scores).toEqual(
        still.json<{ all_scores: unknown }>().all_scores,
      )
      expect(await storedCount()).toBe(2)
    })

    it.each([
      ['SQL', "x'); DROP TABLE predictions;--.png", "x'); DROP TABLE predictions;--.png"],
      ['Windows path separators', 'C:\\Users\\me\\ball.png', 'ball.png'],
      ['path traversal', '../../../../etc/passwd', 'passwd'],
      ['10 KB of text', 'y'.repeat(10_240), 'y'.repeat(255)],
      ['control characters', 'a\u0001b\u001bc\u007f.png', 'abc.png'],
      ['only dots', '..', 'upload'],
    ])('a filename with %s is stored sanitised', async (_name, filename, expected) => {
      const res = await post([{ name: 'img', filename, value: await colourImage(3) }])
      expect(res.statusCode).toBe(200)
      const { id, filename: stored } = res.json<{ id: string; filename: string }>()
      expect(stored).toBe(expected)
      const row = await api.app.inject({ method: 'GET', url: `/predictions/${id}` })
      expect(row.json<{ filename: string }>().filename).toBe(expected)
      expect(await storedCount()).toBe(1)
    })

    it('a filename of invalid UTF-8 bytes is stored as valid text, never refused with a 5xx', async () => {
      const boundary = 'b0undary'
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="img"; filename="`),
        Buffer.from([0x66, 0xff, 0xfe, 0x2e, 0x70, 0x6e, 0x67]),
        Buffer.from('"\r\nContent-Type: image/png\r\n\r\n'),
        await colourImage(4),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ])
      const res = await api.app.inject({
        method: 'POST',
        url: '/predict',
        payload,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      })
      expect(res.statusCode).toBe(200)
      const { filename } = res.json<{ filename: string }>()
      expect(Buffer.from(filename, 'utf8').toString('utf8')).toBe(filename)
      expect(filename).toMatch(/^f.*\.png$/)
    })

    it.each([
      ['an unknown text field', [{ name: 'locaton', value: 'shelf-A' }]],
      ['an extra file field', [{ name: 'thumbnail', filename: 't.png', value: Buffer.from('x') }]],
      ['a field name of 10 KB', [{ name: 'z'.repeat(10_240), value: 'v' }]],
    ])('%s next to a good image -> 400 SPS_API_FIELD_INVALID, nothing stored', async (_name, extra) => {
      const res = await post([{ name: 'img', filename: 'a.png', value: await colourImage(1) }, ...extra])
      expect(res.statusCode).toBe(400)
      expect(res.json()).toEqual({ code: 'SPS_API_FIELD_INVALID', message: expect.any(String) })
      expect(res.json<{ message: string }>().message.length).toBeLessThan(300)
      expect(await storedCount()).toBe(0)
    })

    it.each([
      '/predictions?limit=-1',
      '/predictions?limit=99999999999999999999',
      '/predictions?skip=-3',
      '/history?cursor=' + encodeURIComponent(Buffer.from('{"t":"x","id":"y"}').toString('base64url')),
      '/history?cursor=%00%ff',
      '/history?limit=1e309',
    ])('GET %s -> 400, never a 5xx', async (url) => {
      const res = await api.app.inject({ method: 'GET', url })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toEqual({ code: expect.any(String), message: expect.any(String) })
    })
  },
)
