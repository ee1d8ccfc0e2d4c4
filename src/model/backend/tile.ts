import type * as tf from '@tensorflow/tfjs'
import { heapF32 } from './dilate-rows.js'
import { asWasmBackend } from './wasm-kernel-calls.js'

const NAME = 'Tile'

/**
 * Tiling that only repeats the whole input (e.g. a per-channel vector [1,1,1,C] to [B,H,W,C], as the
 * batch-norm and mean gradients do) is a memcpy with doubling copies; the stock kernel computes an index per
 * element and was the single slowest kernel of a seed-cnn step. Other tilings go to the stock kernel.
 */
export function createTile(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend: kernelBackend, attrs = {} } = args
    const x = inputs['x']
    const reps = attrs['reps']
    if (x === undefined || x.dtype !== 'float32' || !Array.isArray(reps)) return stock(args)
    const counts = reps.map((r) => (typeof r === 'number' ? r : Number.NaN))
    // Leading axes may repeat only where the input has size 1; trailing axes must not repeat at all.
    let split = counts.length
    while (split > 0 && counts[split - 1] === 1) split--
    const isWholeRepeat =
      counts.every((r) => Number.isInteger(r)) && x.shape.slice(0, split).every((d) => d === 1)
    if (!isWholeRepeat || split === 0) return stock(args)
    const backend = asWasmBackend(NAME, kernelBackend)
    const outShape = x.shape.map((d, i) => d * (counts[i] ?? 1))
    const out = backend.makeOutput(outShape, 'float32')
    const src = heapF32(backend, x)
    const dst = heapF32(backend, out)
    dst.set(src, 0)
    let filled = src.length
    while (filled < dst.length) {
      const length = Math.min(filled, dst.length - filled)
      dst.copyWithin(filled, 0, length)
      filled += length
    }
    return out
  }
}
