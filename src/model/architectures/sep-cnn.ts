import * as tf from '@tensorflow/tfjs'
import type { Architecture, ArchitectureOptions } from './architecture.js'
import { batchNormalization } from './batch-normalization.js'
import { BATCH_NORM, createInitializers } from './initializers.js'
import { checkShape, intListParam, numberParam } from './params.js'
import { kernelRegularizer, pooledSoftmaxHead } from './pooled-head.js'

const NAME = 'sep-cnn'

/**
 * A compact Xception-style network: a strided 3x3 stem, then per stage two depthwise-separable 3x3 convs
 * (BN, ReLU) and a strided max-pool, with a 1x1 projection shortcut around the stage; global average
 * pooling head. Fewer multiply-adds per pixel than plain convs, so larger inputs stay affordable on CPU.
 *
 * Params: `widths` (default [32, 64, 128, 256]), `stemStride` (default 2), `dropout` (default 0.2),
 * `weightDecay` (L2, default 0).
 */
export const sepCnn: Architecture = {
  name: NAME,
  description: 'Depthwise-separable residual CNN (Xception-like stages), global average pooling, softmax',
  build(options: ArchitectureOptions): tf.LayersModel {
    const { inputSize, numClasses } = options
    checkShape(NAME, inputSize, numClasses)
    const widths = intListParam(NAME, options, 'widths', [32, 64, 128, 256])
    const stemStride = numberParam(NAME, options, 'stemStride', 2, { min: 1, max: 2, integer: true })
    const dropout = numberParam(NAME, options, 'dropout', 0.2, { min: 0, max: 0.9 })
    const weightDecay = numberParam(NAME, options, 'weightDecay', 0, { min: 0, max: 0.1 })
    const init = createInitializers(options.seed)
    const regularizer = kernelRegularizer(weightDecay)
    const bn = (x: tf.SymbolicTensor) => batchNormalization(BATCH_NORM).apply(x) as tf.SymbolicTensor
    const relu = (x: tf.SymbolicTensor) => tf.layers.reLU().apply(x) as tf.SymbolicTensor
    const sepConv = (x: tf.SymbolicTensor, filters: number) =>
      tf.layers
        .separableConv2d({
          filters,
          kernelSize: 3,
          padding: 'same',
          useBias: false,
          depthwiseInitializer: init.heNormal(),
          pointwiseInitializer: init.heNormal(),
          pointwiseRegularizer: regularizer(),
        })
        .apply(x) as tf.SymbolicTensor

    const input = tf.input({ shape: [inputSize, inputSize, 3] })
    const stemFilters = Math.max(16, Math.round((widths[0] ?? 32) / 2))
    let x = tf.layers
      .conv2d({
        filters: stemFilters,
        kernelSize: 3,
        strides: stemStride,
        padding: 'same',
        useBias: false,
        kernelInitializer: init.heNormal(),
      })
      .apply(input) as tf.SymbolicTensor
    x = relu(bn(x))
    for (const filters of widths) {
      const shortcut = bn(
        tf.layers
          .conv2d({
            filters,
            kernelSize: 1,
            strides: 2,
            padding: 'same',
            useBias: false,
            kernelInitializer: init.heNormal(),
          })
          .apply(x) as tf.SymbolicTensor,
      )
      let y = relu(bn(sepConv(x, filters)))
      y = bn(sepConv(y, filters))
      y = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(y) as tf.SymbolicTensor
      x = relu(tf.layers.add().apply([y, shortcut]) as tf.SymbolicTensor)
    }
    const output = pooledSoftmaxHead(x, {
      numClasses,
      dropout,
      kernelInitializer: init.kernel(),
      regularizer,
    })
    return tf.model({ inputs: input, outputs: output, name: 'sep_cnn' })
  },
}
