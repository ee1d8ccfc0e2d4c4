import type * as tf from '@tensorflow/tfjs'
import { readShape4D, shape4D } from './kernel-attrs.js'
import { depthwiseConvInfo } from './depthwise-conv-info.js'
import { heapF32 } from './dilate-rows.js'
import { asWasmBackend, requireInput } from './wasm-kernel-calls.js'

const NAME = 'DepthwiseConv2dNativeBackpropFilter'

/**
 * dW[kh,kw,c,m] = sum over b,y,x of xPadded[b, y*s + kh*d, x*s + kw*d, c] * dy[b,y,x,c*M+m], read straight
 * from wasm memory. Depthwise layers do ~1/channels the work of a full conv, so a tight JS loop over
 * contiguous channels is fast enough; sums are kept in float64 to match the cpu backend closely.
 */
export const depthwiseConv2dBackpropFilter: tf.KernelFunc = ({
  inputs,
  backend: kernelBackend,
  attrs = {},
}) => {
  const backend = asWasmBackend(NAME, kernelBackend)
  const x = requireInput(NAME, inputs, 'x')
  const dy = requireInput(NAME, inputs, 'dy')
  const filterShape = readShape4D(NAME, attrs, 'filterShape')
  const info = depthwiseConvInfo(NAME, attrs, shape4D(NAME, x.shape), filterShape)
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo } =
    info
  const multiplier = outChannels / inChannels
  const sums = new Float64Array(filterHeight * filterWidth * outChannels)
  const out = backend.makeOutput(filterShape, 'float32')
  const xs = heapF32(backend, x)
  const dys = heapF32(backend, dy)
  for (let b = 0; b < batchSize; b++) {
    for (let y = 0; y < outHeight; y++) {
      for (let kh = 0; kh < filterHeight; kh++) {
        const row = y * strideHeight - padInfo.top + kh * dilationHeight
        if (row < 0 || row >= inHeight) continue
        for (let xo = 0; xo < outWidth; xo++) {
          const dyBase = ((b * outHeight + y) * outWidth + xo) * outChannels
          for (let kw = 0; kw < filterWidth; kw++) {
            const col = xo * strideWidth - padInfo.left + kw * dilationWidth
            if (col < 0 || col >= inWidth) continue
            const xBase = ((b * inHeight + row) * inWidth + col) * inChannels
            const sumBase = (kh * filterWidth + kw) * outChannels
            if (multiplier === 1) {
              for (let c = 0; c < inChannels; c++)
                sums[sumBase + c]! += (xs[xBase + c] ?? 0) * (dys[dyBase + c] ?? 0)
            } else {
              for (let c = 0; c < inChannels; c++) {
                const xv = xs[xBase + c] ?? 0
                for (let m = 0; m < multiplier; m++) {
                  const o = c * multiplier + m
                  sums[sumBase + o]! += xv * (dys[dyBase + o] ?? 0)
                }
              }
            }
          }
        }
      }
    }
  }
  heapF32(backend, out).set(sums)
  return out
}
