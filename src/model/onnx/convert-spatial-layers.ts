import * as tf from '@tensorflow/tfjs'
import type { OnnxAttribute } from './onnx-model.js'
import {
  applyActivation,
  booleanConfig,
  firstInput,
  intPair,
  pairConfig,
  requireChannelsLast,
  requireRank,
  readWeights,
  stringConfig,
  transposedValues,
  unsupported,
  valuesOf,
  type LayerContext,
  type LayerConverter,
  type TensorRef,
} from './layer-context.js'

interface Window {
  kernel: [number, number]
  strides: [number, number]
  dilations: [number, number]
}

/**
 * Padding attributes matching TF's: `valid` pads nothing; `same` pads (k - 1) * d + 1 - stride-fitted input,
 * the odd pixel at the end (bottom/right), exactly as TF.js computes it. With a static input size the pads
 * are explicit; otherwise ONNX's SAME_UPPER does the same at run time.
 */
function paddingAttributes(ctx: LayerContext, input: TensorRef, window: Window): OnnxAttribute[] {
  const padding = stringConfig(ctx, 'padding', 'valid')
  if (padding === 'valid') return [{ name: 'pads', type: 'ints', value: [0, 0, 0, 0] }]
  if (padding !== 'same') throw unsupported(ctx, `uses padding "${padding}"`)
  const height = input.shape[1]
  const width = input.shape[2]
  if (typeof height !== 'number' || typeof width !== 'number') {
    return [{ name: 'auto_pad', type: 'string', value: 'SAME_UPPER' }]
  }
  const [top, bottom] = samePads(height, window.kernel[0], window.strides[0], window.dilations[0])
  const [left, right] = samePads(width, window.kernel[1], window.strides[1], window.dilations[1])
  return [{ name: 'pads', type: 'ints', value: [top, left, bottom, right] }]
}

function samePads(size: number, kernel: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(size / stride)
  const total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
  const before = Math.floor(total / 2)
  return [before, total - before]
}

function windowAttributes(ctx: LayerContext, input: TensorRef, window: Window): OnnxAttribute[] {
  return [
    { name: 'kernel_shape', type: 'ints', value: window.kernel },
    { name: 'strides', type: 'ints', value: window.strides },
    ...paddingAttributes(ctx, input, window),
  ]
}

function convWindow(ctx: LayerContext): Window {
  requireChannelsLast(ctx)
  return {
    kernel: pairConfig(ctx, 'kernelSize'),
    strides: pairConfig(ctx, 'strides', 1),
    dilations: pairConfig(ctx, 'dilationRate', 1),
  }
}

/** Depthwise conv as a grouped ONNX Conv: TF's [kh, kw, in, mult] becomes [in * mult, 1, kh, kw]. */
function addDepthwise(
  ctx: LayerContext,
  input: TensorRef,
  kernel: tf.Tensor,
  window: Window,
  bias: tf.Tensor | undefined,
): string {
  const [kh, kw, channels, multiplier] = kernel.shape
  if (kh === undefined || kw === undefined || channels === undefined || multiplier === undefined) {
    throw unsupported(ctx, 'has a depthwise kernel that is not rank 4')
  }
  const weights = tf.tidy(() =>
    valuesOf(tf.transpose(tf.reshape(kernel, [kh, kw, channels * multiplier]), [2, 0, 1])),
  )
  const { b, layer } = ctx
  const inputs = [
    input.name,
    b.addFloats(`${layer.name}/depthwise_kernel`, [channels * multiplier, 1, kh, kw], weights),
  ]
  if (bias) inputs.push(b.addFloats(`${layer.name}/bias`, bias.shape, valuesOf(bias)))
  return b.addNode('Conv', inputs, `${layer.name}/depthwise`, [
    ...windowAttributes(ctx, input, window),
    { name: 'dilations', type: 'ints', value: window.dilations },
    { name: 'group', type: 'int', value: channels },
  ])
}

const conv2d: LayerConverter = (ctx) => {
  const input = firstInput(ctx)
  requireRank(ctx, input, [4])
  const window = convWindow(ctx)
  const useBias = booleanConfig(ctx, 'useBias', true)
  const [kernel, bias] = readWeights(ctx, useBias ? 2 : 1)
  if (kernel === undefined || kernel.rank !== 4) throw unsupported(ctx, 'has no rank-4 kernel')
  const [kh, kw, inChannels, filters] = kernel.shape
  const { b, layer } = ctx
  const inputs = [
    input.name,
    b.addFloats(
      `${layer.name}/kernel`,
      [filters ?? 0, inChannels ?? 0, kh ?? 0, kw ?? 0],
      transposedValues(kernel, [3, 2, 0, 1]),
    ),
  ]
  if (bias) inputs.push(b.addFloats(`${layer.name}/bias`, bias.shape, valuesOf(bias)))
  const out = b.addNode('Conv', inputs, layer.name, [
    ...windowAttributes(ctx, input, window),
    { name: 'dilations', type: 'ints', value: window.dilations },
    { name: 'group', type: 'int', value: 1 },
  ])
  return applyActivation(ctx, out, stringConfig(ctx, 'activation', 'linear'))
}

const depthwiseConv2d: LayerConverter = (ctx) => {
  const input = firstInput(ctx)
  requireRank(ctx, input, [4])
  const useBias = booleanConfig(ctx, 'useBias', true)
  const [kernel, bias] = readWeights(ctx, useBias ? 2 : 1)
  if (kernel === undefined) throw unsupported(ctx, 'has no depthwise kernel')
  const out = addDepthwise(ctx, input, kernel, convWindow(ctx), bias)
  return applyActivation(ctx, out, stringConfig(ctx, 'activation', 'linear'))
}

/** Depthwise (strided, no bias) then a 1x1 pointwise Conv carrying the bias, as TF.js computes it. */
const separableConv2d: LayerConverter = (ctx) => {
  const input = firstInput(ctx)
  requireRank(ctx, input, [4])
  const useBias = booleanConfig(ctx, 'useBias', true)
  const [depthwise, pointwise, bias] = readWeights(ctx, useBias ? 3 : 2)
  if (depthwise === undefined || pointwise === undefined || pointwise.rank !== 4) {
    throw unsupported(ctx, 'lacks its depthwise or pointwise kernel')
  }
  const { b, layer } = ctx
  const mid = addDepthwise(ctx, input, depthwise, convWindow(ctx), undefined)
  const [, , inChannels, filters] = pointwise.shape
  const inputs = [
    mid,
    b.addFloats(
      `${layer.name}/pointwise_kernel`,
      [filters ?? 0, inChannels ?? 0, 1, 1],
      transposedValues(pointwise, [3, 2, 0, 1]),
    ),
  ]
  if (bias) inputs.push(b.addFloats(`${layer.name}/bias`, bias.shape, valuesOf(bias)))
  const out = b.addNode('Conv', inputs, layer.name, [{ name: 'kernel_shape', type: 'ints', value: [1, 1] }])
  return applyActivation(ctx, out, stringConfig(ctx, 'activation', 'linear'))
}

function pooling(op: 'MaxPool' | 'AveragePool'): LayerConverter {
  return (ctx) => {
    const input = firstInput(ctx)
    requireRank(ctx, input, [4])
    requireChannelsLast(ctx)
    const kernel = pairConfig(ctx, 'poolSize', 2)
    const window: Window = { kernel, strides: pairConfig(ctx, 'strides', kernel[0]), dilations: [1, 1] }
    // TF averages over the real pixels only at a `same` border: count_include_pad = 0 (the ONNX default).
    return ctx.b.addNode(op, [input.name], ctx.layer.name, windowAttributes(ctx, input, window))
  }
}

function globalPooling(op: 'GlobalAveragePool' | 'GlobalMaxPool'): LayerConverter {
  return (ctx) => {
    const input = firstInput(ctx)
    requireRank(ctx, input, [4])
    requireChannelsLast(ctx)
    if (ctx.config.keepDims === true)
      throw unsupported(ctx, 'keeps dims; only [batch, channels] output is exported')
    const pooled = ctx.b.addNode(op, [input.name], `${ctx.layer.name}/pool`)
    return ctx.b.addNode('Flatten', [pooled], ctx.layer.name, [{ name: 'axis', type: 'int', value: 1 }])
  }
}

const zeroPadding2d: LayerConverter = (ctx) => {
  const input = firstInput(ctx)
  requireRank(ctx, input, [4])
  requireChannelsLast(ctx)
  const padding = ctx.config.padding
  let pads: [number, number, number, number]
  const [vertical, horizontal]: unknown[] = Array.isArray(padding) ? padding : []
  const rows = intPair(vertical)
  const columns = intPair(horizontal)
  if (rows && columns) {
    pads = [rows[0], columns[0], rows[1], columns[1]]
  } else {
    const [v, h] = pairConfig(ctx, 'padding', 1)
    pads = [v, h, v, h]
  }
  const [top, left, bottom, right] = pads
  const { b, layer } = ctx
  return b.addNode(
    'Pad',
    [input.name, b.addInt64s(`${layer.name}/pads`, [0, 0, top, left, 0, 0, bottom, right])],
    layer.name,
  )
}

export const SPATIAL_LAYER_CONVERTERS: Readonly<Record<string, LayerConverter>> = {
  Conv2D: conv2d,
  DepthwiseConv2D: depthwiseConv2d,
  SeparableConv2D: separableConv2d,
  MaxPooling2D: pooling('MaxPool'),
  AveragePooling2D: pooling('AveragePool'),
  GlobalAveragePooling2D: globalPooling('GlobalAveragePool'),
  GlobalMaxPooling2D: globalPooling('GlobalMaxPool'),
  ZeroPadding2D: zeroPadding2d,
}
