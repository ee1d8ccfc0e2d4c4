import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, test } from '../../fixtures.js'
import { getArchitecture, listArchitectures } from '../../../src/model/index.js'
import { exportOnnx, UnsupportedLayerError, UnsupportedOpsetError } from '../../../src/model/onnx/index.js'
import { maxAbsDifference, randomiseBatchNorm, randomValues, runBoth } from './onnx-parity.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const TOLERANCE = 1e-4
// Odd size: `same` padding with stride 2 then pads one pixel more at the bottom/right, as TF does.
const SIZE = 17
const BATCH = 4

describe('exportOnnx', () => {
  test.each(listArchitectures())(
    '%s gives the probabilities of TF.js in ONNX Runtime (batch of 4, random BN statistics)',
    async (name) => {
      const model = getArchitecture(name).build({ inputSize: SIZE, numClasses: 5, seed: 11, widths: [8, 16] })
      randomiseBatchNorm(model, 21)
      const images = randomValues(BATCH * SIZE * SIZE * 3, 5)
      const { tfjs, ort } = await runBoth(model, exportOnnx(model), images, [BATCH, SIZE, SIZE, 3])
      model.dispose()
      expect(ort).toHaveLength(BATCH * 5)
      const diff = maxAbsDifference(tfjs, ort)
      expect(diff).toBeLessThanOrEqual(TOLERANCE)
    },
  )

  test('translates every other supported layer kind exactly (dilation, depthwise multiplier, merges, padding)', async () => {
    const size = 13
    const input = tf.input({ shape: [size, size, 3] })
    const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) =>
      layer.apply(x) as tf.SymbolicTensor
    let x = apply(tf.layers.rescaling({ scale: 2, offset: -1 }), input)
    x = apply(
      tf.layers.zeroPadding2d({
        padding: [
          [1, 2],
          [0, 1],
        ],
      }),
      x,
    )
    const a = apply(
      tf.layers.conv2d({ filters: 6, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'relu6' }),
      x,
    )
    const b = apply(
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'tanh' }),
      x,
    )
    x = apply(tf.layers.concatenate(), [a, b])
    x = apply(tf.layers.batchNormalization({ center: false, scale: false }), x)
    x = apply(tf.layers.leakyReLU({ alpha: 0.2 }), x)
    const p = apply(tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }), x)
    const q = apply(tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }), x)
    x = apply(tf.layers.multiply(), [p, q])
    x = apply(
      tf.layers.conv2d({ filters: 8, kernelSize: [3, 2], strides: 2, padding: 'valid', activation: 'swish' }),
      x,
    )
    const m = apply(tf.layers.elu(), x)
    const n = apply(tf.layers.activation({ activation: 'sigmoid' }), x)
    x = apply(tf.layers.maximum(), [apply(tf.layers.average(), [m, n]), apply(tf.layers.minimum(), [m, n])])
    x = apply(
      tf.layers.separableConv2d({
        filters: 4,
        kernelSize: 2,
        strides: 2,
        padding: 'same',
        activation: 'softplus',
      }),
      x,
    )
    const flat = apply(tf.layers.flatten(), x)
    const pooled = apply(tf.layers.globalMaxPooling2d({}), x)
    x = apply(tf.layers.concatenate(), [flat, pooled])
    x = apply(tf.layers.dense({ units: 6, useBias: false, activation: 'selu' }), x)
    x = apply(tf.layers.reLU({ maxValue: 0.8 }), x)
    x = apply(tf.layers.dense({ units: 3 }), x)
    const output = apply(tf.layers.softmax(), x)
    const model = tf.model({ inputs: input, outputs: output })
    randomiseBatchNorm(model, 3)

    const images = randomValues(BATCH * size * size * 3, 9)
    const { tfjs, ort } = await runBoth(model, exportOnnx(model, { opset: 17 }), images, [
      BATCH,
      size,
      size,
      3,
    ])
    model.dispose()
    expect(maxAbsDifference(tfjs, ort)).toBeLessThanOrEqual(TOLERANCE)
  })

  test('runs any batch size through the one exported graph (dynamic batch dimension)', async () => {
    const model = getArchitecture('seed-cnn').build({ inputSize: 8, numClasses: 3, seed: 2 })
    const onnx = exportOnnx(model)
    for (const batch of [1, 3]) {
      const images = randomValues(batch * 8 * 8 * 3, batch)
      const { tfjs, ort } = await runBoth(model, onnx, images, [batch, 8, 8, 3])
      expect(ort).toHaveLength(batch * 3)
      expect(maxAbsDifference(tfjs, ort)).toBeLessThanOrEqual(TOLERANCE)
    }
    model.dispose()
  })

  test('inlines a nested model (a backbone under a trained head), even when applied twice', async () => {
    const backbone = getArchitecture('sep-cnn').build({ inputSize: 12, numClasses: 4, seed: 3, widths: [8] })
    randomiseBatchNorm(backbone, 5)
    const input = tf.input({ shape: [12, 12, 3] })
    const flipped = tf.layers.rescaling({ scale: -1, offset: 1 }).apply(input) as tf.SymbolicTensor
    const a = backbone.apply(input) as tf.SymbolicTensor
    const b = backbone.apply(flipped) as tf.SymbolicTensor
    const merged = tf.layers.concatenate().apply([a, b]) as tf.SymbolicTensor
    const output = tf.layers.dense({ units: 3, activation: 'softmax' }).apply(merged) as tf.SymbolicTensor
    const model = tf.model({ inputs: input, outputs: output })
    const images = randomValues(BATCH * 12 * 12 * 3, 4)
    const { tfjs, ort } = await runBoth(model, exportOnnx(model), images, [BATCH, 12, 12, 3])
    model.dispose()
    expect(maxAbsDifference(tfjs, ort)).toBeLessThanOrEqual(TOLERANCE)
  })

  test('names the layer it cannot translate', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 2, kernelSize: 3 }),
        tf.layers.upSampling2d({ size: [2, 2], name: 'grow' }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    })
    let caught: unknown
    try {
      exportOnnx(model)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(UnsupportedLayerError)
    expect(caught).toMatchObject({
      code: 'SPS_ONNX_UNSUPPORTED_LAYER',
      layerName: 'grow',
      className: 'UpSampling2D',
    })
    expect(String(caught)).toContain('"grow"')
    model.dispose()
  })

  test('refuses an opset it does not write', () => {
    const model = getArchitecture('seed-cnn').build({ inputSize: 8, numClasses: 3 })
    expect(() => exportOnnx(model, { opset: 9 })).toThrow(UnsupportedOpsetError)
    model.dispose()
  })
})
