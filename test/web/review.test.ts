import { describe, expect, it } from 'vitest'
import { reviewActionFor } from '../../src/web/src/lib/review-keys.js'
import { decodeDrift, decodeRetrainStatus, decodeReviewQueue } from '../../src/web/src/lib/review.js'

const key = (k: string, extra: Partial<{ ctrlKey: boolean; targetTag: string }> = {}) =>
  reviewActionFor({ key: k, ctrlKey: false, metaKey: false, altKey: false, targetTag: 'BODY', ...extra })

describe('review shortcuts', () => {
  it('maps 1-3 to the guesses, X to not a ball and S to skip', () => {
    expect(key('1')).toEqual({ kind: 'guess', index: 0 })
    expect(key('3')).toEqual({ kind: 'guess', index: 2 })
    expect(key('X')).toEqual({ kind: 'not-a-ball' })
    expect(key('s')).toEqual({ kind: 'skip' })
    expect(key('4')).toBeNull()
  })

  it('leaves keys typed into a field, or with a modifier, alone', () => {
    expect(key('1', { targetTag: 'input' })).toBeNull()
    expect(key('x', { ctrlKey: true })).toBeNull()
  })
})

describe('review decoders', () => {
  it('reads the queue with its top guesses', () => {
    const queue = decodeReviewQueue({
      total: 1,
      items: [
        {
          id: 'a',
          filename: 'a.jpg',
          predicted_label: 'golf_ball',
          confidence: 0.4,
          all_scores: { golf_ball: 0.4 },
          status: 'needs_review',
          created_at: '2026-01-01T00:00:00Z',
          corrected_label: null,
          location: null,
          is_flagged: true,
          top_guesses: [{ label: 'golf_ball', score: 0.4 }],
          image_url: '/predictions/a/image',
        },
      ],
    })
    expect(queue.items[0]).toMatchObject({
      isFlagged: true,
      topGuesses: [{ label: 'golf_ball', score: 0.4 }],
    })
  })

  it('reads decisions and refuses an unknown one', () => {
    const decision = {
      id: 1,
      candidate_ref: 'm@2',
      baseline_ref: null,
      decision: 'promoted',
      reason: 'no production model to compare with',
      candidate_test_accuracy: 0.5,
      baseline_test_accuracy: null,
      candidate_feedback_accuracy: 1,
      baseline_feedback_accuracy: null,
      test_count: 3,
      feedback_count: 3,
      created_at: '2026-01-01T00:00:00Z',
    }
    const status = decodeRetrainStatus({ is_available: true, job: null, decisions: [decision] })
    expect(status.decisions[0]).toMatchObject({ candidateRef: 'm@2', baselineTestAccuracy: null })
    expect(() => decodeRetrainStatus({ decisions: [{ ...decision, decision: 'maybe' }] })).toThrow(/maybe/)
  })

  it('reads drift, and null from a server without it', () => {
    expect(decodeDrift({ total: 0 })).toBeNull()
    const drift = decodeDrift({
      drift: {
        training_distribution: { a: 1 },
        per_day: [{ day: '2026-01-01', count: 3, low_confidence_share: 1, distance: 0.5, warnings: ['w'] }],
        has_warning: true,
      },
    })
    expect(drift).toMatchObject({ hasWarning: true, days: [{ distance: 0.5, warnings: ['w'] }] })
  })
})
