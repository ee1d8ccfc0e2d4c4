import * as tf from '@tensorflow/tfjs'
import { BATCH_NORM_GRAD_SUMS } from './batch-norm-grad-sums.js'
import { MissingKernelError } from './errors.js'

/**
 * Batch-norm gradient for the wasm backend. The stock one tiles 1/sqrt(var) to the input's full shape and
 * makes about a dozen full-size passes; this one broadcasts and shares two per-channel sums (sum dy and
 * sum dy*(x-mean), one pass of our BATCH_NORM_GRAD_SUMS kernel) between the mean, variance, scale and
 * offset gradients: two passes in all. Other backends keep
 * the stock gradient.
 */
export function createFusedBatchNormGrad(stock: tf.GradConfig): tf.GradConfig {
  return {
    kernelName: 'FusedBatchNorm',
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved
      const epsilon = attrs['varianceEpsilon']
      const isChannelVector =
        mean !== undefined && mean.rank === 1 && variance !== undefined && variance.rank === 1
      if (
        tf.getBackend() !== 'wasm' ||
        Array.isArray(dy) ||
        x === undefined ||
        !isChannelVector ||
        typeof epsilon !== 'number'
      ) {
        return stock.gradFunc(dy, saved, attrs)
      }
      const rsqrtVariance = tf.rsqrt(tf.add(variance, epsilon))
      const gain = scale === undefined ? rsqrtVariance : tf.mul(scale, rsqrtVariance)
      // Eager, not inside the closures: each closure runs in its own tidy, and these are shared.
      const sums = tf.engine().runKernel(BATCH_NORM_GRAD_SUMS, { dy, x, mean })
      const [sumDy, sumDyCentred] = Array.isArray(sums) ? sums : []
      if (sumDy === undefined || sumDyCentred === undefined)
        throw new MissingKernelError(BATCH_NORM_GRAD_SUMS)
      return {
        x: () => tf.mul(dy, gain),
        mean: () => tf.neg(tf.mul(gain, sumDy)),
        variance: () => tf.mul(tf.mul(gain, tf.square(rsqrtVariance)), tf.mul(sumDyCentred, -0.5)),
        scale: () => tf.mul(rsqrtVariance, sumDyCentred),
        offset: () => tf.reshape(sumDy, mean.shape),
      }
    },
  }
}
