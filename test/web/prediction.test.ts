import { describe, expect, it } from 'vitest'
import { ResponseShapeError } from '../../src/web/src/lib/errors.js'
import {
  decodeCategories,
  decodeHistoryPage,
  decodePrediction,
  topScores,
} from '../../src/web/src/lib/prediction.js'

const apiPrediction = {
  id: '0b9f7c1e-3d7a-4c61-9d64-6f1f1b3f4a10',
  filename: 'ball.jpg',
  predicted_label: 'tennis_ball',
  confidence: 0.91,
  all_scores: { tennis_ball: 0.91, golf_ball: 0.05, baseball: 0.04 },
  model: 'sportscan@3',
  location: null,
  status: 'counted',
  created_at: '2026-11-26T18:00:00.000Z',
}

describe('decodePrediction', () => {
  it('reads the POST /predict answer into camelCase fields (a server from before put-away: no bin)', () => {
    const prediction = decodePrediction(apiPrediction)
    expect(prediction).toEqual({
      id: apiPrediction.id,
      filename: 'ball.jpg',
      predictedLabel: 'tennis_ball',
      confidence: 0.91,
      allScores: apiPrediction.all_scores,
      model: 'sportscan@3',
      location: null,
      status: 'counted',
      createdAt: '2026-11-26T18:00:00.000Z',
      correctedLabel: null,
      imageUrl: null,
      site: null,
      bin: null,
      binReason: null,
      putAway: null,
      isFlagged: false,
    })
  })

  it('rejects an unknown status and a non-numeric confidence', () => {
    expect(() => decodePrediction({ ...apiPrediction, status: 'lost' })).toThrow(ResponseShapeError)
    expect(() => decodePrediction({ ...apiPrediction, confidence: '0.9' })).toThrow(/confidence/)
  })

  it('rejects a score that is not a number', () => {
    expect(() => decodePrediction({ ...apiPrediction, all_scores: { tennis_ball: 'high' } })).toThrow(
      ResponseShapeError,
    )
  })
})

describe('decodeHistoryPage', () => {
  it('reads items, total and the next cursor', () => {
    const page = decodeHistoryPage({ total: 41, items: [apiPrediction], next_cursor: 'c2' })
    expect(page.total).toBe(41)
    expect(page.items[0]?.predictedLabel).toBe('tennis_ball')
    expect(page.nextCursor).toBe('c2')
  })

  it('treats a null or empty cursor as the last page', () => {
    expect(decodeHistoryPage({ total: 0, items: [], next_cursor: null }).nextCursor).toBeNull()
    expect(decodeHistoryPage({ total: 0, items: [], next_cursor: '' }).nextCursor).toBeNull()
  })

  it('fails loudly when items is not a list', () => {
    expect(() => decodeHistoryPage({ total: 1, items: {} })).toThrow(ResponseShapeError)
  })
})

describe('topScores', () => {
  it('orders by probability and keeps the requested number', () => {
    const scores = { a: 0.1, b: 0.5, c: 0.2, d: 0.15, e: 0.03, f: 0.02 }
    expect(topScores(scores, 3)).toEqual([
      { label: 'b', probability: 0.5 },
      { label: 'c', probability: 0.2 },
      { label: 'd', probability: 0.15 },
    ])
    expect(topScores(scores, 10)).toHaveLength(6)
  })

  it('breaks ties by label so the order is stable', () => {
    expect(topScores({ z: 0.5, a: 0.5 }, 2).map((s) => s.label)).toEqual(['a', 'z'])
  })
})

describe('decodeCategories', () => {
  it('reads the category list', () => {
    expect(decodeCategories({ categories: ['baseball', 'volleyball'], count: 2 })).toEqual([
      'baseball',
      'volleyball',
    ])
  })

  it('rejects non-text categories', () => {
    expect(() => decodeCategories({ categories: [1] })).toThrow(ResponseShapeError)
  })
})
