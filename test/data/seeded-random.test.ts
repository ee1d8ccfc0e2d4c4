import { describe, expect, test } from '../fixtures.js'
import { createSeededRandom, deriveSeed, shuffled } from '../../src/data/index.js'

describe('createSeededRandom', () => {
  test('gives the same sequence for the same seed and a different one for another seed', () => {
    const draw = (seed: number) => {
      const random = createSeededRandom(seed)
      return Array.from({ length: 5 }, () => random())
    }
    expect(draw(7)).toEqual(draw(7))
    expect(draw(7)).not.toEqual(draw(8))
  })

  test('stays in [0, 1) and is roughly uniform', () => {
    const random = createSeededRandom(123)
    const buckets = new Array<number>(10).fill(0)
    for (let i = 0; i < 20_000; i++) {
      const x = random()
      expect(x >= 0 && x < 1).toBe(true)
      const b = Math.floor(x * 10)
      buckets[b] = (buckets[b] ?? 0) + 1
    }
    for (const count of buckets) expect(Math.abs(count - 2000)).toBeLessThan(200)
  })

  test('shuffled permutes a copy and leaves the input alone', () => {
    const items = Array.from({ length: 50 }, (_, i) => i)
    const out = shuffled(items, createSeededRandom(1))
    expect(items).toEqual(Array.from({ length: 50 }, (_, i) => i))
    expect(out.slice().sort((a, b) => a - b)).toEqual(items)
    expect(out).not.toEqual(items)
  })

  test('deriveSeed separates streams by label', () => {
    expect(deriveSeed(1, 'basketball')).toBe(deriveSeed(1, 'basketball'))
    expect(deriveSeed(1, 'basketball')).not.toBe(deriveSeed(1, 'baseball'))
    expect(deriveSeed(1, 'basketball')).not.toBe(deriveSeed(2, 'basketball'))
  })
})
