import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { acquireTrainingKernels, initBackend } from '../../../src/model/backend/index.js'
import { seededValues } from './seeded-random.js'
import { maxAbsDifference } from './compare.js'

// Our FusedBatchNorm and Mean gradients replace the stock ones on wasm only, so cpu gives the reference.

/** Training-mode batch norm as tfjs-layers computes it, then a weighted sum so every output matters. */
async function gradientsOn(
  backend: string,
  shape: [number, number, number, number],
): Promise<Float32Array[]> {
  await tf.setBackend(backend)
  const channels = shape[3]
  return tf.tidy(() => {
    const x = tf.tensor(
      seededValues(
        shape.reduce((a, b) => a * b),
        11,
      ),
      shape,
    )
    const gamma = tf.tensor(seededValues(channels, 12), [channels])
    const beta = tf.tensor(seededValues(channels, 13), [channels])
    const weights = tf.tensor(
      seededValues(
        shape.reduce((a, b) => a * b),
        14,
      ),
      shape,
    )
    const loss = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => {
      const { mean, variance } = tf.moments(xx, [0, 1, 2])
      return tf.sum(tf.mul(tf.batchNorm(xx, mean, variance, b, g, 1e-3), weights))
    }
    return tf
      .grads(loss)([x, gamma, beta])
      .map((g) => Float32Array.from(g.dataSync()))
  })
}

beforeAll(async () => {
  await initBackend({ preferred: 'wasm' })
  // The kernels under test are training's, registered for the whole file (serving keeps the stock ones).
  acquireTrainingKernels()
})

describe('batch-norm gradients on wasm', () => {
  it.each([[[4, 6, 6, 3]], [[2, 5, 7, 8]], [[8, 1, 1, 16]]] as const)(
    'match cpu for input %j (x, gamma, beta)',
    async (shape) => {
      const onWasm = await gradientsOn('wasm', [...shape])
      const onCpu = await gradientsOn('cpu', [...shape])
      await tf.setBackend('wasm')
      expect(onWasm).toHaveLength(3)
      onWasm.forEach((grad, i) => {
        const reference = onCpu[i] ?? new Float32Array()
        expect(maxAbsDifference(grad, reference)).toBeLessThanOrEqual(1e-4)
      })
    },
  )
})
