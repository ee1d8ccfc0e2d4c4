import * as tf from '@tensorflow/tfjs'
import { readPad, readPair, readRoundingMode, shape4D } from './kernel-attrs.js'
import { heapF32 } from './dilate-rows.js'
import { asWasmBackend, requireInput } from './wasm-kernel-calls.js'

const NAME = 'MaxPoolGrad'

/**
 * Routes each output gradient to the first maximum of its window (the cpu backend's tie rule). One pass
 * over the windows with the channel loop innermost, so reads are contiguous; the stock wasm kernel walks
 * every input pixel and re-scans the windows covering it.
 */
export const maxPoolGrad: tf.KernelFunc = ({ inputs, backend: kernelBackend, attrs = {} }) => {
  const backend = asWasmBackend(NAME, kernelBackend)
  const dy = requireInput(NAME, inputs, 'dy')
  const input = requireInput(NAME, inputs, 'input')
  const info = tf.backend_util.computePool2DInfo(
    shape4D(NAME, input.shape),
    readPair(NAME, attrs, 'filterSize'),
    readPair(NAME, attrs, 'strides'),
    1,
    readPad(NAME, attrs),
    readRoundingMode(attrs),
  )
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info
  const { filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info
  const out = backend.makeOutput(input.shape, 'float32')
  const dx = heapF32(backend, out)
  const xs = heapF32(backend, input)
  const dys = heapF32(backend, dy)
  const isTwoByTwoTiling =
    filterHeight === 2 &&
    filterWidth === 2 &&
    strideHeight === 2 &&
    strideWidth === 2 &&
    padInfo.top === 0 &&
    padInfo.left === 0 &&
    outHeight * strideHeight === inHeight &&
    outWidth * strideWidth === inWidth
  if (isTwoByTwoTiling) {
    routeTwoByTwo(xs, dys, dx, info)
    return out
  }
  dx.fill(0)
  const best = new Float32Array(channels)
  const where = new Int32Array(channels)
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const rowStart = oy * strideHeight - padInfo.top
      const rowFrom = Math.max(0, rowStart)
      const rowTo = Math.min(inHeight, rowStart + filterHeight)
      for (let ox = 0; ox < outWidth; ox++) {
        const colStart = ox * strideWidth - padInfo.left
        const colFrom = Math.max(0, colStart)
        const colTo = Math.min(inWidth, colStart + filterWidth)
        best.fill(Number.NEGATIVE_INFINITY)
        where.fill(-1)
        for (let row = rowFrom; row < rowTo; row++) {
          for (let col = colFrom; col < colTo; col++) {
            const base = ((b * inHeight + row) * inWidth + col) * channels
            for (let c = 0; c < channels; c++) {
              const value = xs[base + c] ?? Number.NEGATIVE_INFINITY
              if (value > (best[c] ?? 0)) {
                best[c] = value
                where[c] = base + c
              }
            }
          }
        }
        const dyBase = ((b * outHeight + oy) * outWidth + ox) * channels
        for (let c = 0; c < channels; c++) {
          const target = where[c] ?? -1
          if (target >= 0) dx[target] = (dx[target] ?? 0) + (dys[dyBase + c] ?? 0)
        }
      }
    }
  }
  return out
}

/**
 * The common case, 2x2 windows that tile the input (stride 2, even sizes): every input value belongs to one
 * window, so dx is written once, without zero-filling it first and accumulating into it; unrolled, with
 * four reads and four writes per value and no per-window state.
 */
function routeTwoByTwo(
  xs: Float32Array,
  dys: Float32Array,
  dx: Float32Array,
  info: tf.backend_util.Conv2DInfo,
): void {
  const { batchSize, inWidth, inChannels: channels, outHeight, outWidth } = info
  const rowStride = inWidth * channels
  let g = 0
  for (let row = 0; row < batchSize * outHeight; row++) {
    for (let ox = 0; ox < outWidth; ox++) {
      const topLeft = row * 2 * rowStride + ox * 2 * channels
      const bottomLeft = topLeft + rowStride
      for (let c = 0; c < channels; c++, g++) {
        const i0 = topLeft + c
        const i1 = i0 + channels
        const i2 = bottomLeft + c
        const i3 = i2 + channels
        const a = xs[i0]!
        const b = xs[i1]!
        const d = xs[i2]!
        const e = xs[i3]!
        // The first maximum in reading order wins, as in maxPoolGrad; NaN and -Infinity never do.
        let best = Number.NEGATIVE_INFINITY
        let at = -1
        if (a > best) {
          best = a
          at = 0
        }
        if (b > best) {
          best = b
          at = 1
        }
        if (d > best) {
          best = d
          at = 2
        }
        if (e > best) at = 3
        const grad = dys[g]!
        dx[i0] = at === 0 ? grad : 0
        dx[i1] = at === 1 ? grad : 0
        dx[i2] = at === 2 ? grad : 0
        dx[i3] = at === 3 ? grad : 0
      }
    }
  }
}
