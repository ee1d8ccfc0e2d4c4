import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { dropout, dropoutMultiplier } from '../../../src/model/architectures/dropout.js'
import { acquireTrainingKernels, initBackend } from '../../../src/model/backend/index.js'

beforeAll(async () => {
  await initBackend({ preferred: 'wasm' })
  // Gradients on wasm need training's kernels, registered for the whole file.
  acquireTrainingKernels()
})

describe('dropoutMultiplier', () => {
  it.each([0.25, 0.5, 0.9])('keeps a share %s of 1/keep values and zeroes the rest', (keep) => {
    const mask = dropoutMultiplier(200_000, keep)
    const kept = mask.filter((v) => v !== 0)
    expect(kept.every((v) => Math.abs(v - 1 / keep) < 1e-6)).toBe(true)
    // 200k draws: the share of kept values is within 1% of keep (about 4 standard deviations).
    expect(Math.abs(kept.length / mask.length - keep)).toBeLessThan(0.01)
  })

  it('draws a new mask every call, without runs of equal values', () => {
    const a = dropoutMultiplier(10_000, 0.5)
    const b = dropoutMultiplier(10_000, 0.5)
    const same = a.filter((v, i) => v === b[i]).length
    expect(same / a.length).toBeGreaterThan(0.45)
    expect(same / a.length).toBeLessThan(0.55)
    let longest = 0
    for (let i = 0, run = 0; i < a.length; i++)
      longest = Math.max(longest, (run = a[i] === a[i - 1] ? run + 1 : 1))
    expect(longest).toBeLessThan(30)
  })
})

describe('dropout (fast-mask layer)', () => {
  it('in training zeroes about rate of the inputs, scales the rest, and passes gradients through the mask', () => {
    const layer = dropout({ rate: 0.25 })
    const x = tf.ones([64, 8, 8, 4])
    const scaleVariable = tf.variable(tf.scalar(1), true, 'dropout_test_scale')
    const { value, grads } = tf.variableGrads(() => {
      const y = layer.apply(tf.mul(x, scaleVariable), { training: true }) as tf.Tensor
      return tf.sum(y)
    }, [scaleVariable])
    const y = (layer.apply(x, { training: true }) as tf.Tensor).dataSync()
    const zeros = y.filter((v) => v === 0).length / y.length
    expect(Math.abs(zeros - 0.25)).toBeLessThan(0.02)
    expect(y.filter((v) => v !== 0).every((v) => Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true)
    // d sum(mask * s * x) / ds = sum(mask), the number of kept values / 0.75, about the input size.
    expect(Math.abs(grads['dropout_test_scale']!.dataSync()[0]! / x.size - 1)).toBeLessThan(0.03)
    expect(value.dataSync()[0]! / x.size).toBeCloseTo(grads['dropout_test_scale']!.dataSync()[0]! / x.size, 3)
  })

  it('makes its mask in JavaScript, not with the stock floor(uniform + keep) kernels', async () => {
    const layer = dropout({ rate: 0.5 })
    const x = tf.ones([2, 4])
    const { kernelNames } = await tf.profile(() => layer.apply(x, { training: true }) as tf.Tensor)
    expect(kernelNames).toEqual(['Multiply'])
  })

  it('is the identity in inference and saves as the stock Dropout', () => {
    const layer = dropout({ rate: 0.5 })
    const x = tf.tensor([1, 2, 3, 4])
    expect(Array.from((layer.apply(x, { training: false }) as tf.Tensor).dataSync())).toEqual([1, 2, 3, 4])
    expect(layer.getClassName()).toBe('Dropout')
    expect(layer.getConfig()['rate']).toBe(0.5)
  })
})
