import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { acquireTrainingKernels, initBackend } from '../../../src/model/backend/index.js'
import { seededValues } from './seeded-random.js'

// BatchMatMul and Tile are replaced on wasm by faster versions; cpu's stock kernels are the reference.

async function onBoth(
  compute: () => tf.Tensor,
): Promise<{ wasm: Float32Array; cpu: Float32Array; shape: number[] }> {
  await tf.setBackend('wasm')
  const onWasm = tf.tidy(compute)
  const wasm = Float32Array.from(await onWasm.data())
  const shape = onWasm.shape
  onWasm.dispose()
  await tf.setBackend('cpu')
  const onCpu = tf.tidy(compute)
  const cpu = Float32Array.from(await onCpu.data())
  expect(onCpu.shape).toEqual(shape)
  onCpu.dispose()
  await tf.setBackend('wasm')
  return { wasm, cpu, shape }
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

describe('BatchMatMul on wasm', () => {
  it.each([
    // [a shape, b shape, transposeA, transposeB]: the dense layer's forward and both gradients, both orientations
    [[6, 40], [40, 5], false, false],
    [[6, 40], [6, 5], true, false],
    [[6, 5], [40, 5], false, true],
    [[40, 6], [5, 40], true, true],
    [[3, 4, 7], [3, 7, 2], false, false],
    [[3, 7, 4], [3, 2, 7], true, true],
    [[2, 7, 4], [1, 7, 3], true, false],
  ] as const)('matches cpu for a %j, b %j, transposeA %s, transposeB %s', async (aShape, bShape, ta, tb) => {
    const { wasm, cpu } = await onBoth(() =>
      tf.matMul(tensor([...aShape], 1), tensor([...bShape], 2), ta, tb),
    )
    expect(maxAbsDifference(wasm, cpu)).toBeLessThanOrEqual(1e-4)
  })
})

describe('Tile on wasm', () => {
  it.each([
    [
      [1, 1, 1, 5],
      [3, 4, 2, 1],
    ],
    [
      [1, 6],
      [7, 1],
    ],
    [
      [2, 3],
      [2, 2],
    ],
    [
      [1, 3, 1],
      [2, 1, 4],
    ],
  ] as const)('matches cpu for %j repeated %j', async (shape, reps) => {
    const { wasm, cpu, shape: outShape } = await onBoth(() => tf.tile(tensor([...shape], 3), [...reps]))
    expect(outShape).toEqual(shape.map((d, i) => d * (reps[i] ?? 1)))
    expect(maxAbsDifference(wasm, cpu)).toBe(0)
  })
})
