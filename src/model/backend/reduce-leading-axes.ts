import type * as tf from '@tensorflow/tfjs'
import { heapF32 } from './dilate-rows.js'
import { asWasmBackend, callWasmKernel, release } from './wasm-kernel-calls.js'

/**
 * Sum and Mean over the leading axes of a float32 tensor (batch-norm statistics and bias gradients reduce
 * N,H,W and keep channels). The stock wasm kernels first transpose the reduced axes to the end, a strided
 * copy of the whole tensor. Here XNNPACK's average pooling (SIMD, on every thread) averages runs of the last
 * reduced axis, ~15x faster than a JavaScript loop over the wasm heap, and float64 JavaScript adds up the
 * few remaining rows. Other reductions go to the stock kernels.
 */
export function createLeadingAxesReduction(kind: 'Sum' | 'Mean', stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend: kernelBackend, attrs = {} } = args
    const x = inputs['x']
    if (x === undefined || x.dtype !== 'float32') return stock(args)
    const rank = x.shape.length
    const axisAttr = attrs['axis']
    const rawAxes = typeof axisAttr === 'number' ? [axisAttr] : Array.isArray(axisAttr) ? axisAttr : undefined
    const axes = rawAxes
      ?.map((a) => (typeof a === 'number' ? (a + rank) % rank : Number.NaN))
      .sort((a, b) => a - b)
    const isLeading = axes !== undefined && axes.length > 0 && axes.every((a, i) => a === i)
    if (!isLeading || x.shape.includes(0)) return stock(args)
    const backend = asWasmBackend(kind, kernelBackend)
    const kept = x.shape.slice(axes.length)
    const inner = kept.reduce((a, b) => a * b, 1)
    const outer = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1)
    const outShape = attrs['keepDims'] === true ? [...axes.map(() => 1), ...kept] : kept
    // Runs of the last reduced axis: W for N,H,W (a handful of elements for float32 to average exactly).
    const run = x.shape[axes.length - 1] ?? 1
    const rows = outer / run
    const view = callWasmKernel('Reshape', backend, { x }, { shape: [rows, run, 1, inner] })
    const pooled = callWasmKernel(
      'AvgPool',
      backend,
      { x: view },
      { filterSize: [run, 1], strides: [1, 1], pad: 'valid' },
    )
    release(backend, view)
    const out = backend.makeOutput(outShape, 'float32')
    const means = heapF32(backend, pooled)
    // float64 over the rows: with ~10^3-10^5 of them float32 would drift from the cpu backend's float64 sums.
    const sums = new Float64Array(inner)
    for (let r = 0; r < rows; r++) {
      const base = r * inner
      for (let i = 0; i < inner; i++) sums[i] = (sums[i] ?? 0) + (means[base + i] ?? 0)
    }
    release(backend, pooled)
    const result = heapF32(backend, out)
    const scale = kind === 'Mean' ? 1 / rows : run
    for (let i = 0; i < inner; i++) result[i] = (sums[i] ?? 0) * scale
    return out
  }
}
