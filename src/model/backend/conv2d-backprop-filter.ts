import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { spreadByStrides } from './dilate-rows.js'
import {
  explicitPadConvAttrs,
  readPad,
  readPair,
  readRoundingMode,
  readShape4D,
  requireNhwc,
  shape4D,
} from './kernel-attrs.js'
import {
  asWasmBackend,
  callWasmKernel,
  release,
  requireInput,
  slice4D,
  transpose,
} from './wasm-kernel-calls.js'

const NAME = 'Conv2DBackpropFilter'

/**
 * dW[kh,kw,ci,co] = sum over b,oh,ow of xPadded[b, oh*s+kh, ow*s+kw, ci] * dy[b,oh,ow,co].
 * That is itself a convolution once batch and channels swap places: input x as [ci,h,w,b], filter dy as
 * [oh,ow,b,co] dilated by the stride, output [ci,kh,kw,co]. So XNNPACK's Conv2D does the heavy GEMM and
 * only three cheap transposes surround it.
 */
export const conv2dBackpropFilter: tf.KernelFunc = ({ inputs, backend: kernelBackend, attrs = {} }) => {
  const backend = asWasmBackend(NAME, kernelBackend)
  const x = requireInput(NAME, inputs, 'x')
  const dy = requireInput(NAME, inputs, 'dy')
  requireNhwc(NAME, attrs)
  const info = tf.backend_util.computeConv2DInfo(
    shape4D(NAME, x.shape),
    readShape4D(NAME, attrs, 'filterShape'),
    readPair(NAME, attrs, 'strides'),
    1,
    readPad(NAME, attrs),
    readRoundingMode(attrs),
    false,
    'channelsLast',
  )
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info
  const { filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info
  // Measured on seed-cnn's layers: with x as the filter, the GEMM's N is inChannels and M is 9*outChannels,
  // which XNNPACK runs 10-30% faster when outChannels >= inChannels, and much slower for an RGB input.
  if (inChannels >= 8 && info.outChannels >= inChannels) {
    const swapped = filterGradientWithInputAsFilter(backend, x, dy, info)
    if (swapped !== undefined) return swapped
  }
  // Padding after the input that makes the swapped convolution's output exactly kh x kw; when negative, the
  // last rows/columns are never read by any filter tap (stride leftovers) and are sliced away instead.
  const padBottom = filterHeight + (outHeight - 1) * strideHeight - inHeight - padInfo.top
  const padRight = filterWidth + (outWidth - 1) * strideWidth - inWidth - padInfo.left
  const usedHeight = Math.min(inHeight, inHeight + padBottom)
  const usedWidth = Math.min(inWidth, inWidth + padRight)
  const xUsed =
    usedHeight < inHeight || usedWidth < inWidth
      ? slice4D(backend, x, [0, 0, 0, 0], [batchSize, usedHeight, usedWidth, inChannels])
      : x
  const xT = transpose(backend, xUsed, [3, 1, 2, 0])
  if (xUsed !== x) release(backend, xUsed)
  const dyT = transpose(backend, dy, [1, 2, 0, 3])
  const swapped = callWasmKernel(
    'Conv2D',
    backend,
    { x: xT, filter: dyT },
    explicitPadConvAttrs(
      { top: padInfo.top, bottom: Math.max(0, padBottom), left: padInfo.left, right: Math.max(0, padRight) },
      [strideHeight, strideWidth],
    ),
  )
  release(backend, xT, dyT)
  const dw = transpose(backend, swapped, [1, 2, 0, 3])
  release(backend, swapped)
  return dw
}

/**
 * The other orientation of the same sum: dy (spread by the stride) as a [co,oh,ow,b] input correlated with x
 * as a [h,w,b,ci] filter gives dW flipped spatially, as [co,kh,kw,ci]. Undefined when that would need
 * negative padding.
 */
function filterGradientWithInputAsFilter(
  backend: BackendWasm,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo | undefined {
  const {
    inHeight,
    inWidth,
    outHeight,
    outWidth,
    filterHeight,
    filterWidth,
    strideHeight,
    strideWidth,
    padInfo,
  } = info
  const spreadHeight = (outHeight - 1) * strideHeight + 1
  const spreadWidth = (outWidth - 1) * strideWidth + 1
  const padTop = filterHeight - 1 - padInfo.top
  const padLeft = filterWidth - 1 - padInfo.left
  const padBottom = filterHeight - 1 - spreadHeight - padTop + inHeight
  const padRight = filterWidth - 1 - spreadWidth - padLeft + inWidth
  if (Math.min(padTop, padLeft, padBottom, padRight) < 0) return undefined
  const dySpread = spreadByStrides(backend, dy, strideHeight, strideWidth)
  const dyT = transpose(backend, dySpread, [3, 1, 2, 0])
  if (dySpread !== dy) release(backend, dySpread)
  const xF = transpose(backend, x, [1, 2, 0, 3])
  const flippedT = callWasmKernel(
    'Conv2D',
    backend,
    { x: dyT, filter: xF },
    explicitPadConvAttrs({ top: padTop, bottom: padBottom, left: padLeft, right: padRight }),
  )
  release(backend, dyT, xF)
  const unflipped = callWasmKernel('Reverse', backend, { x: flippedT }, { dims: [1, 2] })
  release(backend, flippedT)
  const dw = transpose(backend, unflipped, [1, 2, 3, 0])
  release(backend, unflipped)
  return dw
}
