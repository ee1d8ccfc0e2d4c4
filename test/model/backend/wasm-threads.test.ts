import * as tf from '@tensorflow/tfjs'
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm'
import { describe, expect, it } from 'vitest'
import { initBackend } from '../../../src/model/backend/index.js'
import { seededValues } from './seeded-random.js'
import { maxAbsDifference } from './compare.js'

// Its own file: vitest gives each file a fresh process, and the wasm thread count is fixed at the first start.
describe('initBackend({ threads })', () => {
  it('starts the threaded wasm binary in Node and computes the same convolution as cpu', async () => {
    expect(await initBackend({ preferred: 'wasm', threads: 2 })).toBe('wasm')
    expect(getThreadsCount()).toBe(2)
    const x = seededValues(4 * 12 * 12 * 8, 1)
    const w = seededValues(3 * 3 * 8 * 16, 2)
    const convolve = () =>
      tf.tidy(() =>
        tf.conv2d(tf.tensor4d(x, [4, 12, 12, 8]), tf.tensor4d(w, [3, 3, 8, 16]), 1, 'same').dataSync(),
      )
    const onWasm = convolve()
    await initBackend({ preferred: 'cpu' })
    const onCpu = convolve()
    expect(maxAbsDifference(onWasm, onCpu)).toBeLessThan(1e-4)
  })
})
