import * as tf from '@tensorflow/tfjs'

/**
 * A tiny softmax conv net for tests: 16x16 RGB in, `classes` probabilities out. A low BN momentum lets the
 * moving statistics catch up within the few steps a test trains for.
 */
export function buildTinyModel(
  size = 16,
  classes = 3,
  seed = 1,
  { batchNorm = true, momentum = 0.5 }: { batchNorm?: boolean; momentum?: number } = {},
): tf.LayersModel {
  const model = tf.sequential()
  model.add(
    tf.layers.conv2d({
      inputShape: [size, size, 3],
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
    }),
  )
  if (batchNorm) model.add(tf.layers.batchNormalization({ momentum }))
  model.add(tf.layers.globalAveragePooling2d({}))
  model.add(
    tf.layers.dense({
      units: classes,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
    }),
  )
  return model
}

/** Deterministic pseudo-random images in [0, 1]. */
export function randomImages(count: number, size = 16, seed = 7): Float32Array[] {
  let state = seed >>> 0
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
  return Array.from({ length: count }, () => Float32Array.from({ length: size * size * 3 }, next))
}

/**
 * A model with known answers: the class is the image's dominant colour channel (red, green, blue), by
 * global average pooling and a fixed dense layer; nothing is trained.
 */
export function buildChannelModel(size = 16): tf.LayersModel {
  const model = tf.sequential()
  model.add(tf.layers.globalAveragePooling2d({ inputShape: [size, size, 3] }))
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }))
  model.setWeights([tf.mul(tf.eye(3), 10), tf.zeros([3])])
  return model
}
