import * as tf from '@tensorflow/tfjs'
import type { Architecture, ArchitectureOptions } from './architecture.js'
import { batchNormalization } from './batch-normalization.js'
import { dropout } from './dropout.js'
import { BATCH_NORM, createInitializers } from './initializers.js'
import { checkShape } from './params.js'

/**
 * The original design's CNN, layer for layer (issue 2): the accuracy baseline. Conv-ReLU-BN order and
 * biased convolutions as in the original; 64x64 input by default of the pipeline, any size >= 8 works.
 */
export const seedCnn: Architecture = {
  name: 'seed-cnn',
  description:
    'Baseline: Conv32, 2x Conv64, 3x Conv128 (3x3 same, ReLU, BN), max-pool + dropout 0.25 after each group, Dense512, softmax',
  build(options: ArchitectureOptions): tf.LayersModel {
    const { inputSize, numClasses } = options
    checkShape('seed-cnn', inputSize, numClasses)
    const init = createInitializers(options.seed)
    const model = tf.sequential({ name: 'seed_cnn' })
    const convBlock = (filters: number, first = false) => {
      model.add(
        tf.layers.conv2d({
          ...(first ? { inputShape: [inputSize, inputSize, 3] } : {}),
          filters,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: init.kernel(),
        }),
      )
      model.add(batchNormalization(BATCH_NORM))
    }
    const poolAndDrop = () => {
      model.add(tf.layers.maxPooling2d({ poolSize: 2 }))
      model.add(dropout({ rate: 0.25 }))
    }
    convBlock(32, true)
    poolAndDrop()
    convBlock(64)
    convBlock(64)
    poolAndDrop()
    convBlock(128)
    convBlock(128)
    convBlock(128)
    poolAndDrop()
    model.add(tf.layers.flatten())
    model.add(tf.layers.dense({ units: 512, activation: 'relu', kernelInitializer: init.kernel() }))
    model.add(batchNormalization(BATCH_NORM))
    model.add(dropout({ rate: 0.5 }))
    model.add(tf.layers.dense({ units: numClasses, activation: 'softmax', kernelInitializer: init.kernel() }))
    return model
  },
}
