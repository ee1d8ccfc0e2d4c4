import * as tf from '@tensorflow/tfjs'
import { readPad, readPair, readRoundingMode, readShape4D, requireNhwc, shape4D } from './kernel-attrs.js'
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
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [padInfo.top, Math.max(0, padBottom)],
        [padInfo.left, Math.max(0, padRight)],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [strideHeight, strideWidth],
    },
  )
  release(backend, xT, dyT)
  const dw = transpose(backend, swapped, [1, 2, 0, 3])
  release(backend, swapped)
  return dw
}
