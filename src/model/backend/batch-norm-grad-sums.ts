import type * as tf from '@tensorflow/tfjs'
import { UnsupportedKernelInputError } from './errors.js'
import { heapF32 } from './dilate-rows.js'
import { asWasmBackend, requireInput } from './wasm-kernel-calls.js'

/** Our own kernel (wasm only), used by the batch-norm gradient in fused-batch-norm-grad.ts. */
export const BATCH_NORM_GRAD_SUMS = 'SportscanBatchNormGradSums'

/**
 * Per channel (last axis): sum(dy) and sum(dy * (x - mean)), in one pass over dy and x instead of a
 * subtraction, a product and two reductions, each writing or reading a full-size tensor.
 */
export const batchNormGradSums: tf.KernelFunc = ({ inputs, backend: kernelBackend }) => {
  const backend = asWasmBackend(BATCH_NORM_GRAD_SUMS, kernelBackend)
  const dy = requireInput(BATCH_NORM_GRAD_SUMS, inputs, 'dy')
  const x = requireInput(BATCH_NORM_GRAD_SUMS, inputs, 'x')
  const mean = requireInput(BATCH_NORM_GRAD_SUMS, inputs, 'mean')
  const channels = mean.shape.reduce((a, b) => a * b, 1)
  if (x.shape[x.shape.length - 1] !== channels || dy.shape.join() !== x.shape.join()) {
    throw new UnsupportedKernelInputError(
      BATCH_NORM_GRAD_SUMS,
      'mean must be per channel (last axis) and dy shaped like x',
    )
  }
  const sumDyOut = backend.makeOutput([channels], 'float32')
  const sumDyCentredOut = backend.makeOutput([channels], 'float32')
  const dys = heapF32(backend, dy)
  const xs = heapF32(backend, x)
  const means = heapF32(backend, mean)
  const sumDy = new Float64Array(channels)
  const sumDyCentred = new Float64Array(channels)
  for (let base = 0; base < xs.length; base += channels) {
    for (let c = 0; c < channels; c++) {
      const d = dys[base + c] ?? 0
      sumDy[c] = (sumDy[c] ?? 0) + d
      sumDyCentred[c] = (sumDyCentred[c] ?? 0) + d * ((xs[base + c] ?? 0) - (means[c] ?? 0))
    }
  }
  heapF32(backend, sumDyOut).set(sumDy)
  heapF32(backend, sumDyCentredOut).set(sumDyCentred)
  return [sumDyOut, sumDyCentredOut]
}
