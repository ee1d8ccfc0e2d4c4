import * as tf from '@tensorflow/tfjs'
import { dequantize, readIntegers } from './dequantize.js'
import { TfliteUnsupportedOpError } from './errors.js'
import type { TfliteOperator, TfliteTensor } from './read-tflite.js'
import type { FusedActivation, TfliteOptions } from './tflite-op-names.js'

/** What one op converter sees: the op, its tensors, the symbolic inputs built so far, and a namer. */
export interface OpContext {
  source: string
  op: TfliteOperator
  tensors: readonly TfliteTensor[]
  /** Symbolic tensor of an activation input (undefined for constants). */
  symbolic(index: number): tf.SymbolicTensor | undefined
  /** A unique, TF.js-safe layer name derived from the op's output tensor. */
  name(suffix?: string): string
  /** Notes the integer steps of a layer's quantised weights, so an int8 export can keep them. */
  keepWeightSteps(layer: string, kind: 'conv' | 'depthwise', weights: TfliteTensor): void
}

export type OpConverter = (ctx: OpContext) => tf.SymbolicTensor

function fail(ctx: OpContext, detail: string): TfliteUnsupportedOpError {
  const out = ctx.tensors[ctx.op.outputs[0] ?? -1]?.name ?? '?'
  return new TfliteUnsupportedOpError(ctx.source, ctx.op.op, `(output ${out}) ${detail}`)
}

function input(ctx: OpContext, position = 0): tf.SymbolicTensor {
  const x = ctx.symbolic(ctx.op.inputs[position] ?? -1)
  if (!x) throw fail(ctx, `needs a computed tensor as input ${position}`)
  return x
}

function constant(ctx: OpContext, position: number): TfliteTensor {
  const t = ctx.tensors[ctx.op.inputs[position] ?? -1]
  if (!t?.data) throw fail(ctx, `needs constant data as input ${position}`)
  return t
}

function options<K extends TfliteOptions['kind']>(
  ctx: OpContext,
  kind: K,
): Extract<TfliteOptions, { kind: K }> {
  if (ctx.op.options.kind !== kind) throw fail(ctx, `carries ${ctx.op.options.kind} options, not ${kind}`)
  return ctx.op.options as Extract<TfliteOptions, { kind: K }>
}

function apply(layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor {
  return layer.apply(x) as tf.SymbolicTensor
}

/** A fused activation becomes its own layer, named after the op's output tensor (where TFLite names it). */
function activate(ctx: OpContext, x: tf.SymbolicTensor, activation: FusedActivation): tf.SymbolicTensor {
  switch (activation) {
    case 'none':
      return x
    case 'relu':
      return apply(tf.layers.reLU({ name: ctx.name() }), x)
    case 'relu6':
      return apply(tf.layers.reLU({ maxValue: 6, name: ctx.name() }), x)
    case 'tanh':
      return apply(tf.layers.activation({ activation: 'tanh', name: ctx.name() }), x)
    default:
      throw fail(ctx, `has fused activation ${activation}, which SportScan does not import`)
  }
}

/** Layer name for the op itself: the output's name when nothing follows, else `<output>/pre_activation`. */
function opName(ctx: OpContext, activation: FusedActivation): string {
  return activation === 'none' ? ctx.name() : ctx.name('pre_activation')
}

/** Reorders a row-major tensor by `perm` (out axis i = in axis perm[i]). */
function transpose(values: Float32Array, shape: number[], perm: number[]): tf.Tensor {
  return tf.tidy(() => tf.transpose(tf.tensor(values, shape), perm))
}

function bias(ctx: OpContext, channels: number): tf.Tensor | undefined {
  const index = ctx.op.inputs[2]
  if (index === undefined || index < 0) return undefined
  const t = constant(ctx, 2)
  const values = dequantize(t)
  if (values.length !== channels) throw fail(ctx, `has ${values.length} biases for ${channels} channels`)
  return tf.tensor1d(values)
}

const conv2d: OpConverter = (ctx) => {
  const o = options(ctx, 'conv')
  const w = constant(ctx, 1)
  const [out, kh, kw, inC] = w.shape as [number, number, number, number]
  // TFLite keeps [out, h, w, in]; TF.js wants [h, w, in, out].
  const kernel = transpose(dequantize(w), [out, kh, kw, inC], [1, 2, 3, 0])
  const b = bias(ctx, out)
  const name = opName(ctx, o.activation)
  ctx.keepWeightSteps(name, 'conv', w)
  const layer = tf.layers.conv2d({
    filters: out,
    kernelSize: [kh, kw],
    strides: o.strides,
    dilationRate: o.dilations,
    padding: o.padding,
    useBias: b !== undefined,
    weights: b ? [kernel, b] : [kernel],
    name,
  })
  return activate(ctx, apply(layer, input(ctx)), o.activation)
}

const depthwiseConv2d: OpConverter = (ctx) => {
  const o = options(ctx, 'depthwise')
  const w = constant(ctx, 1)
  const [, kh, kw, channels] = w.shape as [number, number, number, number]
  const x = input(ctx)
  const inC = x.shape[3]
  if (typeof inC !== 'number') throw fail(ctx, 'needs a known channel count')
  const multiplier = channels / inC
  // [1, h, w, in * m] and TF.js's [h, w, in, m] share one row-major order.
  const kernel = tf.tensor4d(dequantize(w), [kh, kw, inC, multiplier])
  const b = bias(ctx, channels)
  const name = opName(ctx, o.activation)
  ctx.keepWeightSteps(name, 'depthwise', w)
  const layer = tf.layers.depthwiseConv2d({
    kernelSize: [kh, kw],
    depthMultiplier: multiplier,
    strides: o.strides,
    dilationRate: o.dilations,
    padding: o.padding,
    useBias: b !== undefined,
    weights: b ? [kernel, b] : [kernel],
    name,
  })
  return activate(ctx, apply(layer, x), o.activation)
}

function pool(kind: 'average' | 'max'): OpConverter {
  return (ctx) => {
    const o = options(ctx, 'pool')
    const x = input(ctx)
    const tfliteIn = ctx.tensors[ctx.op.inputs[0] ?? -1]?.shape
    // A window over the whole map (the classifier's final pool) stays global at any input size.
    const isGlobal =
      kind === 'average' &&
      o.padding === 'valid' &&
      tfliteIn?.[1] === o.filter[0] &&
      tfliteIn?.[2] === o.filter[1]
    let y: tf.SymbolicTensor
    if (isGlobal) {
      const pooled = apply(tf.layers.globalAveragePooling2d({ name: ctx.name('global') }), x)
      y = apply(
        tf.layers.reshape({
          targetShape: [1, 1, pooled.shape[1] as number],
          name: opName(ctx, o.activation),
        }),
        pooled,
      )
    } else {
      const args = {
        poolSize: o.filter,
        strides: o.strides,
        padding: o.padding,
        name: opName(ctx, o.activation),
      }
      y = apply(kind === 'average' ? tf.layers.averagePooling2d(args) : tf.layers.maxPooling2d(args), x)
    }
    return activate(ctx, y, o.activation)
  }
}

const fullyConnected: OpConverter = (ctx) => {
  const o = options(ctx, 'fullyConnected')
  let x = input(ctx)
  if (x.shape.length > 2) x = apply(tf.layers.flatten({ name: ctx.name('flatten') }), x)
  const w = constant(ctx, 1)
  const [units, inC] = w.shape as [number, number]
  const kernel = transpose(dequantize(w), [units, inC], [1, 0])
  const b = bias(ctx, units)
  const layer = tf.layers.dense({
    units,
    useBias: b !== undefined,
    weights: b ? [kernel, b] : [kernel],
    name: opName(ctx, o.activation),
  })
  return activate(ctx, apply(layer, x), o.activation)
}

function elementwise(kind: 'add' | 'multiply'): OpConverter {
  return (ctx) => {
    const o = options(ctx, 'elementwise')
    const layer =
      kind === 'add'
        ? tf.layers.add({ name: opName(ctx, o.activation) })
        : tf.layers.multiply({ name: opName(ctx, o.activation) })
    return activate(ctx, apply(layer, [input(ctx, 0), input(ctx, 1)]), o.activation)
  }
}

const concatenation: OpConverter = (ctx) => {
  const o = options(ctx, 'concatenation')
  const xs = ctx.op.inputs.map((_, i) => input(ctx, i))
  const rank = xs[0]!.shape.length
  const axis = o.axis < 0 ? o.axis + rank : o.axis
  if (axis !== rank - 1) throw fail(ctx, `concatenates axis ${o.axis}; only the channel axis is imported`)
  return activate(ctx, apply(tf.layers.concatenate({ name: opName(ctx, o.activation) }), xs), o.activation)
}

/** The new shape without its batch dimension (TFLite graphs are built for batch 1). */
function targetShape(ctx: OpContext, shape: number[]): number[] {
  const [batch, ...rest] = shape
  if (batch !== 1 && batch !== -1) throw fail(ctx, `reshapes the batch dimension to ${batch}`)
  return rest
}

const reshape: OpConverter = (ctx) => {
  const fromOptions = ctx.op.options.kind === 'reshape' ? ctx.op.options.newShape : undefined
  const shapeInput = ctx.tensors[ctx.op.inputs[1] ?? -1]
  // The new shape is a constant input, the options' new_shape, or at least the output tensor's own shape.
  const shape = shapeInput?.data
    ? readIntegers(shapeInput)
    : (fromOptions ?? ctx.tensors[ctx.op.outputs[0] ?? -1]?.shape)
  if (!shape) throw fail(ctx, 'has no target shape')
  return apply(tf.layers.reshape({ targetShape: targetShape(ctx, shape), name: ctx.name() }), input(ctx))
}

const squeeze: OpConverter = (ctx) => {
  const o = options(ctx, 'squeeze')
  const x = input(ctx)
  const dims = x.shape.map((d, i) => ({ d, i }))
  const squeezed = o.squeezeDims.map((d) => (d < 0 ? d + x.shape.length : d))
  const kept = dims.filter(({ d, i }) => (squeezed.length > 0 ? !squeezed.includes(i) : d !== 1) && i > 0)
  return apply(tf.layers.reshape({ targetShape: kept.map(({ d }) => d as number), name: ctx.name() }), x)
}

const mean: OpConverter = (ctx) => {
  const o = options(ctx, 'reducer')
  const x = input(ctx)
  const axes = readIntegers(constant(ctx, 1))
    .map((a) => (a < 0 ? a + x.shape.length : a))
    .sort()
  if (x.shape.length !== 4 || axes.join() !== '1,2')
    throw fail(ctx, `averages axes [${axes.join(', ')}]; only [1, 2] is imported`)
  const pooled = apply(
    tf.layers.globalAveragePooling2d({ name: o.keepDims ? ctx.name('global') : ctx.name() }),
    x,
  )
  if (!o.keepDims) return pooled
  return apply(
    tf.layers.reshape({ targetShape: [1, 1, pooled.shape[1] as number], name: ctx.name() }),
    pooled,
  )
}

const pad: OpConverter = (ctx) => {
  const p = readIntegers(constant(ctx, 1))
  const x = input(ctx)
  if (p.length !== 8 || p[0] !== 0 || p[1] !== 0 || p[6] !== 0 || p[7] !== 0) {
    throw fail(ctx, `pads [${p.join(', ')}]; only height and width of a [batch, h, w, c] map are imported`)
  }
  const padding: [[number, number], [number, number]] = [
    [p[2]!, p[3]!],
    [p[4]!, p[5]!],
  ]
  return apply(tf.layers.zeroPadding2d({ padding, name: ctx.name() }), x)
}

const softmax: OpConverter = (ctx) => {
  const o = options(ctx, 'softmax')
  if (Math.abs(o.beta - 1) > 1e-6) throw fail(ctx, `has beta ${o.beta}; only 1 is imported`)
  return apply(tf.layers.softmax({ name: ctx.name() }), input(ctx))
}

function unary(build: (name: string) => tf.layers.Layer): OpConverter {
  return (ctx) => apply(build(ctx.name()), input(ctx))
}

/** Quantise/dequantise pairs disappear: the imported graph computes in float. */
const passThrough: OpConverter = (ctx) => input(ctx)

/** The ops of the MobileNet (v1, v2) and EfficientNet-Lite families, float or quantised. */
export const OP_CONVERTERS: Readonly<Record<string, OpConverter>> = {
  CONV_2D: conv2d,
  DEPTHWISE_CONV_2D: depthwiseConv2d,
  AVERAGE_POOL_2D: pool('average'),
  MAX_POOL_2D: pool('max'),
  FULLY_CONNECTED: fullyConnected,
  ADD: elementwise('add'),
  MUL: elementwise('multiply'),
  CONCATENATION: concatenation,
  RESHAPE: reshape,
  SQUEEZE: squeeze,
  MEAN: mean,
  PAD: pad,
  SOFTMAX: softmax,
  RELU: unary((name) => tf.layers.reLU({ name })),
  RELU6: unary((name) => tf.layers.reLU({ maxValue: 6, name })),
  LOGISTIC: unary((name) => tf.layers.activation({ activation: 'sigmoid', name })),
  TANH: unary((name) => tf.layers.activation({ activation: 'tanh', name })),
  QUANTIZE: passThrough,
  DEQUANTIZE: passThrough,
}
