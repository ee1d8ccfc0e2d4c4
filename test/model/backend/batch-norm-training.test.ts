import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { batchNormInTraining, acquireTrainingKernels, initBackend } from '../../../src/model/backend/index.js'
import { seededValues } from './seeded-random.js'
import { maxAbsDifference } from './compare.js'

const EPSILON = 1e-5

interface Case {
  shape: number[]
  /** Added to x: a large mean next to a small spread is where one-pass variances lose precision. */
  shift: number
}

/** y, mean, variance and the gradients of sum(y * w) for x, scale and offset, all as plain arrays. */
function run(fused: boolean, { shape, shift }: Case): Float32Array[] {
  const size = shape.reduce((a, b) => a * b, 1)
  const channels = shape.at(-1)!
  return tf.tidy(() => {
    const x = tf.add(tf.tensor(seededValues(size, 21), shape), shift)
    const scale = tf.tensor1d(seededValues(channels, 22))
    const offset = tf.tensor1d(seededValues(channels, 23))
    const weights = tf.tensor(seededValues(size, 24), shape)
    const axes = shape.slice(0, -1).map((_, i) => i)
    const forward = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor[] => {
      if (!fused) {
        const { mean, variance } = tf.moments(xx, axes)
        return [tf.batchNorm(xx, mean, variance, b, g, EPSILON), mean, variance]
      }
      const { y, mean, variance } = batchNormInTraining(xx, g as tf.Tensor1D, b as tf.Tensor1D, EPSILON)
      // The statistics are kept out of tidy for the caller; copies that tidy tracks stand in for them.
      const outputs = [y, tf.clone(mean), tf.clone(variance)]
      tf.dispose([mean, variance])
      return outputs
    }
    const outputs = forward(x, scale, offset)
    const grads = tf.grads((xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar =>
      tf.sum(tf.mul(forward(xx, g, b)[0]!, weights)),
    )([x, scale, offset])
    return [...outputs, ...grads].map((t) => Float32Array.from(t.dataSync()))
  })
}

const CASES: Case[] = [
  { shape: [4, 6, 6, 3], shift: 0 },
  { shape: [2, 5, 7, 8], shift: 30 },
  { shape: [16, 32], shift: -2 },
]

beforeAll(async () => {
  await initBackend({ preferred: 'wasm' })
  // The kernels under test are training's, registered for the whole file (serving keeps the stock ones).
  acquireTrainingKernels()
})

describe('batchNormInTraining', () => {
  it.each(CASES)('matches tf.moments + tf.batchNorm (cpu) for $shape, shift $shift', async (c) => {
    const onWasm = run(true, c)
    await tf.setBackend('cpu')
    const onCpu = run(true, c)
    const stock = run(false, c)
    await tf.setBackend('wasm')
    const names = ['y', 'mean', 'variance', 'dx', 'dScale', 'dOffset']
    for (const [backend, fused] of [
      ['wasm', onWasm],
      ['cpu', onCpu],
    ] as const) {
      names.forEach((name, i) => {
        const error = maxAbsDifference(fused[i]!, stock[i]!)
        expect({ backend, name, error: error <= 2e-4 }).toEqual({ backend, name, error: true })
      })
    }
  })

  it('leaves no tensor behind once the caller disposes the statistics', () => {
    const before = tf.memory().numTensors
    tf.tidy(() => {
      const x = tf.randomNormal([2, 3, 3, 4])
      const scale = tf.variable(tf.ones([4])) as tf.Variable<tf.Rank.R1>
      const offset = tf.variable(tf.zeros([4])) as tf.Variable<tf.Rank.R1>
      const { value, grads } = tf.variableGrads(() => {
        const { y, mean, variance } = batchNormInTraining(x, scale, offset, EPSILON)
        tf.dispose([mean, variance])
        return tf.sum(tf.square(y))
      }, [scale, offset])
      expect(value.shape).toEqual([])
      expect(Object.keys(grads)).toHaveLength(2)
      tf.dispose([scale, offset])
    })
    expect(tf.memory().numTensors).toBe(before)
  })
})
