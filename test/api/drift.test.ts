import { computeDrift, totalVariation } from '../../src/api/drift.js'
import { insertDatasetRow } from '../../src/db/index.js'
import { describe, expect, test } from '../fixtures.js'
import { colourImage, multipart } from './api-harness.js'

const bounds = { maxLowConfidenceShare: 0.3, maxDistance: 0.3, minScans: 4 }

describe('computeDrift', () => {
  test('measures the total variation between class mixes', () => {
    expect(totalVariation({ a: 0.5, b: 0.5 }, { a: 0.5, b: 0.5 })).toBe(0)
    expect(totalVariation({ a: 1 }, { b: 1 })).toBe(1)
    expect(totalVariation({ a: 0.75, b: 0.25 }, { a: 0.5, b: 0.5 })).toBeCloseTo(0.25)
  })

  test('warns on a day beyond either bound, never on a day with too few scans', () => {
    const training = { a: 0.5, b: 0.5 }
    const [calm, shifted, uncertain, tiny] = computeDrift(
      [
        { day: '2026-01-01', count: 4, lowConfidence: 1, perLabel: { a: 2, b: 2 } },
        { day: '2026-01-02', count: 4, lowConfidence: 0, perLabel: { a: 4 } },
        { day: '2026-01-03', count: 4, lowConfidence: 2, perLabel: { a: 2, b: 2 } },
        { day: '2026-01-04', count: 2, lowConfidence: 2, perLabel: { c: 2 } },
      ],
      training,
      bounds,
    )
    expect(calm?.warnings).toEqual([])
    expect(shifted).toMatchObject({ distance: 0.5, warnings: [expect.stringMatching(/training mix/)] })
    expect(uncertain).toMatchObject({
      lowConfidenceShare: 0.5,
      warnings: [expect.stringMatching(/threshold/)],
    })
    expect(tiny?.warnings).toEqual([])
    expect(
      computeDrift([{ day: 'd', count: 4, lowConfidence: 0, perLabel: { a: 4 } }], null, bounds),
    ).toEqual([expect.objectContaining({ distance: null, warnings: [] })])
  })
})

describe('GET /stats drift', () => {
  // Threshold 1: every scan is below it, so the share of low-confidence scans is 100%.
  test.override({ appOptions: { serving: { threshold: 1 } } })

  test('reports per day the low-confidence share and the distance from the training mix', async ({ app }) => {
    await insertDatasetRow(app.db.db, {
      version: 'a'.repeat(64),
      source: '/data',
      imageCount: 20,
      classCounts: { golf_ball: 20 },
    })
    for (const n of [1, 2, 3]) {
      const body = multipart([{ name: 'img', filename: `${n}.png`, value: await colourImage(n) }])
      expect((await app.inject({ method: 'POST', url: '/predict', ...body })).statusCode).toBe(200)
    }
    const stats = (await app.inject({ method: 'GET', url: '/stats' })).json<{
      drift: {
        training_distribution: Record<string, number> | null
        per_day: Array<{ count: number; low_confidence_share: number; distance: number | null }>
        has_warning: boolean
      }
    }>()
    expect(stats.drift.training_distribution).toEqual({ golf_ball: 1 })
    // The tiny model only answers basketball or tennis_ball: nothing like a training set of golf balls.
    expect(stats.drift.per_day).toEqual([
      expect.objectContaining({ count: 3, low_confidence_share: 1, distance: 1 }),
    ])
    // Three scans are fewer than the default minimum of 20, so no warning yet.
    expect(stats.drift.has_warning).toBe(false)
  })
})
