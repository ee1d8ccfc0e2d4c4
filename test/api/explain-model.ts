import * as tf from '@tensorflow/tfjs'
import { initBackend } from '../../src/model/backend/index.js'
import { saveModelArtifact } from '../../src/model/index.js'
import { TINY_LABELS, TINY_SIZE } from './api-harness.js'

/** A tiny seeded conv net artifact (conv -> GAP -> softmax), so Grad-CAM has a layer to explain. */
export async function writeTinyConvModel(dir: string, version = 1): Promise<string> {
  await initBackend()
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [TINY_SIZE, TINY_SIZE, 3],
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 1, seed: 11 }),
      }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({
        units: TINY_LABELS.length,
        activation: 'softmax',
        kernelInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 1, seed: 12 }),
      }),
    ],
  })
  await saveModelArtifact(dir, {
    model,
    labels: TINY_LABELS,
    preprocess: { size: TINY_SIZE, fit: 'stretch' },
    metadata: { name: 'tiny', version },
  })
  model.dispose()
  return dir
}
