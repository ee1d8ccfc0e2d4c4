import * as tf from '@tensorflow/tfjs'

export interface BatchNormInTraining {
  /** The normalised batch, with a gradient for x, scale and offset. */
  y: tf.Tensor
  /** This batch's per-channel statistics (no gradient), for the moving averages; the caller disposes them. */
  mean: tf.Tensor1D
  variance: tf.Tensor1D
}

/**
 * Training-mode batch norm over every axis but the last, as tfjs-layers computes it (tf.moments, then
 * tf.batchNorm), with one hand-derived gradient for the whole. Autodiff through those ops makes ~15
 * full-size passes per layer (means, squares, tiles, copies, adds); this makes ~10 cheaper ones, all
 * broadcast element-wise ops and leading-axes reductions, which the wasm backend runs on XNNPACK. With
 * c = x - mean, r = 1 / sqrt(variance + epsilon) and n values per channel:
 *   y = c * (scale * r) + offset
 *   dx = scale * r * (dy - sum(dy) / n - c * r^2 * sum(dy * c) / n),  dscale = r * sum(dy * c),  doffset = sum(dy)
 * Works on every backend; the moving averages stay the caller's.
 */
export function batchNormInTraining(
  x: tf.Tensor,
  scale: tf.Tensor1D,
  offset: tf.Tensor1D,
  epsilon: number,
): BatchNormInTraining {
  const axes = x.shape.slice(0, -1).map((_, i) => i)
  const count = x.size / (x.shape.at(-1) ?? 1)
  let statistics: [tf.Tensor1D, tf.Tensor1D] | undefined
  const op = tf.customGrad((...args: unknown[]) => {
    const [input, gamma, beta, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc]
    const mean = tf.mean(input, axes) as tf.Tensor1D
    const centred = tf.sub(input, mean)
    const variance = tf.mean(tf.square(centred), axes) as tf.Tensor1D
    const rsqrt = tf.rsqrt(tf.add(variance, epsilon))
    const value = tf.add(tf.mul(centred, tf.mul(gamma, rsqrt)), beta)
    // Saving the centred input spares the gradient a subtraction pass.
    save([centred, rsqrt, gamma])
    // The forward pass runs in a tidy; the statistics leave it for the moving averages.
    statistics = [tf.keep(mean), tf.keep(variance)]
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [c, r, g] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D]
        const grad = Array.isArray(dy) ? dy[0]! : dy
        const sumDy = tf.sum(grad, axes)
        const sumDyCentred = tf.sum(tf.mul(grad, c), axes)
        const gain = tf.mul(g, r)
        const centredFactor = tf.div(tf.mul(tf.mul(gain, tf.square(r)), sumDyCentred), -count)
        const shift = tf.div(tf.mul(gain, sumDy), -count)
        const dx = tf.add(tf.add(tf.mul(grad, gain), tf.mul(c, centredFactor)), shift)
        return [dx, tf.mul(sumDyCentred, r), sumDy]
      },
    }
  })
  const y = op(x, scale, offset)
  if (statistics === undefined) throw new Error('batchNormInTraining: the forward pass did not run')
  return { y, mean: statistics[0], variance: statistics[1] }
}
