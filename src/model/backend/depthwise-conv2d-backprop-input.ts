import type * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { explicitPadConvAttrs, readShape4D, shape4D } from './kernel-attrs.js'
import { depthwiseConvInfo } from './depthwise-conv-info.js'
import { heapF32, spreadByStrides } from './dilate-rows.js'
import { asWasmBackend, callWasmKernel, release, requireInput } from './wasm-kernel-calls.js'

const NAME = 'DepthwiseConv2dNativeBackpropInput'

/**
 * With channel multiplier 1 and no dilation (what depthwise-separable layers use), dx is a depthwise
 * convolution of the zero-spread dy with the flipped filter, run by XNNPACK. Other cases scatter dy through
 * the filter in a JS loop over wasm memory.
 */
export const depthwiseConv2dBackpropInput: tf.KernelFunc = ({
  inputs,
  backend: kernelBackend,
  attrs = {},
}) => {
  const backend = asWasmBackend(NAME, kernelBackend)
  const dy = requireInput(NAME, inputs, 'dy')
  const filter = requireInput(NAME, inputs, 'filter')
  const inShape = readShape4D(NAME, attrs, 'inputShape')
  const info = depthwiseConvInfo(NAME, attrs, inShape, shape4D(NAME, filter.shape))
  const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } =
    info
  const padTop = filterHeight - 1 - info.padInfo.top
  const padLeft = filterWidth - 1 - info.padInfo.left
  const padBottom = inHeight - ((outHeight - 1) * strideHeight + 1) + filterHeight - 1 - padTop
  const padRight = inWidth - ((outWidth - 1) * strideWidth + 1) + filterWidth - 1 - padLeft
  const isFastPath =
    info.outChannels === info.inChannels &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    Math.min(padTop, padLeft, padBottom, padRight) >= 0
  if (!isFastPath) return scatterInputGradient(backend, dy, filter, info)
  const dyDilated = spreadByStrides(backend, dy, strideHeight, strideWidth)
  const flipped = callWasmKernel('Reverse', backend, { x: filter }, { dims: [0, 1] })
  const dx = callWasmKernel(
    'DepthwiseConv2dNative',
    backend,
    { x: dyDilated, filter: flipped },
    explicitPadConvAttrs({ top: padTop, bottom: padBottom, left: padLeft, right: padRight }),
  )
  release(backend, flipped)
  if (dyDilated !== dy) release(backend, dyDilated)
  return dx
}

function scatterInputGradient(
  backend: BackendWasm,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo } =
    info
  const multiplier = outChannels / inChannels
  const out = backend.makeOutput(info.inShape, 'float32')
  const dx = heapF32(backend, out)
  const dys = heapF32(backend, dy)
  const ws = heapF32(backend, filter)
  dx.fill(0)
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
            const dxBase = ((b * inHeight + row) * inWidth + col) * inChannels
            const wBase = (kh * filterWidth + kw) * outChannels
            for (let c = 0; c < inChannels; c++) {
              let sum = 0
              for (let m = 0; m < multiplier; m++) {
                const o = c * multiplier + m
                sum += (dys[dyBase + o] ?? 0) * (ws[wBase + o] ?? 0)
              }
              dx[dxBase + c]! += sum
            }
          }
        }
      }
    }
  }
  return out
}
