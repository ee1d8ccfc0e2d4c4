import { describe, expect, test } from '../fixtures.js'
import { decideGate } from '../../src/pipeline/index.js'

describe('decideGate', () => {
  const baseline = { testAccuracy: 0.6, feedbackAccuracy: 0.2 }

  test('promotes a candidate not worse on the test split and better on the held-out corrected scans', () => {
    expect(decideGate({ testAccuracy: 0.6, feedbackAccuracy: 0.5 }, baseline).decision).toBe('promoted')
  })

  test('rejects a candidate worse on the test split, however good on the corrected scans', () => {
    const verdict = decideGate({ testAccuracy: 0.59, feedbackAccuracy: 1 }, baseline)
    expect(verdict).toEqual({ decision: 'rejected', reason: 'worse on the test split (test 59.0% vs 60.0%)' })
  })

  test('rejects a candidate only as good on the held-out corrected scans', () => {
    const verdict = decideGate({ testAccuracy: 0.7, feedbackAccuracy: 0.2 }, baseline)
    expect(verdict.decision).toBe('rejected')
    expect(verdict.reason).toMatch(/not better on the held-out corrected scans/)
  })

  test('with no held-out corrected scans, the test split alone decides', () => {
    const none = { testAccuracy: 0.6, feedbackAccuracy: null }
    expect(decideGate({ testAccuracy: 0.6, feedbackAccuracy: null }, none)).toEqual({
      decision: 'promoted',
      reason: 'test 60.0% vs 60.0%; no held-out corrected scans, the test split decided',
    })
    expect(decideGate({ testAccuracy: 0.5, feedbackAccuracy: null }, none).decision).toBe('rejected')
  })

  test('a tolerance lets a small test drop pass', () => {
    const candidate = { testAccuracy: 0.58, feedbackAccuracy: 0.4 }
    expect(decideGate(candidate, baseline).decision).toBe('rejected')
    expect(decideGate(candidate, baseline, { testTolerance: 0.05 }).decision).toBe('promoted')
  })

  test('promotes when there is no baseline to beat', () => {
    expect(decideGate({ testAccuracy: 0, feedbackAccuracy: 0 }, undefined).decision).toBe('promoted')
  })
})
