import { describe, expect, test } from '../fixtures.js'
import {
  accuracyByThreshold,
  computeClassificationMetrics,
  expectedCalibrationError,
  fitTemperature,
  scaleProbabilities,
  temperatureNll,
} from '../../src/model/index.js'

const onehotish = (k: number, n = 3, p = 0.8) =>
  Array.from({ length: n }, (_, i) => (i === k ? p : (1 - p) / (n - 1)))

describe('accuracyByThreshold', () => {
  test('counts the share at or above each threshold and how many of those are right', () => {
    // confidences 0.9 (right), 0.7 (wrong), 0.5 (right), 0.35 (wrong)
    const probs = [
      [0.9, 0.1],
      [0.3, 0.7],
      [0.5, 0.5],
      [0.35, 0.3],
    ]
    const points = accuracyByThreshold(probs, [0, 0, 0, 1], [0.3, 0.5, 0.8, 0.95])
    expect(points).toEqual([
      { threshold: 0.3, coverage: 1, accuracy: 0.5 },
      { threshold: 0.5, coverage: 0.75, accuracy: 2 / 3 },
      { threshold: 0.8, coverage: 0.25, accuracy: 1 },
      { threshold: 0.95, coverage: 0, accuracy: null },
    ])
  })

  test('is part of every metrics report', () => {
    const m = computeClassificationMetrics([[0.6, 0.4]], [0], ['a', 'b'])
    expect(m.byThreshold.find((p) => p.threshold === 0.5)).toEqual({
      threshold: 0.5,
      coverage: 1,
      accuracy: 1,
    })
  })
})

describe('computeClassificationMetrics', () => {
  test('matches a hand-computed 3-class case', () => {
    // truth a a b b c c, predicted a b b b c a
    const probs = [0, 1, 1, 1, 2, 0].map((k) => onehotish(k))
    const m = computeClassificationMetrics(probs, [0, 0, 1, 1, 2, 2], ['a', 'b', 'c'])
    expect(m.n).toBe(6)
    expect(m.accuracy).toBeCloseTo(4 / 6, 12)
    expect(m.confusion).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 1],
    ])
    expect(m.perClass.a).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 })
    expect(m.perClass.b!.precision).toBeCloseTo(2 / 3, 12)
    expect(m.perClass.b!.recall).toBe(1)
    expect(m.perClass.b!.f1).toBeCloseTo(0.8, 12)
    expect(m.perClass.c!.f1).toBeCloseTo(2 / 3, 12)
    expect(m.macroF1).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 12)
    // all confidences are 0.8: one bin, accuracy 2/3 -> |2/3 - 0.8|
    expect(m.ece).toBeCloseTo(0.8 - 4 / 6, 12)
  })

  test('averages F1 only over classes seen in the truth or the predictions', () => {
    const m = computeClassificationMetrics([onehotish(0), onehotish(1)], [0, 1], ['a', 'b', 'c'])
    expect(m.macroF1).toBe(1)
    expect(m.perClass.c).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 })
  })

  test('rejects predictions of the wrong width', () => {
    expect(() => computeClassificationMetrics([[0.5, 0.5]], [0], ['a', 'b', 'c'])).toThrow(
      expect.objectContaining({ code: 'SPS_MODEL_INPUT_INVALID' }),
    )
  })
})

describe('expectedCalibrationError', () => {
  test('weights each confidence bin by its share of samples', () => {
    const probs = [
      [0.9, 0.1],
      [0.9, 0.1],
      [0.4, 0.6],
    ]
    // bin of 0.9: accuracy 1/2, confidence 0.9, 2 of 3 samples; bin of 0.6: accuracy 1, confidence 0.6
    expect(expectedCalibrationError(probs, [0, 1, 1])).toBeCloseTo((2 / 3) * 0.4 + (1 / 3) * 0.4, 12)
  })

  test('is zero for perfectly calibrated confidences', () => {
    const probs = [
      [0.75, 0.25],
      [0.75, 0.25],
      [0.75, 0.25],
      [0.75, 0.25],
    ]
    expect(expectedCalibrationError(probs, [0, 0, 0, 1])).toBeCloseTo(0, 12)
  })
})

describe('fitTemperature', () => {
  // Logits [2, 0] with the first class right 3 times in 4: NLL is minimal where sigmoid(2 / T) = 3/4, T = 2 / ln 3.
  const logits = [
    [2, 0],
    [2, 0],
    [2, 0],
    [2, 0],
  ]
  const actual = [0, 0, 0, 1]

  test('finds the analytic optimum from logits and from probabilities', () => {
    expect(fitTemperature(logits, actual, { inputs: 'logits' })).toBeCloseTo(2 / Math.log(3), 6)
    const probs = logits.map((z) => scaleProbabilities(Float32Array.from(softmax(z)), 1))
    expect(fitTemperature(probs, actual)).toBeCloseTo(2 / Math.log(3), 4)
  })

  test('the fitted temperature lowers the NLL and calibrates the confidence', () => {
    const t = fitTemperature(logits, actual, { inputs: 'logits' })
    expect(temperatureNll(logits, actual, t)).toBeLessThan(temperatureNll(logits, actual, 1))
    const scaled = scaleProbabilities(Float32Array.from(softmax([2, 0])), t)
    expect(scaled[0]).toBeCloseTo(0.75, 5)
  })
})

function softmax(z: number[]): number[] {
  const e = z.map((v) => Math.exp(v))
  const s = e.reduce((a, b) => a + b, 0)
  return e.map((v) => v / s)
}
