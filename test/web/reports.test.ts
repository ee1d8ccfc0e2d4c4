import { describe, expect, it } from 'vitest'
import { ResponseShapeError } from '../../src/web/src/lib/errors.js'
import { decodeStats, decodeStock, pivotStock } from '../../src/web/src/lib/reports.js'

describe('decodeStock', () => {
  it('reads a list of label, location and count', () => {
    expect(decodeStock({ items: [{ label: 'baseball', location: 'A1', count: 3 }] })).toEqual([
      { label: 'baseball', location: 'A1', count: 3 },
    ])
  })

  it('accepts a bare list and a missing location', () => {
    expect(decodeStock([{ label: 'volleyball', count: 2 }])).toEqual([
      { label: 'volleyball', location: null, count: 2 },
    ])
  })

  it('rejects an entry without a count', () => {
    expect(() => decodeStock({ items: [{ label: 'baseball' }] })).toThrow(ResponseShapeError)
  })
})

describe('pivotStock', () => {
  it('puts labels down and locations across, summing duplicates, largest first', () => {
    const table = pivotStock([
      { label: 'baseball', location: 'A1', count: 1 },
      { label: 'golf_ball', location: 'B2', count: 4 },
      { label: 'baseball', location: null, count: 2 },
      { label: 'baseball', location: 'A1', count: 1 },
    ])
    expect(table.locations).toEqual(['(none)', 'A1', 'B2'])
    // Equal totals fall back to label order.
    expect(table.rows).toEqual([
      { label: 'baseball', total: 4, byLocation: { A1: 2, '(none)': 2 } },
      { label: 'golf_ball', total: 4, byLocation: { B2: 4 } },
    ])
    expect(table.total).toBe(8)
  })

  it('is empty for no entries', () => {
    expect(pivotStock([])).toEqual({ locations: [], rows: [], total: 0 })
  })
})

describe('decodeStats', () => {
  it('reads the new report shape with per-day entries, sorted by day', () => {
    const stats = decodeStats({
      total: 5,
      average_confidence: 0.8,
      counts_per_label: { baseball: 3, golf_ball: 2 },
      per_day: [
        { day: '2026-11-26', count: 3, average_confidence: 0.9, needs_review: 1 },
        { day: '2026-11-25', count: 2, average_confidence: 0.65, needs_review: 0 },
      ],
      needs_review_share: 0.2,
    })
    expect(stats.total).toBe(5)
    expect(stats.perLabel).toEqual([
      { label: 'baseball', count: 3, averageConfidence: null },
      { label: 'golf_ball', count: 2, averageConfidence: null },
    ])
    expect(stats.perDay.map((d) => d.day)).toEqual(['2026-11-25', '2026-11-26'])
    expect(stats.perDay[1]).toEqual({ day: '2026-11-26', count: 3, averageConfidence: 0.9, needsReview: 1 })
    expect(stats.needsReviewShare).toBe(0.2)
  })

  it('reads the first API version shape (total_predictions, predictions_per_category)', () => {
    const stats = decodeStats({
      total_predictions: 7,
      average_confidence: 0.7,
      predictions_per_category: { volleyball: 7 },
      model_loaded: true,
    })
    expect(stats).toEqual({
      total: 7,
      averageConfidence: 0.7,
      perLabel: [{ label: 'volleyball', count: 7, averageConfidence: null }],
      perDay: [],
      needsReviewShare: null,
    })
  })

  it('reads the current API shape: per-label list, 0 average and share when empty', () => {
    const stats = decodeStats({
      total: 4,
      average_confidence: 0.75,
      needs_review: 1,
      needs_review_share: 0.25,
      per_label: [
        { label: 'golf_ball', count: 1, average_confidence: 0.4 },
        { label: 'baseball', count: 3, average_confidence: 0.86 },
      ],
      per_day: [{ day: '2026-11-26', count: 4, needs_review: 1 }],
      total_predictions: 4,
      predictions_per_category: { baseball: 3, golf_ball: 1 },
      model_loaded: true,
    })
    expect(stats.perLabel.map((l) => l.label)).toEqual(['baseball', 'golf_ball'])
    expect(stats.perLabel[0]?.averageConfidence).toBe(0.86)
    expect(stats.perDay).toEqual([{ day: '2026-11-26', count: 4, averageConfidence: null, needsReview: 1 }])
    const empty = decodeStats({
      total: 0,
      average_confidence: 0,
      needs_review_share: 0,
      per_label: [],
      per_day: [],
    })
    expect(empty.averageConfidence).toBeNull()
    expect(empty.needsReviewShare).toBeNull()
  })

  it('accepts per-day counts as a date-keyed map', () => {
    const stats = decodeStats({ total: 3, counts_per_day: { '2026-11-26T00:00:00Z': 1, '2026-11-24': 2 } })
    expect(stats.perDay).toEqual([
      { day: '2026-11-24', count: 2, averageConfidence: null, needsReview: null },
      { day: '2026-11-26', count: 1, averageConfidence: null, needsReview: null },
    ])
  })

  it('rejects an answer without a total', () => {
    expect(() => decodeStats({ average_confidence: 0.5 })).toThrow(ResponseShapeError)
  })
})
