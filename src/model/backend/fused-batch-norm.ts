import type * as tf from '@tensorflow/tfjs'
import { heapF32 } from './dilate-rows.js'
import { asWasmBackend } from './wasm-kernel-calls.js'

/**
 * Batch norm with per-channel statistics as one pass: y = (x - mean) * gain + offset, gain = scale /
 * sqrt(variance + epsilon) precomputed per channel. The stock wasm kernel was as slow as a convolution on
 * seed-cnn's layers. Statistics of any other shape go to the stock kernel.
 */
export function createFusedBatchNorm(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend: kernelBackend, attrs = {} } = args
    const { x, mean, variance, scale, offset } = inputs
    const epsilon = attrs['varianceEpsilon']
    const channels = x?.shape[x.shape.length - 1] ?? 0
    const isPerChannel = (t: tf.TensorInfo | undefined, isOptional: boolean) =>
      t === undefined
        ? isOptional
        : t.dtype === 'float32' &&
          t.shape.reduce((a, b) => a * b, 1) === channels &&
          t.shape[t.shape.length - 1] === channels
    if (
      x === undefined ||
      x.dtype !== 'float32' ||
      typeof epsilon !== 'number' ||
      !isPerChannel(mean, false) ||
      !isPerChannel(variance, false) ||
      !isPerChannel(scale, true) ||
      !isPerChannel(offset, true) ||
      mean === undefined ||
      variance === undefined
    ) {
      return stock(args)
    }
    const backend = asWasmBackend('FusedBatchNorm', kernelBackend)
    const out = backend.makeOutput(x.shape, 'float32')
    const means = heapF32(backend, mean)
    const variances = heapF32(backend, variance)
    const scales = scale === undefined ? undefined : heapF32(backend, scale)
    const offsets = offset === undefined ? undefined : heapF32(backend, offset)
    const gain = new Float32Array(channels)
    const centre = new Float32Array(channels)
    const shift = new Float32Array(channels)
    for (let c = 0; c < channels; c++) {
      gain[c] = (scales?.[c] ?? 1) / Math.sqrt((variances[c] ?? 0) + epsilon)
      centre[c] = means[c] ?? 0
      shift[c] = offsets?.[c] ?? 0
    }
    const xs = heapF32(backend, x)
    const ys = heapF32(backend, out)
    for (let base = 0; base < xs.length; base += channels) {
      for (let c = 0; c < channels; c++) {
        ys[base + c] = ((xs[base + c] ?? 0) - (centre[c] ?? 0)) * (gain[c] ?? 0) + (shift[c] ?? 0)
      }
    }
    return out
  }
}
