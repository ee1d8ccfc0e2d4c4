import { describe, expect, test } from '../fixtures.js'
import { cosineLearningRate, PlateauScheduler } from '../../src/model/index.js'

describe('PlateauScheduler', () => {
  test('halves the rate after `patience` epochs without improvement, down to the floor', () => {
    const s = new PlateauScheduler(0.5, 2, 0.2)
    expect(s.next(1.0, 1)).toBe(1) // first value is an improvement
    expect(s.next(0.9, 1)).toBe(1)
    expect(s.next(0.95, 1)).toBe(1) // 1 bad epoch
    expect(s.next(0.95, 1)).toBe(0.5) // 2 bad epochs: reduce
    expect(s.next(0.95, 0.5)).toBe(0.5)
    expect(s.next(0.95, 0.5)).toBe(0.25)
    expect(s.next(0.95, 0.25)).toBe(0.25)
    expect(s.next(0.95, 0.25)).toBe(0.2)
    expect(s.next(0.95, 0.2)).toBe(0.2)
    expect(s.next(0.95, 0.2)).toBe(0.2)
  })

  test('never raises a rate that starts below the floor', () => {
    const s = new PlateauScheduler(0.5, 1, 0.1)
    expect(s.next(1, 0.01)).toBe(0.01)
    expect(s.next(1, 0.01)).toBe(0.01)
  })
})

describe('cosineLearningRate', () => {
  test('warms up linearly, peaks, and decays to the floor', () => {
    expect(cosineLearningRate(0, 100, 1, 0, 10)).toBeCloseTo(0.1)
    expect(cosineLearningRate(9, 100, 1, 0, 10)).toBeCloseTo(1)
    expect(cosineLearningRate(10, 100, 1, 0, 10)).toBeCloseTo(1)
    expect(cosineLearningRate(55, 100, 1, 0, 10)).toBeCloseTo(0.5)
    expect(cosineLearningRate(100, 100, 1, 0.01, 10)).toBeCloseTo(0.01)
  })
})
