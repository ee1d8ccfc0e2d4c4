import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findTargetLayer, gradCam, initBackend, type BackendName } from '../../../src/model/index.js'
import { CORNERS, cornerSquares, trainCornerModel } from './corner-squares.js'

const SIZE = 16

/** Which quadrant (by corner name) the CAM's hottest cell lies in. */
function hottestCorner(cam: Float32Array, width: number, height: number): string {
  let best = 0
  cam.forEach((v, i) => {
    if (v > (cam[best] ?? 0)) best = i
  })
  const x = best % width
  const y = Math.floor(best / width)
  const vertical = y < height / 2 ? 'top' : 'bottom'
  const horizontal = x < width / 2 ? 'left' : 'right'
  return `${vertical}-${horizontal}`
}

describe.each<BackendName>(['cpu', 'wasm'])('gradCam on the %s backend', (backend) => {
  let model: tf.LayersModel

  beforeAll(async () => {
    expect(await initBackend({ preferred: backend })).toBe(backend)
    model = await trainCornerModel(SIZE)
  })
  afterAll(() => model.dispose())

  it('puts the heat in the corner whose square decided the class, without leaking tensors', () => {
    const { images, labels } = cornerSquares(3, SIZE, 99)
    images.forEach((image, i) => {
      const label = labels[i] ?? -1
      const input = tf.tensor4d(image, [1, SIZE, SIZE, 3])
      const probs = tf.tidy(() => (model.predict(input) as tf.Tensor).dataSync())
      // The model must have learnt the task for its explanation to mean anything.
      expect(probs[label]).toBeGreaterThan(0.5)
      const before = tf.memory().numTensors
      const result = gradCam(model, input, label)
      expect(tf.memory().numTensors).toBe(before)
      input.dispose()
      expect(result.layerName).toBe('last_conv')
      expect([result.width, result.height]).toEqual([SIZE / 2, SIZE / 2])
      expect(result.cam).toHaveLength((SIZE / 2) ** 2)
      expect(Math.max(...result.cam)).toBeCloseTo(1, 5)
      expect(Math.min(...result.cam)).toBeGreaterThanOrEqual(0)
      expect(hottestCorner(result.cam, result.width, result.height)).toBe(CORNERS[label])
    })
  })
})

describe('gradCam on graphs', () => {
  beforeAll(async () => {
    await initBackend({ preferred: 'cpu' })
  })

  it('replays a residual head that also reads tensors from before the target layer', () => {
    const input = tf.input({ shape: [8, 8, 3] })
    const a = tf.layers
      .conv2d({ filters: 3, kernelSize: 3, padding: 'same', name: 'c1' })
      .apply(input) as tf.SymbolicTensor
    const b = tf.layers
      .conv2d({ filters: 3, kernelSize: 3, padding: 'same', name: 'c2' })
      .apply(a) as tf.SymbolicTensor
    const sum = tf.layers.reLU().apply(tf.layers.add().apply([a, b])) as tf.SymbolicTensor
    const pooled = tf.layers.globalAveragePooling2d({}).apply(sum) as tf.SymbolicTensor
    const out = tf.layers.dense({ units: 2, activation: 'softmax' }).apply(pooled) as tf.SymbolicTensor
    const model = tf.model({ inputs: input, outputs: out })
    const image = tf.randomUniform([1, 8, 8, 3], 0, 1, 'float32', 4) as tf.Tensor4D
    const before = tf.memory().numTensors
    const result = gradCam(model, image, 1)
    expect(tf.memory().numTensors).toBe(before)
    expect(result.layerName).toBe('c2')
    expect(result.cam).toHaveLength(64)
    expect(result.cam.every((v) => v >= 0 && v <= 1)).toBe(true)
    // An explicit layer works too, and the residual path makes c1 reach the output twice.
    expect(gradCam(model, image, 0, { layerName: 'c1' }).layerName).toBe('c1')
    image.dispose()
    model.dispose()
  })

  it('skips a last convolution whose map is 1x1, which cannot show where anything is', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [4, 4, 3], filters: 2, kernelSize: 3, padding: 'same', name: 'wide' }),
        tf.layers.conv2d({ filters: 2, kernelSize: 4, name: 'point' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    })
    expect(findTargetLayer(model).name).toBe('wide')
    model.dispose()
  })

  it('refuses a model without convolutions, an unknown layer and a class out of range', () => {
    const model = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [4, 4, 3] }), tf.layers.dense({ units: 2 })],
    })
    const image = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D
    expect(() => findTargetLayer(model)).toThrow(expect.objectContaining({ code: 'SPS_MODEL_INPUT_INVALID' }))
    expect(() => findTargetLayer(model, 'nope')).toThrow(/no layer named nope/)
    expect(() => gradCam(model, image, 2)).toThrow(/outside 0..1/)
    image.dispose()
    model.dispose()
  })
})
