import * as tf from '@tensorflow/tfjs'
import * as ort from 'onnxruntime-node'

/**
 * Gives every BatchNormalization layer random gamma, beta and moving statistics, so an exporter that
 * ignored any of them (or used the training-mode batch statistics) would fail the parity check.
 */
export function randomiseBatchNorm(model: tf.LayersModel, seed: number): void {
  let next = seed
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue
    layer.setWeights(
      layer.weights.map((w) => {
        const s = next++
        const shape = w.read().shape
        if (w.name.endsWith('gamma')) return tf.randomUniform(shape, 0.5, 1.5, 'float32', s)
        if (w.name.endsWith('beta')) return tf.randomNormal(shape, 0, 0.3, 'float32', s)
        if (w.name.endsWith('moving_mean')) return tf.randomNormal(shape, 0, 0.5, 'float32', s)
        return tf.randomUniform(shape, 0.3, 2, 'float32', s)
      }),
    )
  }
}

/** Runs NHWC images through the TF.js model and through ONNX bytes; returns both outputs flattened. */
export async function runBoth(
  model: tf.LayersModel,
  onnx: Uint8Array,
  images: Float32Array,
  shape: [number, number, number, number],
): Promise<{ tfjs: Float32Array; ort: Float32Array }> {
  const out = tf.tidy(() => model.predict(tf.tensor4d(images, shape)) as tf.Tensor)
  const tfjs = Float32Array.from(await out.data())
  out.dispose()
  const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1, logSeverityLevel: 3 })
  try {
    const result = await session.run({ input: new ort.Tensor('float32', images, shape) })
    const data = result.probabilities?.data
    if (!(data instanceof Float32Array)) throw new Error('ONNX Runtime gave no float32 probabilities')
    return { tfjs, ort: data }
  } finally {
    await session.release()
  }
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)))
  return max
}

/** Deterministic uniform [0, 1) values. */
export function randomValues(count: number, seed: number): Float32Array {
  let state = seed >>> 0
  return Float32Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  })
}
