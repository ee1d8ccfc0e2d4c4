import { describe, expect, testDrivers, test } from '../fixtures.js'
import { insertPredictions, listPredictionsByOffset, type NewPredictionRow } from '../../src/db/index.js'

const row = (n: number, idempotencyKey: string | null): NewPredictionRow => ({
  filename: `${n}.jpg`,
  predictedLabel: 'basketball',
  confidence: 0.9,
  allScores: { basketball: 0.9 },
  model: 'm@1',
  location: null,
  source: null,
  status: 'counted',
  idempotencyKey,
  imageSha256: n.toString(16).padStart(64, '0'),
  imageBytes: 10,
})

describe.each(testDrivers)('insertPredictions: a micro-batch of scans in one statement (%s)', (driver) => {
  const it = test.override({ driver })

  it('returns each input its own row; a key taken before or earlier in the batch gets the first row back', async ({
    database,
  }) => {
    const db = database.handle.db
    const [first] = await insertPredictions(db, [row(1, 'k-1')])
    expect(first?.isNew).toBe(true)
    const results = await insertPredictions(db, [
      row(2, null),
      row(3, 'k-1'),
      row(4, 'k-2'),
      row(5, 'k-2'),
      row(6, null),
    ])
    expect(results.map((r) => r.isNew)).toEqual([true, false, true, false, true])
    expect(results.map((r) => r.row.filename)).toEqual(['2.jpg', '1.jpg', '4.jpg', '4.jpg', '6.jpg'])
    expect(results[1]?.row.id).toBe(first?.row.id)
    expect(new Set(results.map((r) => r.row.id)).size).toBe(4)
    // Stored: 1, 2, 4 and 6; the replays stored nothing.
    const history = await listPredictionsByOffset(db, { limit: 50, skip: 0 })
    expect(history.items.map((p) => p.filename).sort()).toEqual(['1.jpg', '2.jpg', '4.jpg', '6.jpg'])
    expect(await insertPredictions(db, [])).toEqual([])
  })
})
