import { expect } from 'vitest'

/** Largest absolute difference between two equally long arrays (asserts the lengths match). */
export function maxAbsDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length)
  let max = 0
  for (let i = 0; i < actual.length; i++) max = Math.max(max, Math.abs((actual[i] ?? 0) - (expected[i] ?? 0)))
  return max
}
