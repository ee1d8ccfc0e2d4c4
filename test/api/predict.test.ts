import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import sharp from 'sharp'
import { describe, expect, test, testDrivers } from '../fixtures.js'
import { colourImage, postMultipart, stockTotal, storedCount, type multipart } from './api-harness.js'

/** A PNG whose header claims a huge size, with a tiny (empty) image stream: a decompression bomb's shape. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(0))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

const MAX_UPLOAD_BYTES = 200 * 1024
const MAX_PIXELS = 250_000
const BATCH_LIMIT = 4

describe.each(testDrivers)('POST /predict (%s)', (driver) => {
  test.override({
    driver,
    appOptions: {
      serving: {
        threshold: 0.9,
        maxUploadBytes: MAX_UPLOAD_BYTES,
        maxPixels: MAX_PIXELS,
        batchLimit: BATCH_LIMIT,
        storeImages: true,
      },
    },
  })

  test('answers the stored row, with status set by the threshold', async ({ app }) => {
    const res = await postMultipart(app, [
      { name: 'img', filename: 'ball.png', contentType: 'image/png', value: await colourImage(3) },
      { name: 'location', value: 'shelf-A' },
      { name: 'source', value: 'cam-1' },
    ])
    expect(res.statusCode).toBe(200)
    const body = res.json<
      Record<string, unknown> & { confidence: number; all_scores: Record<string, number> }
    >()
    expect(body).toMatchObject({
      filename: 'ball.png',
      model: 'tiny@1',
      location: 'shelf-A',
      source: 'cam-1',
    })
    expect(Object.keys(body.all_scores).sort()).toEqual(['basketball', 'tennis_ball'])
    expect(body.predicted_label).toBe(Object.entries(body.all_scores).sort((a, b) => b[1] - a[1])[0]?.[0])
    expect(body.status).toBe(body.confidence >= 0.9 ? 'counted' : 'needs_review')
    const stored = await app.inject({ method: 'GET', url: `/predictions/${String(body.id)}` })
    expect(stored.json()).toEqual({ ...body, corrections: [], put_aways: [] })
    expect(await storedCount(app)).toBe(1)
  })

  test.for(['img', 'file', 'image'])('accepts the file in field "%s"', async (field, { app }) => {
    const res = await postMultipart(app, [
      { name: field, filename: 'x.jpg', contentType: 'image/jpeg', value: await colourImage(5, 32, 'jpeg') },
    ])
    expect(res.statusCode).toBe(200)
  })

  test('keeps the image under <home>/images/<sha256> when storeImages is on', async ({ app }) => {
    const bytes = await colourImage(11)
    const res = await postMultipart(app, [{ name: 'img', filename: 'k.png', value: bytes }])
    expect(res.statusCode).toBe(200)
    const { createHash } = await import('node:crypto')
    const sha = createHash('sha256').update(bytes).digest('hex')
    expect(await readFile(path.join(app.home, 'images', sha))).toEqual(bytes)
    const image = await app.inject({
      method: 'GET',
      url: `/predictions/${res.json<{ id: string }>().id}/image`,
    })
    expect(image.statusCode).toBe(200)
    expect(image.headers['content-type']).toBe('image/png')
    expect(image.rawPayload).toEqual(bytes)
  })

  test('cleans file names: no path, no control characters, at most 255 characters', async ({ app }) => {
    const res = await postMultipart(app, [
      { name: 'img', filename: `../../etc/${'a'.repeat(300)}\u0007.png`, value: await colourImage(2) },
    ])
    expect(res.statusCode).toBe(200)
    const { filename } = res.json<{ filename: string }>()
    expect(filename).toBe('a'.repeat(255))
  })

  describe('bad input: a clear JSON error and nothing stored', () => {
    const cases: Array<[string, () => Promise<Parameters<typeof multipart>[0]>, number, string]> = [
      [
        'text bytes labelled image/jpeg',
        async () => [
          { name: 'img', filename: 'a.jpg', contentType: 'image/jpeg', value: 'hello, not an image' },
        ],
        415,
        'SPS_API_NOT_AN_IMAGE',
      ],
      [
        'an SVG',
        async () => [
          {
            name: 'img',
            filename: 'a.svg',
            contentType: 'image/svg+xml',
            value: '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
          },
        ],
        415,
        'SPS_API_NOT_AN_IMAGE',
      ],
      [
        'a truncated JPEG',
        async () => [
          { name: 'img', filename: 't.jpg', value: (await colourImage(4, 64, 'jpeg')).subarray(0, 200) },
        ],
        400,
        'SPS_DATA_IMAGE_UNDECODABLE',
      ],
      [
        'zero bytes',
        async () => [{ name: 'img', filename: 'empty.jpg', value: Buffer.alloc(0) }],
        400,
        'SPS_API_FILE_EMPTY',
      ],
      ['no file at all', async () => [{ name: 'location', value: 'shelf-A' }], 400, 'SPS_API_FILE_MISSING'],
      [
        'the file under a wrong field name',
        async () => [{ name: 'photo', filename: 'a.png', value: await colourImage(1) }],
        400,
        'SPS_API_FILE_MISSING',
      ],
      [
        'two files',
        async () => [
          { name: 'img', filename: 'a.png', value: await colourImage(1) },
          { name: 'img', filename: 'b.png', value: await colourImage(2) },
        ],
        400,
        'SPS_API_TOO_MANY_FILES',
      ],
      [
        'a file over the size limit',
        async () => [
          {
            name: 'img',
            filename: 'big.png',
            value: Buffer.concat([await colourImage(1), Buffer.alloc(MAX_UPLOAD_BYTES)]),
          },
        ],
        413,
        'SPS_API_UPLOAD_TOO_LARGE',
      ],
      [
        'an image over the pixel limit (decompression bomb)',
        async () => [
          {
            name: 'img',
            filename: 'bomb.png',
            value: await sharp({ create: { width: 1000, height: 1000, channels: 3, background: 'white' } })
              .png()
              .toBuffer(),
          },
        ],
        400,
        'SPS_DATA_IMAGE_TOO_LARGE',
      ],
      [
        'control characters in location',
        async () => [
          { name: 'img', filename: 'a.png', value: await colourImage(1) },
          { name: 'location', value: 'bin\u0000-1' },
        ],
        400,
        'SPS_API_FIELD_INVALID',
      ],
      [
        'invalid UTF-8 in location',
        async () => [
          { name: 'img', filename: 'a.png', value: await colourImage(1) },
          { name: 'location', value: Buffer.from([0x62, 0x69, 0x6e, 0xff, 0xfe]) },
        ],
        400,
        'SPS_API_FIELD_INVALID',
      ],
      [
        'a PNG header announcing 20000x20000 pixels',
        async () => [{ name: 'img', filename: 'bomb.png', value: pngHeaderOnly(20_000, 20_000) }],
        400,
        'SPS_DATA_IMAGE_TOO_LARGE',
      ],
      [
        'a 10 KB location',
        async () => [
          { name: 'img', filename: 'a.png', value: await colourImage(1) },
          { name: 'location', value: 'x'.repeat(10_000) },
        ],
        400,
        'SPS_API_FIELD_INVALID',
      ],
    ]
    test.for(cases)('%s -> %i', async ([, parts, status, code], { app }) => {
      const res = await postMultipart(app, await parts())
      expect(res.statusCode).toBe(status)
      expect(res.json()).toEqual({ code, message: expect.any(String) })
      expect(await storedCount(app)).toBe(0)
    })

    test('a GIF with many frames is read from its first frame only', async ({ app }) => {
      const frames = 50
      const gif = await sharp({ create: { width: 32, height: 32 * frames, channels: 3, background: 'red' } })
        .gif()
        .toBuffer()
      const animated = await sharp(gif, { pages: -1 }).gif({ loop: 0 }).toBuffer()
      const res = await postMultipart(app, [{ name: 'img', filename: 'anim.gif', value: animated }])
      expect(res.statusCode).toBe(200)
    })

    test('refuses an announced body over the limit before reading it (413)', async ({ app }) => {
      const res = await app.inject({
        method: 'POST',
        url: '/predict',
        payload: Buffer.alloc(MAX_UPLOAD_BYTES * 3),
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
      })
      expect(res.statusCode).toBe(413)
      expect(res.json()).toMatchObject({ code: 'SPS_API_UPLOAD_TOO_LARGE' })
    })

    test.for([
      ['application/json', JSON.stringify({ img: 'x' }), 415],
      ['image/jpeg', 'raw bytes', 415],
      ['text/plain', 'hello', 415],
    ] as const)('a %s body -> %i', async ([contentType, payload, status], { app }) => {
      const res = await app.inject({
        method: 'POST',
        url: '/predict',
        payload,
        headers: { 'content-type': contentType },
      })
      expect(res.statusCode).toBe(status)
      expect(res.json<{ code: string }>().code).toMatch(
        /^(SPS_API_NOT_MULTIPART|SPS_API_MEDIA_TYPE_UNSUPPORTED)$/,
      )
      expect(await storedCount(app)).toBe(0)
    })

    test('a malformed multipart body -> 400', async ({ app }) => {
      const res = await app.inject({
        method: 'POST',
        url: '/predict',
        payload: '--b\r\nContent-Disposition: form-data; name="img"; filename="a.png"\r\n\r\nabc',
        headers: { 'content-type': 'multipart/form-data; boundary=b' },
      })
      expect(res.statusCode).toBeGreaterThanOrEqual(400)
      expect(res.statusCode).toBeLessThan(500)
      expect(await storedCount(app)).toBe(0)
    })
  })

  test('GET / answers a small HTML page to browsers when no dashboard is built, JSON otherwise', async ({
    app,
  }) => {
    const page = await app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } })
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(page.body).toContain('/docs')
    const json = await app.inject({ method: 'GET', url: '/', headers: { accept: '*/*' } })
    expect(json.json()).toMatchObject({ status: 'ok', model_loaded: true })
  })

  test('answers 503 SPS_API_MODEL_NOT_LOADED while no model is loaded, and /ready says so', async ({
    makeApp,
  }) => {
    const noModel = await makeApp({ loadModel: false })
    const res = await postMultipart(noModel, [
      { name: 'img', filename: 'a.png', value: await colourImage(1) },
    ])
    expect(res.statusCode).toBe(503)
    expect(res.json()).toMatchObject({ code: 'SPS_API_MODEL_NOT_LOADED' })
    const ready = await noModel.inject({ method: 'GET', url: '/ready' })
    expect(ready.statusCode).toBe(503)
    expect(ready.json()).toEqual({ status: 'not_ready', model_loaded: false, database: 'up' })
    expect((await noModel.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({
      model_loaded: false,
    })
    expect(await storedCount(noModel)).toBe(0)
  })

  test('64 parallel scans -> 64 rows, 64 distinct ids, stock up by exactly the counted ones', async ({
    app,
  }) => {
    const before = await stockTotal(app)
    const images = await Promise.all(Array.from({ length: 64 }, (_, i) => colourImage(i)))
    const answers = await Promise.all(
      images.map((value, i) => postMultipart(app, [{ name: 'img', filename: `${i}.png`, value }])),
    )
    expect(answers.every((a) => a.statusCode === 200)).toBe(true)
    const bodies = answers.map((a) => a.json<{ id: string; status: string }>())
    expect(new Set(bodies.map((b) => b.id)).size).toBe(64)
    expect(await storedCount(app)).toBe(64)
    const counted = bodies.filter((b) => b.status === 'counted').length
    // The seeded model and colours give both kinds, so the arithmetic is really exercised.
    expect(counted).toBeGreaterThan(0)
    expect(counted).toBeLessThan(64)
    expect((await stockTotal(app)) - before).toBe(counted)
  })
})
