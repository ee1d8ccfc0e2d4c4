import { describe, expect, test } from '../fixtures.js'
import { createSeededRandom } from '../../src/data/index.js'
import { sampleGamma, sampleSymmetricBeta } from '../../src/model/beta-sample.js'

function moments(values: number[]): { mean: number; variance: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  return { mean, variance: values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length }
}

describe('mixup sampling', () => {
  test('Gamma(k) has mean and variance k, also for k < 1', () => {
    for (const k of [0.4, 2.5]) {
      const random = createSeededRandom(11)
      const { mean, variance } = moments(Array.from({ length: 40_000 }, () => sampleGamma(k, random)))
      expect(mean).toBeCloseTo(k, 1)
      expect(variance).toBeCloseTo(k, 1)
    }
  })

  test('Beta(a, a) lies in [0, 1] with mean 1/2 and variance 1 / (4 (2a + 1))', () => {
    const random = createSeededRandom(12)
    const values = Array.from({ length: 40_000 }, () => sampleSymmetricBeta(0.4, random))
    expect(values.every((v) => v >= 0 && v <= 1)).toBe(true)
    const { mean, variance } = moments(values)
    expect(mean).toBeCloseTo(0.5, 2)
    expect(variance).toBeCloseTo(1 / (4 * 1.8), 2)
  })
})
