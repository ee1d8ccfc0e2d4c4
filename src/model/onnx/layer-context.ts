import * as tf from '@tensorflow/tfjs'
import { UnsupportedLayerError } from './errors.js'
import type { GraphBuilder } from './graph-builder.js'

/**
 * An exported tensor. Rank-4 tensors are kept NCHW inside the ONNX graph (what ONNX Conv/Pool expect) while
 * `shape` stays the TF.js NHWC shape; rank-2 tensors are the same in both.
 */
export interface TensorRef {
  name: string
  shape: ReadonlyArray<number | null>
}

/** What a layer converter gets: the builder, the layer with its config, and its already exported inputs. */
export interface LayerContext {
  b: GraphBuilder
  layer: tf.layers.Layer
  className: string
  config: Readonly<Record<string, unknown>>
  inputs: readonly TensorRef[]
  outputShape: ReadonlyArray<number | null>
}

/** Emits the layer's ONNX nodes and returns the name of its output tensor. */
export type LayerConverter = (ctx: LayerContext) => string

/** NHWC axis -> NCHW axis, for rank-4 tensors. */
export const NHWC_TO_NCHW_AXIS: readonly number[] = [0, 2, 3, 1]

export function unsupported(ctx: LayerContext, reason?: string): UnsupportedLayerError {
  return new UnsupportedLayerError(ctx.layer.name, ctx.className, reason)
}

export function firstInput(ctx: LayerContext): TensorRef {
  const input = ctx.inputs[0]
  if (input === undefined || ctx.inputs.length !== 1) throw unsupported(ctx, 'must have exactly one input')
  return input
}

export function requireRank(ctx: LayerContext, input: TensorRef, ranks: readonly number[]): void {
  if (!ranks.includes(input.shape.length)) {
    throw unsupported(
      ctx,
      `is only exported for rank ${ranks.join(' or ')} inputs, got rank ${input.shape.length}`,
    )
  }
}

export function numberConfig(ctx: LayerContext, key: string, fallback?: number): number {
  const value = ctx.config[key] ?? fallback
  if (typeof value !== 'number' || !Number.isFinite(value)) throw unsupported(ctx, `has no numeric ${key}`)
  return value
}

export function stringConfig(ctx: LayerContext, key: string, fallback?: string): string {
  const value = ctx.config[key] ?? fallback
  if (typeof value !== 'string') throw unsupported(ctx, `has no ${key} setting`)
  return value
}

export function booleanConfig(ctx: LayerContext, key: string, fallback: boolean): boolean {
  const value = ctx.config[key] ?? fallback
  if (typeof value !== 'boolean') throw unsupported(ctx, `has a non-boolean ${key}`)
  return value
}

/** A 2D setting given as one number or a pair (kernel size, strides, dilation). */
export function pairConfig(ctx: LayerContext, key: string, fallback?: number): [number, number] {
  const value = ctx.config[key] ?? fallback
  if (typeof value === 'number' && Number.isInteger(value)) return [value, value]
  const pair = intPair(value)
  if (pair === undefined) throw unsupported(ctx, `has an unreadable ${key}`)
  return pair
}

/** `value` as a pair of integers, if it is one. */
export function intPair(value: unknown): [number, number] | undefined {
  if (!Array.isArray(value) || value.length !== 2) return undefined
  const [first, second]: unknown[] = value
  return Number.isInteger(first) &&
    Number.isInteger(second) &&
    typeof first === 'number' &&
    typeof second === 'number'
    ? [first, second]
    : undefined
}

export function requireChannelsLast(ctx: LayerContext): void {
  const format = ctx.config.dataFormat
  if (format !== undefined && format !== null && format !== 'channelsLast') {
    throw unsupported(ctx, `uses dataFormat ${String(format)}; only channelsLast is exported`)
  }
}

/** The layer's weight tensors in creation order (the variables themselves: not to be disposed). */
export function readWeights(ctx: LayerContext, count: number): tf.Tensor[] {
  const weights = ctx.layer.weights
  if (weights.length !== count) throw unsupported(ctx, `has ${weights.length} weights, expected ${count}`)
  return weights.map((w) => w.read())
}

/** Copies a tensor's values; export is an offline job, so the synchronous read is acceptable here. */
export function valuesOf(tensor: tf.Tensor): Float32Array {
  return Float32Array.from(tensor.dataSync())
}

/** Float32 values of `tensor` permuted by `perm` (e.g. HWIO -> OIHW), computed without leaking tensors. */
export function transposedValues(tensor: tf.Tensor, perm: number[]): Float32Array {
  return tf.tidy(() => valuesOf(tf.transpose(tensor, perm)))
}

/**
 * Appends the ONNX form of a TF.js activation (as serialised in layer configs) to `x`. Softmax-like
 * activations act on the channel axis, which is axis 1 both in NCHW and in [batch, features].
 */
export function applyActivation(ctx: LayerContext, x: string, activation: string): string {
  const { b } = ctx
  const base = `${ctx.layer.name}/${activation}`
  const unary = (op: string, attributes: Parameters<GraphBuilder['addNode']>[3] = []) =>
    b.addNode(op, [x], base, attributes)
  switch (activation) {
    case 'linear':
      return x
    case 'relu':
      return unary('Relu')
    case 'relu6':
      return b.addNode(
        'Clip',
        [
          x,
          b.addFloats(`${base}/min`, [], Float32Array.of(0)),
          b.addFloats(`${base}/max`, [], Float32Array.of(6)),
        ],
        base,
      )
    case 'elu':
      return unary('Elu', [{ name: 'alpha', type: 'float', value: 1 }])
    case 'selu':
      return unary('Selu')
    case 'sigmoid':
      return unary('Sigmoid')
    case 'hardSigmoid':
      return unary('HardSigmoid', [
        { name: 'alpha', type: 'float', value: 0.2 },
        { name: 'beta', type: 'float', value: 0.5 },
      ])
    case 'tanh':
      return unary('Tanh')
    case 'softplus':
      return unary('Softplus')
    case 'softsign':
      return unary('Softsign')
    case 'softmax':
      return unary('Softmax', [{ name: 'axis', type: 'int', value: 1 }])
    case 'logSoftmax':
      return unary('LogSoftmax', [{ name: 'axis', type: 'int', value: 1 }])
    case 'swish':
      return b.addNode('Mul', [x, b.addNode('Sigmoid', [x], `${base}/sigmoid`)], base)
    case 'mish': {
      const softplus = b.addNode('Softplus', [x], `${base}/softplus`)
      return b.addNode('Mul', [x, b.addNode('Tanh', [softplus], `${base}/tanh`)], base)
    }
    default:
      throw unsupported(ctx, `uses activation "${activation}", which has no ONNX translation`)
  }
}
