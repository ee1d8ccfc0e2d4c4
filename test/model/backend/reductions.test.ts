import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { acquireTrainingKernels, initBackend } from '../../../src/model/backend/index.js'
import { seededValues } from './seeded-random.js'

// Sum, Mean and FusedBatchNorm are replaced on wasm for per-channel statistics; cpu is the reference.

async function onBoth(compute: () => tf.Tensor): Promise<{ wasm: Float32Array; cpu: Float32Array }> {
  const run = async (backend: string) => {
    await tf.setBackend(backend)
    const out = tf.tidy(compute)
    const values = Float32Array.from(await out.data())
    const shape = out.shape
    out.dispose()
    return { values, shape }
  }
  const wasm = await run('wasm')
  const cpu = await run('cpu')
  await tf.setBackend('wasm')
  expect(wasm.shape).toEqual(cpu.shape)
  return { wasm: wasm.values, cpu: cpu.values }
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length)
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)))
  return max
}

const tensor = (shape: number[], seed: number) =>
  tf.tensor(
    seededValues(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  )

beforeAll(async () => {
  await initBackend({ preferred: 'wasm' })
  // The kernels under test are training's, registered for the whole file (serving keeps the stock ones).
  acquireTrainingKernels()
})

describe('Sum and Mean on wasm', () => {
  it.each([
    [[8, 6, 6, 5], [0, 1, 2], false],
    [[8, 6, 6, 5], [0, 1, 2], true],
    [[8, 6, 6, 5], [2, 0, 1], false],
    [[7, 9], [0], false],
    [[7, 9], [-2], true],
    [[4, 3, 5], [0, 1, 2], false],
    // Large enough that float32 accumulation would drift from cpu's float64 sums.
    [[16, 32, 32, 8], [0, 1, 2], false],
    // Not leading axes: the stock kernels answer.
    [[4, 3, 5], [1], false],
    [[4, 3, 5], [2], true],
  ] as const)('match cpu for shape %j, axes %j, keepDims %s', async (shape, axes, keepDims) => {
    for (const reduce of [tf.sum, tf.mean]) {
      const { wasm, cpu } = await onBoth(() => reduce(tensor([...shape], 31), [...axes], keepDims))
      expect(maxAbsDifference(wasm, cpu)).toBeLessThanOrEqual(1e-5)
    }
  })
})

describe('FusedBatchNorm on wasm', () => {
  it.each([true, false])(
    'matches cpu with per-channel statistics (scale and offset given: %s)',
    async (hasAffine) => {
      const { wasm, cpu } = await onBoth(() => {
        const x = tensor([4, 5, 5, 6], 41)
        const mean = tensor([6], 42)
        const variance = tf.abs(tensor([6], 43))
        return hasAffine
          ? tf.batchNorm(x, mean, variance, tensor([6], 44), tensor([6], 45), 1e-3)
          : tf.batchNorm(x, mean, variance, undefined, undefined, 1e-3)
      })
      expect(maxAbsDifference(wasm, cpu)).toBeLessThanOrEqual(1e-4)
    },
  )
})
