import sharp from 'sharp'
import { describe, expect, test, testDrivers } from '../fixtures.js'
import { colourImage, postMultipart, storedCount } from './api-harness.js'

// The cases test/api/predict.test.ts already covers (text as image/jpeg, SVG, truncated JPEG, zero bytes,
// wrong field name, invalid UTF-8 and control characters in fields, 20000x20000 PNG header, pixel bomb) are
// not repeated here; this file adds the rest of issue #8's table, with the default 10 MB upload limit.

/** An animated GIF of `frames` distinct 32x32 frames (the smallest size the API accepts). */
async function animatedGif(frames: number): Promise<Buffer> {
  const raw = Buffer.alloc(32 * 32 * 3 * frames)
  // Each frame a different pattern, so the encoder cannot merge frames.
  for (let i = 0; i < raw.length; i++) raw[i] = (Math.floor(i / 3072) * 31 + (i % 3072) * 17) & 255
  return sharp(raw, { raw: { width: 32, height: 32 * frames, channels: 3, pageHeight: 32 } })
    .gif()
    .toBuffer()
}

describe.each(testDrivers)(
  'bad input to POST /predict (%s): clear 4xx, nothing stored, or stored safely',
  (driver) => {
    test.override({ driver })

    test('a real 50 MB upload -> 413 SPS_API_UPLOAD_TOO_LARGE', async ({ app }) => {
      const png = await colourImage(1)
      const res = await postMultipart(app, [
        { name: 'img', filename: 'huge.png', value: Buffer.concat([png, Buffer.alloc(50 * 1024 * 1024)]) },
      ])
      expect(res.statusCode).toBe(413)
      expect(res.json()).toEqual({ code: 'SPS_API_UPLOAD_TOO_LARGE', message: expect.any(String) })
      expect(await storedCount(app)).toBe(0)
    })

    test('a GIF with 1000 frames is accepted and classified from its first frame', async ({ app }) => {
      const gif = await animatedGif(1000)
      expect((await sharp(gif).metadata()).pages).toBe(1000)
      const firstFrame = await sharp(gif).png().toBuffer()
      const res = await postMultipart(app, [{ name: 'img', filename: 'anim.gif', value: gif }])
      expect(res.statusCode).toBe(200)
      const still = await postMultipart(app, [{ name: 'img', filename: 'still.png', value: firstFrame }])
      // Same pixels in, same scores out: only the first frame was read.
      expect(res.json<{ all_scores: unknown }>().all_scores).toEqual(
        still.json<{ all_scores: unknown }>().all_scores,
      )
      expect(await storedCount(app)).toBe(2)
    })

    test.for([
      ['SQL', "x'); DROP TABLE predictions;--.png", "x'); DROP TABLE predictions;--.png"],
      ['Windows path separators', 'C:\\Users\\me\\ball.png', 'ball.png'],
      ['path traversal', '../../../../etc/passwd', 'passwd'],
      ['10 KB of text', 'y'.repeat(10_240), 'y'.repeat(255)],
      ['control characters', 'a\u0001b\u001bc\u007f.png', 'abc.png'],
      ['only dots', '..', 'upload'],
    ] as const)('a filename with %s is stored sanitised', async ([, filename, expected], { app }) => {
      const res = await postMultipart(app, [{ name: 'img', filename, value: await colourImage(3) }])
      expect(res.statusCode).toBe(200)
      const { id, filename: stored } = res.json<{ id: string; filename: string }>()
      expect(stored).toBe(expected)
      const row = await app.inject({ method: 'GET', url: `/predictions/${id}` })
      expect(row.json<{ filename: string }>().filename).toBe(expected)
      expect(await storedCount(app)).toBe(1)
    })

    test('a filename of invalid UTF-8 bytes is stored as valid text, never refused with a 5xx', async ({
      app,
    }) => {
      const boundary = 'b0undary'
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="img"; filename="`),
        Buffer.from([0x66, 0xff, 0xfe, 0x2e, 0x70, 0x6e, 0x67]),
        Buffer.from('"\r\nContent-Type: image/png\r\n\r\n'),
        await colourImage(4),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ])
      const res = await app.inject({
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

    test.for([
      ['an unknown text field', [{ name: 'locaton', value: 'shelf-A' }]],
      ['an extra file field', [{ name: 'thumbnail', filename: 't.png', value: Buffer.from('x') }]],
      ['a field name of 10 KB', [{ name: 'z'.repeat(10_240), value: 'v' }]],
    ] as const)(
      '%s next to a good image -> 400 SPS_API_FIELD_INVALID, nothing stored',
      async ([, extra], { app }) => {
        const res = await postMultipart(app, [
          { name: 'img', filename: 'a.png', value: await colourImage(1) },
          ...extra,
        ])
        expect(res.statusCode).toBe(400)
        expect(res.json()).toEqual({ code: 'SPS_API_FIELD_INVALID', message: expect.any(String) })
        expect(res.json<{ message: string }>().message.length).toBeLessThan(300)
        expect(await storedCount(app)).toBe(0)
      },
    )

    test.for([
      '/predictions?limit=-1',
      '/predictions?limit=99999999999999999999',
      '/predictions?skip=-3',
      '/history?cursor=' + encodeURIComponent(Buffer.from('{"t":"x","id":"y"}').toString('base64url')),
      '/history?cursor=%00%ff',
      '/history?limit=1e309',
    ])('GET %s -> 400, never a 5xx', async (url, { app }) => {
      const res = await app.inject({ method: 'GET', url })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toEqual({ code: expect.any(String), message: expect.any(String) })
    })
  },
)
