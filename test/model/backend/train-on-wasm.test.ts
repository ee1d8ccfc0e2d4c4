import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { acquireTrainingKernels, initBackend } from '../../../src/model/backend/index.js'
import { seededValues } from './seeded-random.js'

const SIZE = 16
const CLASSES = 3
const BATCH = 12

/** Conv-BN-ReLU-MaxPool-Dropout, a residual block with separable and depthwise convs, GAP, Dense. */
function buildTinyNet(): tf.LayersModel {
  const input = tf.input({ shape: [SIZE, SIZE, 3] })
  let x = apply(tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', useBias: false }), input)
  x = apply(tf.layers.batchNormalization(), x)
  x = apply(tf.layers.reLU(), x)
  x = apply(tf.layers.maxPooling2d({ poolSize: 2 }), x)
  x = apply(tf.layers.dropout({ rate: 0.1 }), x)
  const shortcut = x
  let branch = apply(
    tf.layers.separableConv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
    x,
  )
  branch = apply(tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same' }), branch)
  x = apply(tf.layers.add(), [shortcut, branch])
  x = apply(
    tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
    x,
  )
  x = apply(tf.layers.globalAveragePooling2d({}), x)
  const output = apply(tf.layers.dense({ units: CLASSES, activation: 'softmax' }), x)
  return tf.model({ inputs: input, outputs: output })
}

function apply(layer: tf.layers.Layer, input: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor {
  const output = layer.apply(input)
  if (!(output instanceof tf.SymbolicTensor))
    throw new Error(`${layer.name} did not give one symbolic tensor`)
  return output
}

/** Each class is a different mean colour plus noise, so a few steps are enough to learn something. */
function makeBatch(): { xs: tf.Tensor4D; ys: tf.Tensor } {
  const noise = seededValues(BATCH * SIZE * SIZE * 3, 42)
  const pixels = new Float32Array(noise.length)
  const labels: number[] = []
  for (let i = 0; i < BATCH; i++) {
    const label = i % CLASSES
    labels.push(label)
    for (let p = 0; p < SIZE * SIZE; p++) {
      for (let c = 0; c < 3; c++) {
        const k = (i * SIZE * SIZE + p) * 3 + c
        pixels[k] = (c === label ? 0.8 : 0.2) + 0.2 * (noise[k] ?? 0)
      }
    }
  }
  return {
    xs: tf.tensor4d(pixels, [BATCH, SIZE, SIZE, 3]),
    ys: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES).toFloat()),
  }
}

function lossOf(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): number {
  return tf.tidy(() => {
    const result = model.evaluate(xs, ys, { batchSize: BATCH })
    const loss = Array.isArray(result) ? result[0] : result
    if (loss === undefined) throw new Error('no loss')
    return loss.dataSync()[0] ?? Number.NaN
  })
}

beforeAll(async () => {
  await initBackend({ preferred: 'wasm' })
  // The kernels under test are training's, registered for the whole file (serving keeps the stock ones).
  acquireTrainingKernels()
})

describe('training on the wasm backend', () => {
  it('trains a small conv net with BN, dropout, residual add, separable and depthwise convs', async () => {
    expect(tf.getBackend()).toBe('wasm')
    const model = buildTinyNet()
    model.compile({ optimizer: tf.train.adam(1e-2), loss: 'categoricalCrossentropy' })
    const { xs, ys } = makeBatch()
    const initialLoss = lossOf(model, xs, ys)
    await model.trainOnBatch(xs, ys)
    const tensorsAfterFirstStep = tf.memory().numTensors
    const bytesAfterFirstStep = tf.memory().numBytes
    for (let step = 1; step < 15; step++) await model.trainOnBatch(xs, ys)
    const finalLoss = lossOf(model, xs, ys)

    expect(Number.isFinite(finalLoss)).toBe(true)
    expect(finalLoss).toBeLessThan(initialLoss * 0.8)
    // Steady state: a training step leaves no tensor or byte behind.
    expect(tf.memory().numTensors).toBe(tensorsAfterFirstStep)
    expect(tf.memory().numBytes).toBe(bytesAfterFirstStep)
    model.dispose()
    tf.dispose([xs, ys])
  })
})
