import { describe, expect, testDrivers, test } from '../fixtures.js'
import { correctPrediction, type Database } from '../../src/db/index.js'
import { insertPrediction } from '../../src/db/queries/predictions.js'
import { flagPrediction, listReviewQueue } from '../../src/db/queries/review-queue.js'
import { getStock } from '../../src/db/queries/stock.js'
import { listFeedback } from '../../src/db/queries/feedback.js'

let n = 0
async function scan(db: Database, label: string, status: 'counted' | 'needs_review', location = 'A') {
  n++
  const { row } = await insertPrediction(db, {
    filename: `${n}.jpg`,
    predictedLabel: label,
    confidence: status === 'counted' ? 0.9 : 0.3,
    allScores: { [label]: status === 'counted' ? 0.9 : 0.3 },
    model: 'm@1',
    location,
    source: null,
    status,
    idempotencyKey: null,
    imageSha256: n.toString(16).padStart(64, '0'),
    imageBytes: 10,
  })
  return row.id
}

const stockOf = async (db: Database) =>
  Object.fromEntries((await getStock(db)).map((l) => [`${l.label}@${l.location ?? ''}`, l.count]))

describe.each(testDrivers)('stock under corrections (%s)', (driver) => {
  const it = test.override({ driver: driver })

  it('moves a counted scan to its corrected label, adds a confirmed uncertain one, drops not_a_ball', async ({
    database,
  }) => {
    const db = database.handle.db
    const counted = await scan(db, 'basketball', 'counted')
    await scan(db, 'basketball', 'counted')
    const uncertain = await scan(db, 'golf_ball', 'needs_review', 'B')
    expect(await stockOf(db)).toEqual({ 'basketball@A': 2 })

    await correctPrediction(db, { predictionId: counted, newLabel: 'volleyball', correctedBy: 'ann' })
    expect(await stockOf(db)).toEqual({ 'basketball@A': 1, 'volleyball@A': 1 })

    await correctPrediction(db, { predictionId: uncertain, newLabel: 'tennis_ball', correctedBy: 'ann' })
    expect(await stockOf(db)).toEqual({ 'basketball@A': 1, 'volleyball@A': 1, 'tennis_ball@B': 1 })

    // A second correction replaces the first; it does not count the scan twice.
    await correctPrediction(db, { predictionId: counted, newLabel: 'not_a_ball', correctedBy: 'bob' })
    expect(await stockOf(db)).toEqual({ 'basketball@A': 1, 'tennis_ball@B': 1 })
    await correctPrediction(db, { predictionId: counted, newLabel: 'basketball', correctedBy: 'bob' })
    expect(await stockOf(db)).toEqual({ 'basketball@A': 2, 'tennis_ball@B': 1 })
  })

  it('queues uncertain scans until corrected, and flagged ones until corrected again', async ({
    database,
  }) => {
    const db = database.handle.db
    const counted = await scan(db, 'basketball', 'counted')
    const uncertain = await scan(db, 'golf_ball', 'needs_review')
    const ids = async () => (await listReviewQueue(db, { limit: 10 })).items.map((i) => i.id)
    expect(await ids()).toEqual([uncertain])

    expect(await flagPrediction(db, counted)).toBe(true)
    expect(await ids()).toEqual([counted, uncertain])
    // Flagging alone does not take a counted scan out of stock.
    expect(await stockOf(db)).toEqual({ 'basketball@A': 1 })

    await correctPrediction(db, { predictionId: uncertain, newLabel: 'golf_ball', correctedBy: null })
    await correctPrediction(db, { predictionId: counted, newLabel: 'baseball', correctedBy: null })
    expect(await ids()).toEqual([])
    expect(await flagPrediction(db, '00000000-0000-4000-8000-000000000000')).toBe(false)

    await flagPrediction(db, counted)
    const [again] = (await listReviewQueue(db, { limit: 10 })).items
    expect(again).toMatchObject({ id: counted, correctedLabel: 'baseball', isFlagged: true })
  })

  it('lists feedback once per scan under its latest label, since a date', async ({ database }) => {
    const db = database.handle.db
    const a = await scan(db, 'basketball', 'needs_review')
    const b = await scan(db, 'golf_ball', 'needs_review')
    await correctPrediction(db, { predictionId: a, newLabel: 'volleyball', correctedBy: null })
    await correctPrediction(db, { predictionId: a, newLabel: 'football', correctedBy: null })
    await correctPrediction(db, { predictionId: b, newLabel: 'not_a_ball', correctedBy: null })
    const all = await listFeedback(db)
    expect(all.map((f) => [f.predictionId, f.label])).toEqual([
      [a, 'football'],
      [b, 'not_a_ball'],
    ])
    expect(await listFeedback(db, { since: new Date(Date.now() + 60_000) })).toEqual([])
  })
})
