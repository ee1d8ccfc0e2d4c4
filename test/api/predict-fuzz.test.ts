import fc from 'fast-check'
import { describe, expect, test } from '../fixtures.js'
import { colourImage, multipart, storedCount } from './api-harness.js'

describe('POST /predict under random input', () => {
  test.override({ appOptions: { serving: { maxUploadBytes: 64 * 1024 } } })

  test('answers only 2xx or 4xx, and stores a row only for a 200', async ({ app }) => {
    const validImage = await colourImage(3)
    let stored = 0
    const part = fc.record({
      name: fc.oneof(
        fc.constantFrom('img', 'file', 'image', 'location', 'source'),
        fc.string({ maxLength: 20 }),
      ),
      filename: fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
      contentType: fc.constantFrom('image/jpeg', 'image/png', 'text/plain', 'application/octet-stream'),
      value: fc.oneof(
        fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)),
        fc.string({ maxLength: 300 }),
        // Valid image bytes, cut at a random point: exercises truncated files.
        fc.nat({ max: validImage.length }).map((n) => validImage.subarray(0, n)),
        fc.constant(validImage),
      ),
    })
    const request = fc.oneof(
      fc.array(part, { maxLength: 4 }).map((parts) => ({ kind: 'multipart' as const, parts })),
      fc.record({
        kind: fc.constant('raw' as const),
        contentType: fc.constantFrom(
          'multipart/form-data; boundary=x',
          'multipart/form-data',
          'image/png',
          'application/json',
        ),
        body: fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)),
      }),
    )
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const res =
          req.kind === 'multipart'
            ? await (async () => {
                // Header-unsafe names would break the test's own encoder, not the server.
                const parts = req.parts.map((p) => ({
                  ...p,
                  name: p.name.replace(/["\r\n]/g, '_'),
                  filename: p.filename?.replace(/["\r\n]/g, '_'),
                }))
                const body = multipart(parts)
                return app.inject({
                  method: 'POST',
                  url: '/predict',
                  payload: body.payload,
                  headers: body.headers,
                })
              })()
            : await app.inject({
                method: 'POST',
                url: '/predict',
                payload: req.body,
                headers: { 'content-type': req.contentType },
              })
        expect(res.statusCode).toBeGreaterThanOrEqual(200)
        expect(res.statusCode).toBeLessThan(500)
        if (res.statusCode === 200) stored++
        else expect(res.json()).toEqual({ code: expect.any(String), message: expect.any(String) })
      }),
      { numRuns: 150, seed: 42 },
    )
    expect(await storedCount(app)).toBe(stored)
  })
})
