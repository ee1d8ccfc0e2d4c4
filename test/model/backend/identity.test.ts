import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { acquireTrainingKernels, initBackend } from '../../../src/model/backend/index.js'

beforeAll(async () => {
  await initBackend({ preferred: 'wasm' })
  // The kernels under test are training's, registered for the whole file (serving keeps the stock ones).
  acquireTrainingKernels()
})

describe('Identity on wasm', () => {
  it('shares the buffer: a clone adds no buffer and outlives its source', () => {
    const x = tf.tensor([1, 2, 3, 4], [2, 2])
    const before = tf.engine().backend.numDataIds()
    const copy = tf.clone(x)
    expect(tf.engine().backend.numDataIds()).toBe(before)
    x.dispose()
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3, 4])
    expect(copy.shape).toEqual([2, 2])
    const doubled = tf.mul(copy, 2)
    copy.dispose()
    expect(Array.from(doubled.dataSync())).toEqual([2, 4, 6, 8])
    doubled.dispose()
    expect(tf.engine().backend.numDataIds()).toBe(before - 1)
  })

  it('keeps copying strings (the stock kernel)', () => {
    const s = tf.tensor(['a', 'b'])
    const copy = tf.clone(s)
    s.dispose()
    expect(copy.dataSync()).toEqual(['a', 'b'])
    copy.dispose()
  })
})
