import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { acquireTrainingKernels, initBackend } from '../../../src/model/backend/index.js'
import { seededValues } from './seeded-random.js'
import { maxAbsDifference } from './compare.js'

type Pad = 'same' | 'valid'

/** MaxPool then MaxPoolGrad through the engine, from fixed values, on one backend. */
async function poolGradient(
  backend: string,
  shape: [number, number, number, number],
  size: number,
  stride: number,
  pad: Pad,
): Promise<Float32Array> {
  await tf.setBackend(backend)
  const values = tf.tidy(() => {
    // Rounded to a coarse grid so windows hold ties: both backends must route to the first maximum.
    const input = tf.round(
      tf.mul(
        tf.tensor(
          seededValues(
            shape.reduce((a, b) => a * b),
            21,
          ),
          shape,
        ),
        3,
      ),
    )
    const output = tf.maxPool(input as tf.Tensor4D, size, stride, pad)
    const dy = tf.tensor(seededValues(output.size, 22), output.shape)
    const dx = tf
      .engine()
      .runKernel('MaxPoolGrad', { dy, input, output }, { filterSize: size, strides: stride, pad })
    if (Array.isArray(dx) || !(dx instanceof tf.Tensor)) throw new Error('expected one tensor')
    return Float32Array.from(dx.dataSync())
  })
  await tf.setBackend('wasm')
  return values
}

beforeAll(async () => {
  await initBackend({ preferred: 'wasm' })
  // The kernels under test are training's, registered for the whole file (serving keeps the stock ones).
  acquireTrainingKernels()
})

describe('MaxPoolGrad on wasm', () => {
  it.each([
    [[2, 8, 8, 3], 2, 2, 'valid'],
    [[3, 4, 6, 8], 2, 2, 'same'],
    [[2, 9, 7, 4], 2, 2, 'same'],
    [[1, 9, 9, 2], 3, 2, 'same'],
    [[2, 7, 7, 3], 3, 1, 'valid'],
    [[1, 6, 6, 5], 3, 3, 'same'],
  ] as const)('matches cpu for input %j, window %d, stride %d, pad %s', async (shape, size, stride, pad) => {
    const onWasm = await poolGradient('wasm', [...shape], size, stride, pad)
    const onCpu = await poolGradient('cpu', [...shape], size, stride, pad)
    expect(maxAbsDifference(onWasm, onCpu)).toBeLessThanOrEqual(1e-6)
  })
})
