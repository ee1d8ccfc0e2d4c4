import type * as tf from '@tensorflow/tfjs'
import { heapF32 } from './dilate-rows.js'
import { asWasmBackend } from './wasm-kernel-calls.js'

/**
 * Sum and Mean over the leading axes of a float32 tensor (batch-norm statistics and bias gradients reduce
 * N,H,W and keep channels). The stock wasm kernels first transpose the reduced axes to the end, a strided
 * copy of the whole tensor; accumulating per channel in memory order needs one contiguous pass.
 * Other reductions go to the stock kernels.
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
    if (!isLeading) return stock(args)
    const backend = asWasmBackend(kind, kernelBackend)
    const kept = x.shape.slice(axes.length)
    const inner = kept.reduce((a, b) => a * b, 1)
    const outer = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1)
    const outShape = attrs['keepDims'] === true ? [...axes.map(() => 1), ...kept] : kept
    const out = backend.makeOutput(outShape, 'float32')
    const values = heapF32(backend, x)
    // float64 sums: over ~10^5 terms float32 would drift from the cpu backend's float64 JS sums.
    const sums = new Float64Array(inner)
    for (let o = 0; o < outer; o++) {
      const base = o * inner
      for (let i = 0; i < inner; i++) sums[i] = (sums[i] ?? 0) + (values[base + i] ?? 0)
    }
    const result = heapF32(backend, out)
    const scale = kind === 'Mean' ? 1 / outer : 1
    for (let i = 0; i < inner; i++) result[i] = (sums[i] ?? 0) * scale
    return out
  }
}
