import * as tf from '@tensorflow/tfjs'
import type { Architecture, ArchitectureOptions } from './architecture.js'
import { batchNormalization } from './batch-normalization.js'
import { BATCH_NORM, createInitializers } from './initializers.js'
import { checkShape, intListParam, numberParam } from './params.js'
import { kernelRegularizer, pooledSoftmaxHead } from './pooled-head.js'

const NAME = 'resnet-small'

/**
 * A small ResNet (basic blocks, batch norm, projection shortcuts) ending in global average pooling:
 * far fewer weights than seed-cnn's Flatten + Dense(512), so it overfits 1.5k images much less.
 *
 * Params: `widths` (filters per stage, default [32, 64, 128, 256]; each stage after the first halves the
 * resolution), `blocksPerStage` (default 1), `stemStride` (1 or 2; default 2 from 96 px up), `dropout`
 * before the classifier (default 0.2), `weightDecay` (L2 on kernels, default 0).
 */
export const resnetSmall: Architecture = {
  name: NAME,
  description: 'Small residual CNN (basic blocks, BN, projection shortcuts), global average pooling, softmax',
  build(options: ArchitectureOptions): tf.LayersModel {
    const { inputSize, numClasses } = options
    checkShape(NAME, inputSize, numClasses)
    const widths = intListParam(NAME, options, 'widths', [32, 64, 128, 256])
    const blocksPerStage = numberParam(NAME, options, 'blocksPerStage', 1, { min: 1, max: 8, integer: true })
    const stemStride = numberParam(NAME, options, 'stemStride', inputSize >= 96 ? 2 : 1, {
      min: 1,
      max: 2,
      integer: true,
    })
    const dropout = numberParam(NAME, options, 'dropout', 0.2, { min: 0, max: 0.9 })
    const weightDecay = numberParam(NAME, options, 'weightDecay', 0, { min: 0, max: 0.1 })
    const init = createInitializers(options.seed)
    const regularizer = kernelRegularizer(weightDecay)
    const conv = (x: tf.SymbolicTensor, filters: number, kernelSize: number, strides: number) =>
      tf.layers
        .conv2d({
          filters,
          kernelSize,
          strides,
          padding: 'same',
          useBias: false,
          kernelInitializer: init.heNormal(),
          kernelRegularizer: regularizer(),
        })
        .apply(x) as tf.SymbolicTensor
    const bn = (x: tf.SymbolicTensor) => batchNormalization(BATCH_NORM).apply(x) as tf.SymbolicTensor
    const relu = (x: tf.SymbolicTensor) => tf.layers.reLU().apply(x) as tf.SymbolicTensor

    const input = tf.input({ shape: [inputSize, inputSize, 3] })
    let x = relu(bn(conv(input, widths[0] ?? 32, 3, stemStride)))
    let channels = widths[0] ?? 32
    widths.forEach((filters, stage) => {
      for (let block = 0; block < blocksPerStage; block++) {
        const strides = stage > 0 && block === 0 ? 2 : 1
        const y = bn(conv(relu(bn(conv(x, filters, 3, strides))), filters, 3, 1))
        const shortcut = strides !== 1 || channels !== filters ? bn(conv(x, filters, 1, strides)) : x
        x = relu(tf.layers.add().apply([y, shortcut]) as tf.SymbolicTensor)
        channels = filters
      }
    })
    const output = pooledSoftmaxHead(x, {
      numClasses,
      dropout,
      kernelInitializer: init.kernel(),
      regularizer,
    })
    return tf.model({ inputs: input, outputs: output, name: 'resnet_small' })
  },
}
