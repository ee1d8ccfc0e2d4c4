import { describe, expect, test, testDrivers } from '../fixtures.js'
import { colourImage, postMultipart, storedCount } from './api-harness.js'

const BATCH_LIMIT = 4

describe.each(testDrivers)('POST /predict retries and batches (%s)', (driver) => {
  test.override({ driver, appOptions: { serving: { threshold: 0.9, batchLimit: BATCH_LIMIT } } })

  describe('Idempotency-Key', () => {
    test('a retry answers the first result and stores nothing new', async ({ app }) => {
      const parts = [{ name: 'img', filename: 'a.png', value: await colourImage(8) }]
      const first = await postMultipart(app, parts, { 'idempotency-key': 'belt-3-0001' })
      const again = await postMultipart(app, parts, { 'idempotency-key': 'belt-3-0001' })
      expect(first.statusCode).toBe(200)
      expect(again.statusCode).toBe(200)
      expect(again.json()).toEqual(first.json())
      expect(again.headers['idempotent-replayed']).toBe('true')
      expect(await storedCount(app)).toBe(1)
    })

    test('two identical requests racing store one row', async ({ app }) => {
      const parts = [{ name: 'img', filename: 'a.png', value: await colourImage(9) }]
      const answers = await Promise.all(
        Array.from({ length: 4 }, () => postMultipart(app, parts, { 'idempotency-key': 'race-1' })),
      )
      expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200])
      expect(new Set(answers.map((a) => a.json<{ id: string }>().id)).size).toBe(1)
      expect(await storedCount(app)).toBe(1)
    })

    test('the same key with a different image -> 409', async ({ app }) => {
      await postMultipart(app, [{ name: 'img', filename: 'a.png', value: await colourImage(1) }], {
        'idempotency-key': 'k-2',
      })
      const res = await postMultipart(
        app,
        [{ name: 'img', filename: 'b.png', value: await colourImage(2) }],
        {
          'idempotency-key': 'k-2',
        },
      )
      expect(res.statusCode).toBe(409)
      expect(res.json()).toMatchObject({ code: 'SPS_API_IDEMPOTENCY_KEY_REUSED' })
      expect(await storedCount(app)).toBe(1)
    })
  })

  describe('POST /predict/batch', () => {
    test('answers one result per file in order; a bad file fails alone', async ({ app }) => {
      const res = await postMultipart(
        app,
        [
          { name: 'files', filename: 'one.png', value: await colourImage(1) },
          { name: 'files', filename: 'bad.jpg', value: 'not an image' },
          { name: 'files', filename: 'three.png', value: await colourImage(3) },
          { name: 'location', value: 'dock-2' },
        ],
        {},
        '/predict/batch',
      )
      expect(res.statusCode).toBe(200)
      const body = res.json<{
        stored: number
        failed: number
        results: Array<{
          index: number
          filename: string
          status_code: number
          prediction: { location: string } | null
          error: { code: string } | null
        }>
      }>()
      expect(body).toMatchObject({ stored: 2, failed: 1 })
      expect(body.results.map((r) => [r.index, r.filename, r.status_code])).toEqual([
        [0, 'one.png', 200],
        [1, 'bad.jpg', 415],
        [2, 'three.png', 200],
      ])
      expect(body.results[1]?.error?.code).toBe('SPS_API_NOT_AN_IMAGE')
      expect(body.results[0]?.prediction?.location).toBe('dock-2')
      expect(await storedCount(app)).toBe(2)
    })

    test('a retried batch with the same key stores nothing new', async ({ app }) => {
      const parts = [
        { name: 'files', filename: 'a.png', value: await colourImage(1) },
        { name: 'files', filename: 'b.png', value: await colourImage(2) },
      ]
      const first = await postMultipart(app, parts, { 'idempotency-key': 'batch-1' }, '/predict/batch')
      const again = await postMultipart(app, parts, { 'idempotency-key': 'batch-1' }, '/predict/batch')
      expect(again.json()).toEqual(first.json())
      expect(await storedCount(app)).toBe(2)
    })

    test('refuses more files than the batch limit (400) and stores none', async ({ app }) => {
      const parts = await Promise.all(
        Array.from({ length: BATCH_LIMIT + 1 }, async (_, i) => ({
          name: 'files',
          filename: `${i}.png`,
          value: await colourImage(i),
        })),
      )
      const res = await postMultipart(app, parts, {}, '/predict/batch')
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ code: 'SPS_API_TOO_MANY_FILES' })
      expect(await storedCount(app)).toBe(0)
    })
  })
})
