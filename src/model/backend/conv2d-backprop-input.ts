import * as tf from '@tensorflow/tfjs'
import { UnsupportedKernelInputError } from './errors.js'
import {
  explicitPadConvAttrs,
  readPad,
  readPair,
  readRoundingMode,
  readShape4D,
  requireNhwc,
  shape4D,
} from './kernel-attrs.js'
import { spreadByStrides } from './dilate-rows.js'
import { asWasmBackend, callWasmKernel, release, requireInput } from './wasm-kernel-calls.js'

const NAME = 'Conv2DBackpropInput'

/**
 * dx is the "full" correlation of dy with the spatially flipped filter, in and out channels swapped. For
 * stride s, dy is first spread s apart with zeros. Runs on XNNPACK's Conv2D; the stock wasm kernel (a plain
 * loop) is kept as `fallback` for the rare shapes this cannot express with non-negative padding.
 */
export function createConv2dBackpropInput(fallback: tf.KernelFunc | undefined): tf.KernelFunc {
  return (args) => {
    const { inputs, backend: kernelBackend, attrs = {} } = args
    const backend = asWasmBackend(NAME, kernelBackend)
    const dy = requireInput(NAME, inputs, 'dy')
    const filter = requireInput(NAME, inputs, 'filter')
    requireNhwc(NAME, attrs)
    const info = tf.backend_util.computeConv2DInfo(
      readShape4D(NAME, attrs, 'inputShape'),
      shape4D(NAME, filter.shape),
      readPair(NAME, attrs, 'strides'),
      1,
      readPad(NAME, attrs),
      readRoundingMode(attrs),
      false,
      'channelsLast',
    )
    const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } =
      info
    const padTop = filterHeight - 1 - info.padInfo.top
    const padLeft = filterWidth - 1 - info.padInfo.left
    const dilatedHeight = (outHeight - 1) * strideHeight + 1
    const dilatedWidth = (outWidth - 1) * strideWidth + 1
    const padBottom = inHeight - dilatedHeight + filterHeight - 1 - padTop
    const padRight = inWidth - dilatedWidth + filterWidth - 1 - padLeft
    if (Math.min(padTop, padLeft, padBottom, padRight) < 0) {
      if (fallback !== undefined) return fallback(args)
      throw new UnsupportedKernelInputError(NAME, 'padding larger than the filter')
    }
    const dyDilated = spreadByStrides(backend, dy, strideHeight, strideWidth)
    const flipped = callWasmKernel('Reverse', backend, { x: filter }, { dims: [0, 1] })
    const swapped = callWasmKernel('Transpose', backend, { x: flipped }, { perm: [0, 1, 3, 2] })
    release(backend, flipped)
    const dx = callWasmKernel(
      'Conv2D',
      backend,
      { x: dyDilated, filter: swapped },
      explicitPadConvAttrs({ top: padTop, bottom: padBottom, left: padLeft, right: padRight }),
    )
    release(backend, swapped)
    if (dyDilated !== dy) release(backend, dyDilated)
    return dx
  }
}
